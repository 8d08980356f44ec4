// Exact merging of what several workers, processes or shards measured: counters summed, histograms
// added, time series added second by second. The same code serves all three levels.
import { encodeHistogram, mergeEncoded } from '../metrics/histogram.js';
import type { DeliveryCounter } from '../metrics/metric-names.js';
import type { EncodedOp, IntervalOp } from '../metrics/recorder.js';
import type { SecondSample } from './result.js';

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

export function combineOps(parts: readonly Readonly<Record<string, EncodedOp>>[]): Record<string, EncodedOp> {
  const names = new Set(parts.flatMap((p) => Object.keys(p)));
  const out: Record<string, EncodedOp> = {};
  for (const name of [...names].sort()) {
    const present = parts.map((p) => p[name]).filter((op): op is EncodedOp => op !== undefined);
    const failedBy: Record<string, number> = {};
    for (const op of present) addCounts(failedBy, op.failedBy);
    const corrected = mergeEncoded(present.map((op) => op.corrected));
    const uncorrected = mergeEncoded(present.map((op) => op.uncorrected));
    out[name] = {
      sent: present.reduce((n, op) => n + op.sent, 0),
      ok: present.reduce((n, op) => n + op.ok, 0),
      failed: present.reduce((n, op) => n + op.failed, 0),
      timeouts: present.reduce((n, op) => n + op.timeouts, 0),
      failedBy,
      corrected: encodeHistogram(corrected),
      uncorrected: encodeHistogram(uncorrected),
    };
    corrected.destroy();
    uncorrected.destroy();
  }
  return out;
}

export function combineDelivery(parts: readonly Readonly<Record<string, Record<DeliveryCounter, number>>>[]): Record<string, Record<DeliveryCounter, number>> {
  const out: Record<string, Record<DeliveryCounter, number>> = {};
  for (const part of parts) {
    for (const [op, counters] of Object.entries(part)) {
      const into = (out[op] ??= { delivered: 0, lost: 0, duplicated: 0, reordered: 0 });
      addCounts(into, counters);
    }
  }
  return out;
}

export function combineCounts(parts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) addCounts(out, part);
  return out;
}

export function combineIntervalOps(parts: readonly Readonly<Record<string, IntervalOp>>[]): Record<string, IntervalOp> {
  const out: Record<string, IntervalOp> = {};
  const names = new Set(parts.flatMap((p) => Object.keys(p)));
  for (const name of [...names].sort()) {
    const present = parts.map((p) => p[name]).filter((op): op is IntervalOp => op !== undefined);
    const histogram = mergeEncoded(present.map((op) => op.histogram));
    out[name] = {
      sent: present.reduce((n, op) => n + op.sent, 0),
      ok: present.reduce((n, op) => n + op.ok, 0),
      failed: present.reduce((n, op) => n + op.failed, 0),
      timeouts: present.reduce((n, op) => n + op.timeouts, 0),
      histogram: encodeHistogram(histogram),
    };
    histogram.destroy();
  }
  return out;
}

/** Adds time series second by second (second k of every part is the same second of the run). */
export function combineTimeSeries(parts: readonly (readonly SecondSample[])[]): SecondSample[] {
  const bySecond = new Map<number, Record<string, IntervalOp>[]>();
  for (const series of parts) {
    for (const sample of series) {
      let list = bySecond.get(sample.second);
      if (!list) bySecond.set(sample.second, (list = []));
      list.push(sample.ops);
    }
  }
  return [...bySecond.keys()].sort((a, b) => a - b).map((second) => ({ second, ops: combineIntervalOps(bySecond.get(second)!) }));
}

// Exact merging of what several workers, processes or shards measured: counters summed, histograms
// added, time series added second by second. The same code serves all three levels.
import { encodeHistogram, mergeEncoded } from '../../reports/schema/histogram.js';
import { FAILURE_SAMPLES } from '../metrics/recorder.js';
import { noDeliveries, type DeliveryCounts } from '../../reports/schema/metric-names.js';
import type { EncodedOp, IntervalOp, Measurements, OpCounters, SecondSample } from '../../reports/schema/load-result.js';

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
    // A part written before lag was measured has none: the whole then has none either, rather than a
    // histogram that silently covers only some parts.
    const lags = present.map((op) => op.lag);
    const lag = lags.every((l): l is string => l !== undefined) ? mergeEncoded(lags) : null;
    out[name] = {
      ...sumCounters(present),
      failedBy,
      failureSamples: combineSamples(present.map((op) => op.failureSamples)),
      span: combineSpans(present.map((op) => op.span)),
      corrected: encodeHistogram(corrected),
      uncorrected: encodeHistogram(uncorrected),
      ...(lag ? { lag: encodeHistogram(lag) } : {}),
    };
    corrected.destroy();
    uncorrected.destroy();
    lag?.destroy();
  }
  return out;
}

type Counts = Pick<OpCounters, 'sent' | 'ok' | 'failed' | 'timeouts' | 'unanswered'>;

function sumCounters(parts: readonly Counts[]): Counts {
  const out: Counts = { sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0 };
  for (const p of parts) {
    out.sent += p.sent; out.ok += p.ok; out.failed += p.failed; out.timeouts += p.timeouts; out.unanswered += p.unanswered;
  }
  return out;
}

function combineSamples(parts: readonly Readonly<Record<string, string[]>>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of parts) {
    for (const [reason, messages] of Object.entries(part)) {
      const into = (out[reason] ??= []);
      for (const m of messages) if (into.length < FAILURE_SAMPLES && !into.includes(m)) into.push(m);
    }
  }
  return out;
}

function combineSpans(parts: readonly (OpCounters['span'])[]): OpCounters['span'] {
  const spans = parts.filter((s): s is NonNullable<OpCounters['span']> => s !== null);
  if (spans.length === 0) return null;
  return { firstMs: Math.min(...spans.map((s) => s.firstMs)), lastMs: Math.max(...spans.map((s) => s.lastMs)) };
}

export function combineDelivery(parts: readonly Readonly<Record<string, DeliveryCounts>>[]): Record<string, DeliveryCounts> {
  const out: Record<string, DeliveryCounts> = {};
  for (const part of parts) {
    for (const [op, counters] of Object.entries(part)) addCounts((out[op] ??= noDeliveries()), counters);
  }
  return out;
}

/** Everything several recorders measured, as one. */
export function combineSnapshots(parts: readonly Measurements[]): Measurements {
  return {
    ops: combineOps(parts.map((p) => p.ops)),
    delivery: combineDelivery(parts.map((p) => p.delivery)),
    disconnects: combineCounts(parts.map((p) => p.disconnects)),
    unexpectedFrames: combineCounts(parts.map((p) => p.unexpectedFrames)),
    notices: combineCounts(parts.map((p) => p.notices)),
    badLines: combineCounts(parts.map((p) => p.badLines)),
    usersFailed: combineCounts(parts.map((p) => p.usersFailed)),
    downloadBytes: parts.reduce((n, p) => n + p.downloadBytes, 0),
  };
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
    out[name] = { ...sumCounters(present), histogram: encodeHistogram(histogram) };
    histogram.destroy();
  }
  return out;
}

/**
 * Adds time series second by second (second k of every part is the same second of the run, and so in
 * the same phase: the parts share the run's timeline).
 */
export function combineTimeSeries(parts: readonly (readonly SecondSample[])[]): SecondSample[] {
  const bySecond = new Map<number, { phase: SecondSample['phase']; ops: Record<string, IntervalOp>[] }>();
  for (const series of parts) {
    for (const sample of series) {
      let entry = bySecond.get(sample.second);
      if (!entry) bySecond.set(sample.second, (entry = { phase: sample.phase, ops: [] }));
      entry.ops.push(sample.ops);
    }
  }
  return [...bySecond.entries()].sort((a, b) => a[0] - b[0]).map(([second, { phase, ops }]) => ({ second, phase, ops: combineIntervalOps(ops) }));
}

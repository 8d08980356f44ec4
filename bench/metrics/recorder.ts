// What one worker measures: per operation a corrected and an uncorrected histogram and counters, the
// delivery accounting, and what tells why a run went wrong (failures by reason with the server's own
// words, frames nobody asked for, bad lines, disconnects, users given up on). Plain data leaves it
// through snapshot() and takeInterval(); histograms leave encoded.
import { encodeHistogram, newHistogram, recordMicros, type Histogram } from '../../reports/schema/histogram.js';
import { noDeliveries, type Counter, type DeliveryCounter, type DeliveryCounts, type DeliveryOp, type LatencyOp } from '../../reports/schema/metric-names.js';
import type { EncodedOp, IntervalOp, Measurements, OpCounters, Tally } from '../../reports/schema/load-result.js';

// The shapes are the result's (reports/schema/load-result.ts); re-exported for the code that records.
export type { EncodedOp, IntervalOp, OpCounters, Tally };

/** A few of the server's messages per failure reason are kept: enough to say why, never a flood. */
export const FAILURE_SAMPLES = 3;

/** The failed, timed-out and unanswered requests of an interval: the progress display's error count. */
export function intervalErrors(ops: Readonly<Record<string, IntervalOp>>): number {
  let n = 0;
  for (const op of Object.values(ops)) n += op.failed + op.timeouts + op.unanswered;
  return n;
}

/** What a recorder (or several, combined) measured: the measurement part of the result [D-RESULT]. */
export type RecorderSnapshot = Measurements;

type IntervalCounts = Omit<IntervalOp, 'histogram'>;
const noCounts = (): IntervalCounts => ({ sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0 });

class OpRecord {
  readonly counters: OpCounters = { sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0, failedBy: {}, failureSamples: {}, span: null };
  readonly corrected = newHistogram();
  readonly uncorrected = newHistogram();
  /** From the scheduled time to the actual send, per request sent: the generator's own share of `corrected`. */
  readonly lag = newHistogram();
  /** Lags of sends taken back (retractSent), subtracted from `lag` when it leaves. */
  readonly retractedLag = newHistogram();
  interval = noCounts();
  readonly intervalHistogram: Histogram = newHistogram();
}

const bump = (tally: Tally, key: string, n = 1): void => { tally[key] = (tally[key] ?? 0) + n; };

/** A send "before" its due time is a clock reading taken just before the due one: no lag. */
function recordLag(h: Histogram, lagMs: number, n: number): void {
  h.recordValueWithCount(Math.min(3_600_000_000, Math.max(1, Math.round(Math.max(0, lagMs) * 1000))), n);
}

/** The lag histogram without the sends taken back. */
function encodeLag(record: OpRecord): string {
  if (record.retractedLag.totalCount === 0) return encodeHistogram(record.lag);
  const lag = newHistogram();
  lag.add(record.lag);
  lag.subtract(record.retractedLag);
  const encoded = encodeHistogram(lag);
  lag.destroy();
  return encoded;
}

export class Recorder {
  private readonly ops = new Map<LatencyOp, OpRecord>();
  private readonly delivery = new Map<DeliveryOp, DeliveryCounts>();
  private readonly tallies = { disconnects: {} as Tally, unexpectedFrames: {} as Tally, notices: {} as Tally, badLines: {} as Tally, usersFailed: {} as Tally };
  private downloadBytes = 0;

  private op(op: LatencyOp): OpRecord {
    let record = this.ops.get(op);
    if (!record) this.ops.set(op, (record = new OpRecord()));
    return record;
  }

  /** `timeouts`, `unanswered` (a send goes through sent(), which records its lag). */
  count(op: LatencyOp, counter: Exclude<Counter, 'failed' | 'ok' | 'sent'>, n = 1): void {
    const record = this.op(op);
    record.counters[counter] += n;
    record.interval[counter] += n;
  }

  /**
   * A request sent, `lagMs` after its scheduled time: counted as `sent`, its lag recorded [D-METRICS].
   * Every request goes through here, so the lag histogram holds one value per `sent`.
   */
  sent(op: LatencyOp, lagMs: number, n = 1): void {
    const record = this.op(op);
    record.counters.sent += n;
    record.interval.sent += n;
    recordLag(record.lag, lagMs, n);
  }

  /**
   * Takes back a `sent` (the request turned out to be something else: a probe, another op) with the
   * lag it was sent with, so the lag histogram still holds one value per `sent`.
   */
  retractSent(op: LatencyOp, lagMs: number): void {
    const record = this.op(op);
    record.counters.sent--;
    record.interval.sent--;
    recordLag(record.retractedLag, lagMs, 1);
  }

  /** A failure, by `reason` (a result code name, an HTTP status, an error code), with the server's words. */
  failed(op: LatencyOp, reason: string, message?: string): void {
    const record = this.op(op);
    record.counters.failed++;
    record.interval.failed++;
    bump(record.counters.failedBy, reason);
    if (message) {
      const samples = (record.counters.failureSamples[reason] ??= []);
      if (samples.length < FAILURE_SAMPLES && !samples.includes(message)) samples.push(message);
    }
  }

  /**
   * A success with its latency, from the scheduled time and from the send (ms). `atMs`, when given, is
   * when it completed on the shared clock, which widens the op's span (see OpCounters.span).
   */
  latency(op: LatencyOp, fromScheduledMs: number, fromSentMs: number, atMs?: number): void {
    const record = this.op(op);
    record.counters.ok++;
    record.interval.ok++;
    recordMicros(record.corrected, fromScheduledMs * 1000);
    recordMicros(record.uncorrected, fromSentMs * 1000);
    recordMicros(record.intervalHistogram, fromScheduledMs * 1000);
    if (atMs !== undefined) {
      const span = record.counters.span;
      const first = atMs - fromSentMs;
      if (!span) record.counters.span = { firstMs: first, lastMs: atMs };
      else { span.firstMs = Math.min(span.firstMs, first); span.lastMs = Math.max(span.lastMs, atMs); }
    }
  }

  deliveryCount(op: DeliveryOp, counter: DeliveryCounter, n = 1): void {
    let record = this.delivery.get(op);
    if (!record) this.delivery.set(op, (record = noDeliveries()));
    record[counter] += n;
  }

  disconnected(reason: string): void { bump(this.tallies.disconnects, reason); }
  unexpectedFrame(id: number): void { bump(this.tallies.unexpectedFrames, String(id)); }
  notice(id: number | string): void { bump(this.tallies.notices, String(id)); }
  badLine(kind: string): void { bump(this.tallies.badLines, kind); }
  userFailed(reason: string): void { bump(this.tallies.usersFailed, reason); }
  downloaded(bytes: number): void { this.downloadBytes += bytes; }

  /** The counts and histograms since the last call, and a fresh interval. */
  takeInterval(): Record<string, IntervalOp> {
    const out: Record<string, IntervalOp> = {};
    for (const [name, record] of this.ops) {
      const i = record.interval;
      if (i.sent === 0 && i.ok === 0 && i.failed === 0 && i.timeouts === 0 && i.unanswered === 0) continue;
      out[name] = { ...i, histogram: encodeHistogram(record.intervalHistogram) };
      record.interval = noCounts();
      record.intervalHistogram.reset();
    }
    return out;
  }

  snapshot(): RecorderSnapshot {
    const ops: Record<string, EncodedOp> = {};
    for (const [name, record] of this.ops) {
      const c = record.counters;
      ops[name] = {
        ...c, failedBy: { ...c.failedBy }, failureSamples: structuredClone(c.failureSamples), span: c.span && { ...c.span },
        corrected: encodeHistogram(record.corrected), uncorrected: encodeHistogram(record.uncorrected), lag: encodeLag(record),
      };
    }
    const delivery: RecorderSnapshot['delivery'] = {};
    for (const [name, record] of this.delivery) delivery[name] = { ...record };
    const t = this.tallies;
    return {
      ops, delivery, disconnects: { ...t.disconnects }, unexpectedFrames: { ...t.unexpectedFrames }, notices: { ...t.notices },
      badLines: { ...t.badLines }, usersFailed: { ...t.usersFailed }, downloadBytes: this.downloadBytes,
    };
  }

  destroy(): void {
    for (const record of this.ops.values()) {
      record.corrected.destroy();
      record.uncorrected.destroy();
      record.lag.destroy();
      record.retractedLag.destroy();
      record.intervalHistogram.destroy();
    }
  }
}

// What one worker measures: per operation a corrected and an uncorrected histogram and counters, the
// delivery accounting, disconnect reasons, and per-second intervals for the time series. Plain data
// leaves it through snapshot() and takeInterval(); histograms leave encoded.
import { encodeHistogram, newHistogram, recordMicros, type Histogram } from './histogram.js';
import type { Counter, DeliveryCounter, DeliveryOp, LatencyOp } from './metric-names.js';

export interface OpCounters {
  sent: number;
  ok: number;
  failed: number;
  timeouts: number;
  /** Failures by the server's result code name (or a local reason). */
  failedBy: Record<string, number>;
}

export interface EncodedOp extends OpCounters {
  /** Latency from the scheduled time (coordinated omission corrected). */
  corrected: string;
  /** Latency from the actual send. */
  uncorrected: string;
}

export interface IntervalOp {
  sent: number;
  ok: number;
  failed: number;
  timeouts: number;
  /** Corrected latencies of this interval. */
  histogram: string;
}

export interface RecorderSnapshot {
  ops: Record<string, EncodedOp>;
  delivery: Record<string, Record<DeliveryCounter, number>>;
  disconnects: Record<string, number>;
}

class OpRecord {
  readonly counters: OpCounters = { sent: 0, ok: 0, failed: 0, timeouts: 0, failedBy: {} };
  readonly corrected = newHistogram();
  readonly uncorrected = newHistogram();
  interval = { sent: 0, ok: 0, failed: 0, timeouts: 0 };
  readonly intervalHistogram: Histogram = newHistogram();
}

export class Recorder {
  private readonly ops = new Map<LatencyOp, OpRecord>();
  private readonly delivery = new Map<DeliveryOp, Record<DeliveryCounter, number>>();
  private readonly disconnects: Record<string, number> = {};
  /** False outside the measured window: counting stops, except for setup operations. */
  measuring = false;

  private op(op: LatencyOp): OpRecord {
    let record = this.ops.get(op);
    if (!record) this.ops.set(op, (record = new OpRecord()));
    return record;
  }

  count(op: LatencyOp, counter: Exclude<Counter, 'failed'>): void {
    const record = this.op(op);
    record.counters[counter]++;
    record.interval[counter]++;
  }

  /** Takes back a `sent`: the request turned out to be a probe, not the operation (see im-users). */
  retractSent(op: LatencyOp): void {
    const record = this.op(op);
    record.counters.sent--;
    record.interval.sent--;
  }

  failed(op: LatencyOp, reason: string): void {
    const record = this.op(op);
    record.counters.failed++;
    record.interval.failed++;
    record.counters.failedBy[reason] = (record.counters.failedBy[reason] ?? 0) + 1;
  }

  /** A success with its latency: from the scheduled time and from the send, in ms. */
  latency(op: LatencyOp, fromScheduledMs: number, fromSentMs: number): void {
    const record = this.op(op);
    record.counters.ok++;
    record.interval.ok++;
    recordMicros(record.corrected, fromScheduledMs * 1000);
    recordMicros(record.uncorrected, fromSentMs * 1000);
    recordMicros(record.intervalHistogram, fromScheduledMs * 1000);
  }

  deliveryCount(op: DeliveryOp, counter: DeliveryCounter, n = 1): void {
    let record = this.delivery.get(op);
    if (!record) this.delivery.set(op, (record = { delivered: 0, lost: 0, duplicated: 0, reordered: 0 }));
    record[counter] += n;
  }

  disconnected(reason: string): void {
    this.disconnects[reason] = (this.disconnects[reason] ?? 0) + 1;
  }

  /** The counts and histograms since the last call, and a fresh interval. */
  takeInterval(): Record<string, IntervalOp> {
    const out: Record<string, IntervalOp> = {};
    for (const [name, record] of this.ops) {
      const { sent, ok, failed, timeouts } = record.interval;
      if (sent + ok + failed + timeouts === 0) continue;
      out[name] = { sent, ok, failed, timeouts, histogram: encodeHistogram(record.intervalHistogram) };
      record.interval = { sent: 0, ok: 0, failed: 0, timeouts: 0 };
      record.intervalHistogram.reset();
    }
    return out;
  }

  snapshot(): RecorderSnapshot {
    const ops: Record<string, EncodedOp> = {};
    for (const [name, record] of this.ops) {
      ops[name] = { ...record.counters, failedBy: { ...record.counters.failedBy }, corrected: encodeHistogram(record.corrected), uncorrected: encodeHistogram(record.uncorrected) };
    }
    const delivery: RecorderSnapshot['delivery'] = {};
    for (const [name, record] of this.delivery) delivery[name] = { ...record };
    return { ops, delivery, disconnects: { ...this.disconnects } };
  }

  destroy(): void {
    for (const record of this.ops.values()) {
      record.corrected.destroy();
      record.uncorrected.destroy();
      record.intervalHistogram.destroy();
    }
  }
}

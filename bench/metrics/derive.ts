// Flat metric values [D-METRICS] from what a run measured: what thresholds are checked against and
// what the summary shows. Latencies in milliseconds, rates per second.
import { decodeHistogram, summarize } from '../../reports/schema/histogram.js';
import { LATENCY_STATS, SETUP_OPS, type LatencyOp } from '../../reports/schema/metric-names.js';
import type { RecorderSnapshot, Tally } from './recorder.js';

export type Measurements = Pick<RecorderSnapshot, 'ops' | 'delivery' | 'disconnects' | 'unexpectedFrames' | 'badLines' | 'downloadBytes'>;

const total = (tally: Readonly<Tally>): number => Object.values(tally).reduce((n, v) => n + v, 0);
const round2 = (v: number): number => Math.round(v * 100) / 100;

/**
 * [D-VERDICT] `errors`: failed, timed-out and unanswered requests of every operation, lost and
 * corrupted deliveries, frames under an unexpected id, bad lines, and connections the target closed
 * or reset while the run still used them. `attempts`: the requests and deliveries that could have
 * failed, and those unasked-for events.
 */
export function errorCount(m: Measurements): { errors: number; attempts: number } {
  // What the server did unasked (closing, frames and lines nobody awaited) is an error and an event of
  // its own, so the ratio stays a share: at most 1.
  const unasked = total(m.disconnects) + total(m.unexpectedFrames) + total(m.badLines);
  let errors = unasked;
  let attempts = unasked;
  for (const op of Object.values(m.ops)) {
    errors += op.failed + op.timeouts + op.unanswered;
    attempts += op.sent;
  }
  for (const d of Object.values(m.delivery)) errors += d.lost + d.corrupted;
  return { errors, attempts };
}

export function deriveMetrics(m: Measurements, measuredMs: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [op, record] of Object.entries(m.ops)) {
    for (const counter of ['sent', 'ok', 'failed', 'timeouts', 'unanswered'] as const) metrics[`${op}.${counter}`] = record[counter];
    // Setup happens when it happens (a ramp-up, a login storm): its rate is over the span it took.
    const span = SETUP_OPS.has(op as LatencyOp) && record.span ? Math.max(1, record.span.lastMs - record.span.firstMs) : measuredMs;
    metrics[`${op}.rate`] = span > 0 ? round2((record.ok / span) * 1000) : 0;
    for (const [variant, encoded] of [['', record.corrected], ['_uncorrected', record.uncorrected]] as const) {
      const histogram = decodeHistogram(encoded);
      if (histogram.totalCount > 0) {
        const summary = summarize(histogram);
        for (const stat of LATENCY_STATS) metrics[`${op}.${stat}${variant}`] = summary[stat];
      }
      histogram.destroy();
    }
  }
  for (const [op, counters] of Object.entries(m.delivery)) {
    for (const [counter, value] of Object.entries(counters)) metrics[`${op}.${counter}`] = value;
  }
  if (m.ops.download) metrics['download.throughput'] = measuredMs > 0 ? Math.round((m.downloadBytes / measuredMs) * 1000) : 0;
  const { errors, attempts } = errorCount(m);
  metrics.errors = errors;
  metrics['errors.ratio'] = attempts > 0 ? errors / attempts : errors > 0 ? 1 : 0;
  return metrics;
}

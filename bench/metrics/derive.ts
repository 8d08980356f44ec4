// Flat metric values [D-METRICS] from a run's operations and delivery accounting: what thresholds
// are checked against and what the summary shows. Latencies in milliseconds.
import { decodeHistogram, summarize } from './histogram.js';
import { LATENCY_STATS } from './metric-names.js';
import type { EncodedOp } from './recorder.js';
import type { DeliveryCounter } from './metric-names.js';

export function deriveMetrics(
  ops: Readonly<Record<string, EncodedOp>>,
  delivery: Readonly<Record<string, Record<DeliveryCounter, number>>>,
  measuredMs: number,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [op, record] of Object.entries(ops)) {
    metrics[`${op}.sent`] = record.sent;
    metrics[`${op}.ok`] = record.ok;
    metrics[`${op}.failed`] = record.failed;
    metrics[`${op}.timeouts`] = record.timeouts;
    metrics[`${op}.rate`] = measuredMs > 0 ? Math.round((record.ok / measuredMs) * 1000 * 100) / 100 : 0;
    for (const [variant, encoded] of [['', record.corrected], ['_uncorrected', record.uncorrected]] as const) {
      const histogram = decodeHistogram(encoded);
      if (histogram.totalCount > 0) {
        const summary = summarize(histogram);
        for (const stat of LATENCY_STATS) metrics[`${op}.${stat}${variant}`] = summary[stat];
      }
      histogram.destroy();
    }
  }
  for (const [op, counters] of Object.entries(delivery)) {
    for (const [counter, value] of Object.entries(counters)) metrics[`${op}.${counter}`] = value;
  }
  return metrics;
}

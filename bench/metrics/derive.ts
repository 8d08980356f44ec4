// Flat metric values [D-METRICS] from what a run measured: what thresholds are checked against and
// what the summary shows. Latencies in milliseconds, rates per second.
import { decodeHistogram, summarize } from '../../reports/schema/histogram.js';
import { LATENCY_STATS, SETUP_OPS, type LatencyOp } from '../../reports/schema/metric-names.js';
import { errorCount } from '../../reports/schema/error-count.js';
import type { RecorderSnapshot } from './recorder.js';

export { errorCount };

export type Measurements = Pick<RecorderSnapshot, 'ops' | 'delivery' | 'disconnects' | 'unexpectedFrames' | 'badLines' | 'downloadBytes'>;

const round2 = (v: number): number => Math.round(v * 100) / 100;

export function deriveMetrics(m: Measurements, measuredMs: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [op, record] of Object.entries(m.ops)) {
    for (const counter of ['sent', 'ok', 'failed', 'timeouts', 'unanswered'] as const) metrics[`${op}.${counter}`] = record[counter];
    // Setup happens when it happens (a ramp-up, a login storm): its rate is over the span it took.
    const span = SETUP_OPS.has(op as LatencyOp) && record.span ? Math.max(1, record.span.lastMs - record.span.firstMs) : measuredMs;
    metrics[`${op}.rate`] = span > 0 ? round2((record.ok / span) * 1000) : 0;
    const variants: [(stat: string) => string, string | undefined][] = [[(s) => `${op}.${s}`, record.corrected], [(s) => `${op}.${s}_uncorrected`, record.uncorrected], [(s) => `${op}.lag.${s}`, record.lag]];
    for (const [name, encoded] of variants) {
      if (encoded === undefined) continue;
      const histogram = decodeHistogram(encoded);
      if (histogram.totalCount > 0) {
        const summary = summarize(histogram);
        for (const stat of LATENCY_STATS) metrics[name(stat)] = summary[stat];
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

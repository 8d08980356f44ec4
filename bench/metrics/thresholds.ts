// Thresholds: `METRIC OP VALUE`, e.g. `chat.e2e.p99<50ms`, `chat.lost==0` [D-METRICS]. Parsed before
// anything connects, so a typo exits 2 instead of passing silently.
import { metricKind, type MetricKind } from './metric-names.js';

export const COMPARATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export interface Threshold {
  /** As the user wrote it. */
  source: string;
  metric: string;
  kind: MetricKind;
  comparator: Comparator;
  /** Latencies in milliseconds; counts and rates as written. */
  value: number;
}

export interface ThresholdOutcome {
  threshold: string;
  metric: string;
  /** The measured value (latencies in ms), or null when the run produced no such figure. */
  actual: number | null;
  passed: boolean;
}

export class ThresholdError extends Error {
  readonly code = 'BAD_THRESHOLD';
}

const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
const PATTERN = /^\s*([A-Za-z0-9_.]+)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$/;

export function parseThreshold(source: string): Threshold {
  const match = PATTERN.exec(source);
  if (!match) throw new ThresholdError(`threshold "${source}" is not METRIC OP VALUE (for example 'chat.e2e.p99<50ms' or 'chat.lost==0'); OP is one of ${COMPARATORS.join(' ')}`);
  const [, metric, comparator, number, unit] = match as unknown as [string, string, Comparator, string, string];
  const kind = metricKind(metric);
  if (!kind) throw new ThresholdError(`threshold "${source}": unknown metric "${metric}" (the README lists every metric name)`);
  let value = Number(number);
  if (kind === 'latency') {
    const scale = TIME_UNITS_MS[unit];
    if (scale === undefined) throw new ThresholdError(`threshold "${source}": ${metric} is a time; give its unit: us, ms or s (for example ${metric}<50ms)`);
    value *= scale;
  } else if (unit !== '') {
    throw new ThresholdError(`threshold "${source}": ${metric} is a ${kind === 'rate' ? 'rate per second' : 'count'} and takes no unit`);
  }
  return { source, metric, kind, comparator, value };
}

function compare(actual: number, comparator: Comparator, value: number): boolean {
  switch (comparator) {
    case '<': return actual < value;
    case '<=': return actual <= value;
    case '>': return actual > value;
    case '>=': return actual >= value;
    case '==': return actual === value;
    case '!=': return actual !== value;
  }
}

/**
 * Evaluates thresholds over a run's metrics. A metric the run did not produce (no such operation
 * happened) fails its threshold: a threshold that cannot be checked must not pass.
 */
export function evaluateThresholds(thresholds: readonly Threshold[], metrics: Readonly<Record<string, number>>): ThresholdOutcome[] {
  return thresholds.map((t) => {
    const actual = metrics[t.metric];
    return {
      threshold: t.source,
      metric: t.metric,
      actual: actual ?? null,
      passed: actual !== undefined && compare(actual, t.comparator, t.value),
    };
  });
}

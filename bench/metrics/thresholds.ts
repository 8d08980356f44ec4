// Thresholds: `METRIC OP VALUE`, e.g. `chat.e2e.p99<50ms`, `chat.lost==0` [D-METRICS]. Parsed before
// anything connects, so a typo exits 2 instead of passing silently. A run has one default threshold,
// `errors==0`, unless the user gives one on `errors` or `errors.ratio` or drops it [D-VERDICT].
import { UsageError } from '../../util/errors.js';
import { TIME_UNIT_NAMES, timeInMs } from '../../util/units.js';
import { metricInfo, type MetricInfo, type MetricKind } from '../../reports/schema/metric-names.js';

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
  /** The run's default threshold, not one the user gave. */
  isDefault?: boolean;
}

export interface ThresholdOutcome {
  threshold: string;
  metric: string;
  /** The measured value (latencies in ms), or null when the run produced no such figure. */
  actual: number | null;
  passed: boolean;
  /** The default threshold of [D-VERDICT], not one the user gave. */
  isDefault?: boolean;
  /** Why a threshold could not hold: "nothing was measured for login". */
  note?: string;
}

export class ThresholdError extends UsageError {
  constructor(message: string) {
    super(message, 'BAD_THRESHOLD');
  }
}

const PATTERN = /^\s*([A-Za-z0-9_.]+)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$/;

export function parseThreshold(source: string): Threshold {
  const match = PATTERN.exec(source);
  if (!match) throw new ThresholdError(`threshold "${source}" is not METRIC OP VALUE (for example 'chat.e2e.p99<50ms' or 'chat.lost==0'); OP is one of ${COMPARATORS.join(' ')}`);
  const [, metric, comparator, number, unit] = match as unknown as [string, string, Comparator, string, string];
  const kind = metricInfo(metric)?.kind;
  if (!kind) throw new ThresholdError(`threshold "${source}": unknown metric "${metric}" (the README lists every metric name)`);
  let value = Number(number);
  if (kind === 'latency') {
    // The units of the command line and scenario files [D-METRICS]: a time carries one, except 0.
    const ms = unit === '' && value === 0 ? 0 : timeInMs(value, unit);
    if (ms === null) throw new ThresholdError(`threshold "${source}": ${metric} is a time; give its unit: ${TIME_UNIT_NAMES} (for example ${metric}<50ms)`);
    value = ms;
  } else if (unit !== '') {
    throw new ThresholdError(`threshold "${source}": ${metric} is a ${kind === 'rate' ? 'rate per second' : kind === 'ratio' ? 'ratio (0.01 is 1%)' : 'count'} and takes no unit`);
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

/** The default threshold of [D-VERDICT]: every error fails the run unless the user says what is acceptable. */
export const DEFAULT_THRESHOLD = 'errors==0';

/**
 * The thresholds a run is judged by: the user's, plus `errors==0` unless one of theirs is on `errors`
 * or `errors.ratio` (it replaces the default) or `withDefault` is false (--no-default-thresholds).
 */
export function withDefaultThreshold(given: readonly Threshold[], withDefault: boolean): Threshold[] {
  const replaced = given.some((t) => t.metric === 'errors' || t.metric === 'errors.ratio');
  return withDefault && !replaced ? [{ ...parseThreshold(DEFAULT_THRESHOLD), isDefault: true }, ...given] : [...given];
}

/** What a metric measures, for "nothing was measured for OP": null when it was measured. */
function unmeasured(info: MetricInfo, metrics: Readonly<Record<string, number>>): string | null {
  if (info.basis === 'any') {
    const attempted = Object.keys(metrics).some((name) => name.endsWith('.sent') && metrics[name]! > 0);
    return attempted ? null : 'the run';
  }
  const { ops, need } = info.basis;
  const done = ops.reduce((n, op) => n + (metrics[`${op}.${need}`] ?? 0), 0);
  return done > 0 ? null : ops.join(' or ');
}

/**
 * Evaluates thresholds over a run's metrics. A threshold on an operation that was never attempted (or,
 * for a latency, never succeeded) fails with "nothing was measured for OP": `chat.lost==0` must not hold
 * against a server to which no chat was ever sent.
 */
export function evaluateThresholds(thresholds: readonly Threshold[], metrics: Readonly<Record<string, number>>): ThresholdOutcome[] {
  return thresholds.map((t) => {
    const actual = metrics[t.metric];
    const missing = unmeasured(metricInfo(t.metric)!, metrics);
    const outcome: ThresholdOutcome = {
      threshold: t.source,
      metric: t.metric,
      actual: missing === null ? actual ?? null : null,
      passed: missing === null && actual !== undefined && compare(actual, t.comparator, t.value),
    };
    if (t.isDefault) outcome.isDefault = true;
    if (missing !== null) outcome.note = `nothing was measured for ${missing}`;
    // Measured, yet without this figure: a run, or a shard of a merged run, older than the figure.
    else if (actual === undefined) outcome.note = `this run has no ${t.metric} figure${t.metric.includes('.lag.') ? ' (the send lag is measured from result schema version 4; a run merged with an older one has none)' : ''}`;
    return outcome;
  });
}

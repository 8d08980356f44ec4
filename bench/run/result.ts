// The load result file [D-RESULT]: its schema and types are reports/schema/load-result.ts; here is
// how the generator assembles one from what a run (or several parts of one) measured. Written by
// `load --out` and `merge --out`, read back with reports/schema's readLoadResult.
import type { Endpoint } from '../../client/target.js';
import type { LoadConfig } from '../config/load-config.js';
import { deriveMetrics } from '../metrics/derive.js';
import type { ThresholdOutcome as EvaluatedThreshold } from '../metrics/thresholds.js';
import { evaluateThresholds } from '../metrics/thresholds.js';
import { LOAD_SCHEMA_VERSION } from '../../reports/schema/load-constants.js';
import type {
  Environment, Failure, LoadResult, Measurements, RecordedConfig, SecondSample, ShardSummary, ThresholdOutcome, WorkerHealth,
} from '../../reports/schema/load-result.js';
import { decideOutcome } from './outcome.js';

export { LOAD_SCHEMA_VERSION };
export type { Failure, LoadResult, RunStatus, SecondSample, ShardSummary } from '../../reports/schema/load-result.js';

// The schema describes the config and the threshold outcomes itself (reports/schema imports nothing
// of bench/): these fail to compile the moment the generator's types and the schema's part ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const configIsRecorded: Same<RecordedConfig, Omit<LoadConfig, 'thresholds'> & { thresholds: string[] }> = true;
const thresholdsAreRecorded: Same<ThresholdOutcome, EvaluatedThreshold> = true;
void configIsRecorded;
void thresholdsAreRecorded;

/** How a result names a target: host:port. */
export const targetName = (t: Endpoint): string => `${t.host}:${t.port}`;

/** A failure's target, when it can only be one: the run has a single target. */
export function onlyTarget(config: Pick<LoadConfig, 'targets'>): { target: string } | Record<string, never> {
  return config.targets.length === 1 ? { target: targetName(config.targets[0]!) } : {};
}

/** The run's settings as the result records them: thresholds as written. */
export function recordedConfig(config: LoadConfig): RecordedConfig {
  return { ...config, thresholds: config.thresholds.map((t) => t.source) };
}

/** What a result is made of, before it is judged. */
export interface ResultParts {
  runId: string;
  version: string;
  startedAt: string;
  finishedAt: string;
  /** Judged by its thresholds and overload limits. */
  config: LoadConfig;
  environment: Environment;
  targetScryptCost: number | null;
  /** The measured window actually run, ms (rounded in the result; metrics use it as given). */
  measuredMs: number;
  measured: Measurements;
  timeSeries: SecondSample[];
  workers: WorkerHealth[];
  cpu: LoadResult['generator']['cpu'];
  peakRssBytes: number;
  /** Whether the run started at all, and what it saw (see RunFacts). */
  started: boolean;
  failures: readonly Failure[];
  shards: ShardSummary[];
}

/** The result: metrics derived, thresholds evaluated, the run judged [D-VERDICT]. */
export function assembleResult(p: ResultParts): LoadResult {
  const metrics = deriveMetrics(p.measured, p.measuredMs);
  const thresholds = evaluateThresholds(p.config.thresholds, metrics);
  const outcome = decideOutcome(p.config, { started: p.started, failures: p.failures, workers: p.workers, thresholds });
  return {
    kind: 'load',
    schemaVersion: LOAD_SCHEMA_VERSION,
    runId: p.runId,
    tool: { name: 'talkbench', version: p.version },
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    config: recordedConfig(p.config),
    environment: p.environment,
    targetScryptCost: p.targetScryptCost,
    measuredMs: Math.round(p.measuredMs),
    status: outcome.status,
    exitCode: outcome.exitCode,
    failures: outcome.failures,
    reasons: outcome.reasons,
    ...p.measured,
    metrics,
    timeSeries: p.timeSeries,
    generator: {
      workers: p.workers,
      cpu: p.cpu,
      peakRssBytes: p.peakRssBytes,
      actionsScheduled: p.workers.reduce((n, w) => n + w.actionsScheduled, 0),
      lateStarts: p.workers.reduce((n, w) => n + w.lateStarts, 0),
      overloaded: outcome.failures.some((f) => f.code === 'overloaded'),
    },
    thresholds,
    shards: p.shards,
  };
}

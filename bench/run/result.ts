// The load result file [D-RESULT]: versioned JSON with the run's config and environment, counters,
// encoded histograms and the per-second time series. Written by `load --out`, read by `merge`.
import type { LoadConfig } from '../config/load-config.js';
import type { ThresholdOutcome } from '../metrics/thresholds.js';
import type { IntervalOp, RecorderSnapshot } from '../metrics/recorder.js';
import type { WorkerHealth } from '../worker/task.js';

/**
 * 2: `unanswered` and `span` per op, failure samples, unexpected frames, notices, bad lines, users
 * failed, download bytes; thresholds mark the default one.
 */
export const LOAD_SCHEMA_VERSION = 2;

export type RunStatus = 'passed' | 'thresholds-crossed' | 'interrupted' | 'target-failed' | 'overloaded' | 'unreachable';

export interface SecondSample {
  /** 1 for the first second of the measured window. */
  second: number;
  ops: Record<string, IntervalOp>;
}

/** What the run measured (RecorderSnapshot: ops, deliveries, and why things went wrong), and about the run. */
export interface LoadResult extends RecorderSnapshot {
  kind: 'load';
  schemaVersion: typeof LOAD_SCHEMA_VERSION;
  runId: string;
  tool: { name: 'talkbench'; version: string };
  startedAt: string;
  finishedAt: string;
  config: Omit<LoadConfig, 'thresholds'> & { thresholds: string[] };
  environment: {
    node: string;
    platform: string;
    cpuModel: string;
    cpus: number;
    memoryBytes: number;
    loadAverage: { start: number[]; end: number[] };
    openFileLimit: number | null;
  };
  /** scrypt cost of the target, when the run knows it (it started the target itself) [D-HASH]. */
  targetScryptCost: number | null;
  /** Length of the measured window actually run (shorter when stopped early). */
  measuredMs: number;
  status: RunStatus;
  exitCode: number;
  /** Why the status is what it is, in words. */
  reasons: string[];
  metrics: Record<string, number>;
  timeSeries: SecondSample[];
  generator: {
    workers: WorkerHealth[];
    /** CPU of the generator process(es) over the whole run. */
    cpu: { userMs: number; systemMs: number; wallMs: number };
    peakRssBytes: number;
    actionsScheduled: number;
    lateStarts: number;
    overloaded: boolean;
  };
  thresholds: ThresholdOutcome[];
  /** The shard results a merged result was made of (their runIds and shard positions). */
  shards: { runId: string; shard: string }[];
}

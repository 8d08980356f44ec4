// What a scenario may use of the thread it runs in, and nothing more: where to connect and how, the
// shared timeline, the recorder, the stop signal and the verdict that a target failed. The worker
// (bench/worker/worker-context.ts) implements it; the engine never imports the worker, so imports
// flow inward [D-LAYOUT-REPO] and a scenario can be driven by a test without a thread.
import type { Endpoint } from '../../client/target.js';
import type { FrameLayout } from '../../proto/index.js';
import type { Recorder } from '../metrics/recorder.js';

/** Times on the shared monotonic clock (monoMs), identical for every worker of a run. */
export interface Timeline {
  startMs: number;
  /** Connections (ping) or users (scenarios) start over [startMs, startMs + rampUpMs). */
  rampUpMs: number;
  measureStartMs: number;
  measureEndMs: number;
  /** After measureEndMs: replies and deliveries still counted until then, then logout. */
  graceEndMs: number;
}

/** Where and how a scenario connects: the run-wide settings of its task. */
export interface ScenarioTask {
  runId: string;
  targets: readonly Endpoint[];
  sourceAddresses: readonly string[];
  layout: FrameLayout;
  maxBodyBytes: number;
  timeoutMs: number;
}

/** Connections as the scenario counts them, reported to the main thread with the progress. */
export interface ScenarioStatus {
  connected: number;
  loggedIn: number;
  connectFailures: number;
}

export interface ScenarioContext {
  readonly task: ScenarioTask;
  readonly timeline: Timeline;
  readonly recorder: Recorder;
  readonly status: ScenarioStatus;
  /** The run was stopped (SIGINT, another worker's target failure, or this one's). */
  readonly stopping: boolean;
  /** Set once a target failed under this worker: the scenario stops waiting for answers. */
  readonly targetFailure: string | null;
  /** True when an action due (or sent) at `ms` belongs to the measured window. */
  inWindow(ms: number): boolean;
  /** Resolves at `ms` on the shared clock, or as soon as the run is stopped. */
  sleepUntil(ms: number): Promise<void>;
  /** The run cannot go on (a target is gone): tells the main thread at once, and stops. */
  failTarget(reason: string): void;
}

// What crosses the thread boundary: plain data only (structured clone drops classes and functions).
// A task in; progress and control messages through a MessagePort; a WorkerResult out, histograms encoded.
import type { MessagePort } from 'node:worker_threads';
import type { ScenarioTask, Timeline } from '../engine/scenario-context.js';
import type { PingPlan, UsersPlan } from '../engine/scenario-plan.js';
import type { IntervalOp, Measurements, WorkerHealth } from '../../reports/schema/load-result.js';

// The health a worker reports is the result's shape (reports/schema/load-result.ts).
export type { WorkerHealth };

// The timeline and the plans are the engine's: it reads them, and imports nothing of the worker
// [D-LAYOUT-REPO]. Re-exported for the main thread, which fills them in.
export type { PingPlan, Timeline, UsersPlan };

/** One worker's whole run: where and how to connect (ScenarioTask), and its plan. */
export interface WorkerTask extends ScenarioTask {
  worker: number;
  plan: PingPlan | UsersPlan;
  /** Filled in from the GoMessage: the run starts once every worker is ready. */
  timeline: Timeline;
  /** Late-start limit for the overload check. */
  lateStartMs: number;
  port: MessagePort;
}

export interface WorkerStatus {
  connected: number;
  loggedIn: number;
  connectFailures: number;
}

/** Worker -> main, about once a second. */
export interface ProgressMessage {
  kind: 'progress';
  worker: number;
  status: WorkerStatus;
  /**
   * The second this interval closes, counted from the measured window's start: 1 is its first second,
   * 0 and below come before it (ramp-up, warm-up), past its last the grace window and logout. The
   * last message, from finish(), closes the second in progress early.
   */
  second: number;
  ops: Record<string, IntervalOp>;
}

/** Worker -> main, at once: the run cannot be trusted to go on. */
export interface FailureMessage {
  kind: 'target-failed';
  worker: number;
  reason: string;
}

/** Worker -> main: loaded and waiting for the timeline. */
export interface ReadyMessage {
  kind: 'ready';
  worker: number;
}

/** Main -> worker, once every worker is ready: the same timeline for all. */
export interface GoMessage {
  kind: 'go';
  timeline: Timeline;
}

/** Main -> worker: stop early (SIGINT, or the target failed under another worker). */
export interface StopMessage {
  kind: 'stop';
  reason: string;
}

export type WorkerMessage = ProgressMessage | FailureMessage | ReadyMessage;

export interface WorkerResult {
  worker: number;
  snapshot: Measurements;
  health: WorkerHealth;
  status: WorkerStatus;
  /** Set when the worker saw the target fail. */
  targetFailure: string | null;
  stoppedEarly: string | null;
}

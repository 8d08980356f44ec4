// What crosses the thread boundary: plain data only [STYLE 4]. A task in; progress and control
// messages through a MessagePort; a WorkerResult out, histograms encoded.
import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from '../../client/target.js';
import type { FrameLayout } from '../../proto/index.js';
import type { LoadConfig } from '../config/load-config.js';
import type { IntervalOp, RecorderSnapshot } from '../metrics/recorder.js';


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

export interface PingPlan {
  scenario: 'ping';
  /** Connections this worker opens, and the index of its first one in the whole run. */
  connections: number;
  firstConnection: number;
  /** Closed: `inflight` requests in flight per connection. Open: `rate` requests/s from this worker in all. */
  model: 'open' | 'closed';
  rate: number;
  inflight: number;
  bodyBytes: number;
}

export interface UsersPlan {
  scenario: 'users';
  protocol: 'im' | 'chat';
  /** This worker's whole friend groups. */
  groups: { first: number; end: number };
  /** Users in the whole run (every shard), for names and ramp-up spacing. */
  totalUsers: number;
  groupSize: number;
  seed: string;
  heartbeatIntervalMs: number;
  rates: LoadConfig['rates'];
  chatBytes: number;
  uploadBytes: LoadConfig['uploadBytes'];
  /** Requests the target is not expected to answer (--unanswered): sent, never timed. */
  unanswered: LoadConfig['unanswered'];
  fileListIntervalMs: number;
  /** --http: where files are downloaded from instead of the server's URL. */
  httpBase: string | null;
  reconnect: LoadConfig['reconnect'];
}

export interface WorkerTask {
  runId: string;
  worker: number;
  plan: PingPlan | UsersPlan;
  targets: Endpoint[];
  sourceAddresses: string[];
  layout: FrameLayout;
  maxBodyBytes: number;
  timeoutMs: number;
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
  /** Index (from 1) of the measured second this interval closes, or 0 outside the measured window. */
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

export interface WorkerHealth {
  worker: number;
  /** Event-loop delay over the measured window, ms. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** Share of the measured window the event loop was busy, 0 to 1. */
  utilization: number;
  actionsScheduled: number;
  lateStarts: number;
}

export interface WorkerResult {
  worker: number;
  snapshot: RecorderSnapshot;
  health: WorkerHealth;
  status: WorkerStatus;
  /** Set when the worker saw the target fail. */
  targetFailure: string | null;
  stoppedEarly: string | null;
}

// A load run's settings, resolved: every default applied, every time in ms, every size in bytes.
// Built by resolveLoadOptions (config/load-options.ts) from the flags and an optional scenario file;
// what the result file records as `config`.
import type { FrameLayout } from '../../proto/index.js';
import type { RequestOp } from '../../reports/schema/metric-names.js';
import type { Threshold } from '../metrics/thresholds.js';
import type { Endpoint } from '../../client/target.js';

export type ScenarioName = 'users' | 'ping';
export type Protocol = 'im' | 'chat';

export interface LoadConfig {
  scenario: ScenarioName;
  protocol: Protocol;
  targets: Endpoint[];
  /** Simulated users (ping: connections). */
  users: number;
  rampUpMs: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  graceMs: number;
  /** Ping: requests/s in all (open model); null with inflight or heartbeat-interval pacing. */
  rate: number | null;
  /** Ping: requests in flight per connection (closed model); null for the open model. */
  inflight: number | null;
  heartbeatIntervalMs: number;
  bodyBytes: number;
  /** Users scenario: friends are groups of this many consecutive users. */
  groupSize: number;
  /** Users scenario: actions per user per second (Poisson arrivals). */
  rates: { chat: number; upload: number; status: number; userInfo: number; fileList: number; broadcast: number };
  chatBytes: number;
  uploadBytes: { min: number; max: number };
  /** Requests the target is not expected to answer (the original never answers heartbeats). */
  unanswered: RequestOp[];
  /** How often a user that can be sent files polls its file list. */
  fileListIntervalMs: number;
  /** Download files from here instead of the URL the server gives, or null. */
  httpBase: string | null;
  /** IM users logging out and back in: per user per second, and how long they stay away. */
  reconnect: { rate: number; awayMs: number };
  workers: number;
  processes: number;
  layout: FrameLayout;
  maxBodyBytes: number;
  seed: string;
  sourceAddresses: string[];
  /** The user's thresholds, and the default `errors==0` unless replaced or dropped [D-VERDICT]. */
  thresholds: Threshold[];
  /** Overload limits [D-OVERLOAD]: at least minLateActions late by lateStartMs and over lateShare of all. */
  overload: { lateStartMs: number; lateShare: number; minLateActions: number; eventLoopP99Ms: number };
  shard: { index: number; count: number };
  /** This process's slice of the shard, when --processes splits it (1/1 otherwise). */
  slice: { index: number; count: number };
}

export const DEFAULTS = {
  users: 100,
  rampUpMs: 0,
  durationMs: 10_000,
  timeoutMs: 5000,
  graceMs: 2000,
  heartbeatIntervalMs: 10_000,
  bodyBytes: 0,
  groupSize: 5,
  rates: { chat: 0.1, upload: 0, status: 0.01, userInfo: 0, fileList: 0, broadcast: 0.05 },
  chatBytes: 64,
  uploadBytes: { min: 1024, max: 16 * 1024 },
  fileListIntervalMs: 1000,
  reconnect: { rate: 0, awayMs: 1000 },
  overload: { lateStartMs: 10, lateShare: 0.01, minLateActions: 50, eventLoopP99Ms: 50 },
} as const;

/** Requests --unanswered may name: their replies gate nothing the scenario does next. */
export const UNANSWERABLE_OPS = ['heartbeat', 'userinfo', 'filelist'] as const satisfies readonly RequestOp[];

/** [D-LOAD] warmup defaults to 1s for ping and 0 for user scenarios. */
export function defaultWarmupMs(scenario: ScenarioName): number {
  return scenario === 'ping' ? 1000 : 0;
}

// What one worker's scenario is told to run: its slice of the connections (ping) or of the friend
// groups (users), and the rates and sizes the scenario reads. Plain data, defined here beside the
// scenarios that read it, so that the engine imports nothing of the worker or the config that fill it
// in (imports flow inward [D-LAYOUT-REPO]).
import type { RequestOp } from '../../reports/schema/metric-names.js';

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

/** Actions per user per second (Poisson arrivals). */
export interface ActionRates {
  chat: number;
  upload: number;
  status: number;
  userInfo: number;
  fileList: number;
  broadcast: number;
}

/** A size in bytes drawn uniformly from [min, max]. */
export interface SizeRange {
  min: number;
  max: number;
}

/** IM users logging out and back in: per user per second, and how long they stay away. */
export interface ReconnectPlan {
  rate: number;
  awayMs: number;
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
  rates: ActionRates;
  chatBytes: number;
  uploadBytes: SizeRange;
  /** Requests the target is not expected to answer (--unanswered): sent, never timed. */
  unanswered: RequestOp[];
  fileListIntervalMs: number;
  /** --http: where files are downloaded from instead of the server's URL. */
  httpBase: string | null;
  reconnect: ReconnectPlan;
}

export type ScenarioPlan = PingPlan | UsersPlan;

// Every setting of `talkbench load`, in one table: its flag, its scenario-file field, the kind of
// value, its default and its help. The CLI declares its options from it, docs/SCENARIO.md lists its
// fields, and resolveLoadOptions turns the words given and the file into a LoadConfig, or reports
// every mistake at once (exit 2) [D-LOAD] [D-EXIT].
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_MAX_BODY_BYTES, FRAME_LAYOUTS } from '../../proto/index.js';
import { parseTargets, type Endpoint } from '../../client/target.js';
import { formatBytes, formatDuration, parseBytes } from '../../util/units.js';
import { BadValue, ConfigError, option, resolveOptions, whereOf, type ConfigIssue, type FileData, type ValueKind } from '../../util/option-table.js';
import { bytes, choice, count, decimal, duration, httpUrl, parsing, text, toggle } from '../../util/option-kinds.js';
import { parseThreshold, withDefaultThreshold, type Threshold } from '../metrics/thresholds.js';
import { DEFAULTS, UNANSWERABLE_OPS, defaultWarmupMs, type LoadConfig } from './load-config.js';

const targets: ValueKind<Endpoint[]> = {
  placeholder: '<host:port,...>',
  word: parsing((v) => parseTargets(typeof v === 'string' ? v : '')),
  file: parsing((v) => {
    const list = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string') ? v : null;
    if (list === null) throw new BadValue('give host:port, or a list of them');
    return parseTargets(list.join(','));
  }),
  format: (list) => list.map((t) => `${t.host}:${t.port}`).join(','),
};

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `4KiB`, `1KiB-64KiB` (uniform in the range), or in a file `{ min, max }` too. */
const sizeRange: ValueKind<{ min: number; max: number }> = (() => {
  const fix = 'give a size or a range min-max (4KiB, 1KiB-64KiB)';
  const range = (min: number, max: number): { min: number; max: number } => {
    if (max < min) throw new BadValue('the range runs from small to large (1KiB-64KiB)');
    return { min, max };
  };
  const fromText = (v: unknown): { min: number; max: number } => {
    if (typeof v === 'number') return range(parseBytes(v), parseBytes(v));
    if (typeof v !== 'string') throw new BadValue(fix);
    const [low, high, ...more] = v.split('-');
    if (more.length > 0) throw new BadValue(fix);
    const min = parseBytes(low!);
    return range(min, high === undefined ? min : parseBytes(high));
  };
  return {
    placeholder: '<size|min-max>',
    word: parsing(fromText),
    file: parsing((v) => {
      if (!isMapping(v)) return fromText(v);
      const { min, max, ...more } = v;
      const size = (s: unknown): number => (typeof s === 'number' || typeof s === 'string' ? parseBytes(s) : Number.NaN);
      if (Object.keys(more).length > 0 || Number.isNaN(size(min)) || Number.isNaN(size(max))) throw new BadValue('give a size, min-max, or { min, max } of sizes');
      return range(size(min), size(max));
    }),
    format: ({ min, max }) => (min === max ? formatBytes(min) : `${formatBytes(min)}-${formatBytes(max)}`),
  };
})();

const unansweredOps: ValueKind<LoadConfig['unanswered']> = (() => {
  const op = parsing((v) => {
    const found = UNANSWERABLE_OPS.find((o) => o === v);
    if (found === undefined) throw new BadValue(`only ${UNANSWERABLE_OPS.join(', ')} may be unanswered, not "${String(v)}" (the scenario needs the other replies to go on)`);
    return found;
  });
  const list = z.array(op, { error: `give a list of ${UNANSWERABLE_OPS.join(', ')}` });
  return {
    placeholder: '<ops>',
    word: z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((o) => o.trim()).filter(Boolean) : v), list),
    file: list,
    format: (ops) => ops.join(','),
  };
})();

const thresholdList: ValueKind<Threshold[]> = (() => {
  const list = z.array(parsing((v) => parseThreshold(typeof v === 'string' ? v : '')), { error: "give a list of thresholds, e.g. ['chat.lost==0', 'heartbeat.p99<20ms']" });
  return { placeholder: '<expr>', word: list, file: list, format: (ts) => ts.map((t) => t.source).join(' ') };
})();

/** `N` (127.0.0.1 to 127.0.0.N) or a list of addresses, kept as the text client/target.ts reads. */
const sourceList: ValueKind<string> = (() => {
  const fix = 'give 1 to 254 (127.0.0.1 to 127.0.0.N), or a list of IP addresses';
  const fromCount = (n: number): string => {
    if (!Number.isInteger(n) || n < 1 || n > 254) throw new BadValue(fix);
    return String(n);
  };
  const fromList = (list: string[]): string => {
    const bad = list.filter((a) => isIP(a) === 0);
    if (list.length === 0 || bad.length > 0) throw new BadValue(bad.length > 0 ? `${bad.map((a) => `"${a}"`).join(', ')}: not an IP address; ${fix}` : fix);
    return list.join(',');
  };
  return {
    placeholder: '<n|list>',
    word: parsing((v) => {
      const w = typeof v === 'string' ? v.trim() : '';
      return /^\d+$/.test(w) ? fromCount(Number(w)) : fromList(w.split(',').map((a) => a.trim()).filter(Boolean));
    }),
    file: parsing((v) => {
      if (typeof v === 'number') return fromCount(v);
      if (Array.isArray(v) && v.every((a) => typeof a === 'string')) return fromList(v);
      throw new BadValue(fix);
    }),
    format: String,
  };
})();

const shard: ValueKind<{ index: number; count: number }> = (() => {
  const read = (v: unknown): { index: number; count: number } => {
    const match = typeof v === 'string' ? /^(\d+)\/(\d+)$/.exec(v.trim()) : null;
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (!match || count < 1 || index < 1 || index > count) throw new BadValue('use i/N with 1 <= i <= N (for example 2/4)');
    return { index, count };
  };
  return { placeholder: '<i/N>', word: parsing(read), file: parsing(read), format: (s) => `${s.index}/${s.count}` };
})();

// Typed empty defaults: a bare [] would be inferred as a tuple that no list type admits.
const NONE_UNANSWERED: LoadConfig['unanswered'] = [];
const NO_THRESHOLDS: Threshold[] = [];

const rate = (what: string): ValueKind<number> => decimal(what);

/**
 * The table, in the order help lists it. Keys are commander's names for the flags (`--ramp-up` is
 * rampUp). A field with no flag is set by the scenario file alone; a flag with no field, by the
 * command line alone.
 */
export const LOAD_OPTIONS = {
  target: option({ flag: '--target', file: 'target', kind: targets, default: undefined, doc: 'server(s) to drive; friend groups are spread over several (required here or in the scenario file)' }),
  scenarioFile: option({ flag: '--scenario-file', file: null, kind: text('<file>'), default: undefined, doc: 'JSON or YAML with any of these settings and more (docs/SCENARIO.md); flags given override it' }),
  protocol: option({ flag: '--protocol', file: 'protocol', kind: choice(['im', 'chat'] as const), default: 'im', doc: 'protocol of the target' }),
  scenario: option({ flag: '--scenario', file: 'scenario', kind: choice(['users', 'ping'] as const), default: 'users', doc: 'users: logged-in users chatting; ping: heartbeats only' }),
  users: option({ flag: '--users', file: 'users', kind: count(), default: DEFAULTS.users, doc: 'simulated users (ping: connections)' }),
  rampUp: option({ flag: '--ramp-up', file: 'rampUp', kind: duration(), default: DEFAULTS.rampUpMs, doc: 'spread user arrivals (connections) over this long' }),
  warmup: option({ flag: '--warmup', file: 'warmup', kind: duration(), default: undefined, defaultText: `${formatDuration(defaultWarmupMs('ping'))} for ping, ${formatDuration(defaultWarmupMs('users'))} for users`, doc: 'run this long before measuring, left out of the figures' }),
  duration: option({ flag: '--duration', file: 'duration', kind: duration({ positive: true }), default: DEFAULTS.durationMs, doc: 'measured time' }),
  heartbeatInterval: option({ flag: '--heartbeat-interval', file: 'heartbeatInterval', kind: duration({ positive: true }), default: DEFAULTS.heartbeatIntervalMs, doc: 'heartbeat period per user (ping without --rate: per connection)' }),
  chatRate: option({ flag: '--chat-rate', file: 'rates.chat', kind: rate('chats (IM) or SENDs (CHAT/1.0) per user per second'), default: DEFAULTS.rates.chat, doc: 'chats per user per second (Poisson)' }),
  uploadRate: option({ flag: '--upload-rate', file: 'rates.upload', kind: rate('uploads per user per second'), default: DEFAULTS.rates.upload, doc: 'IM file uploads per user per second' }),
  uploadSize: option({ flag: '--upload-size', file: 'uploadSize', kind: sizeRange, default: DEFAULTS.uploadBytes, doc: 'upload size, fixed or uniform in a range (4KiB, 1KiB-64KiB)' }),
  statusRate: option({ flag: '--status-rate', file: 'rates.status', kind: rate('status changes per user per second'), default: DEFAULTS.rates.status, doc: 'IM status changes per user per second' }),
  broadcastRate: option({ flag: '--broadcast-rate', file: 'rates.broadcast', kind: rate('broadcasts per user per second'), default: DEFAULTS.rates.broadcast, doc: 'CHAT/1.0 group broadcasts per user per second' }),
  userInfoRate: option({ flag: null, file: 'rates.userInfo', kind: rate('profile updates per user per second'), default: DEFAULTS.rates.userInfo, doc: 'IM profile updates (UpdateUserInfo) per user per second' }),
  fileListRate: option({ flag: null, file: 'rates.fileList', kind: rate('file-list requests per user per second'), default: DEFAULTS.rates.fileList, doc: 'IM file-list requests per user per second' }),
  groupSize: option({ flag: '--group-size', file: 'groupSize', kind: count(), default: DEFAULTS.groupSize, doc: 'friends come in groups of this many users' }),
  chatSize: option({ flag: '--chat-size', file: 'chatSize', kind: bytes(), default: DEFAULTS.chatBytes, doc: 'bytes per chat, padded after its timing stamp (IM: 40 bytes; CHAT/1.0: about 60 characters, under the server line limit)' }),
  fileListInterval: option({ flag: '--file-list-interval', file: 'fileListInterval', kind: duration({ positive: true }), default: DEFAULTS.fileListIntervalMs, doc: 'IM, with uploads: how often each user polls its file list for files sent to it' }),
  http: option({ flag: '--http', file: 'http', kind: httpUrl('http://127.0.0.1:8080'), default: undefined, doc: 'download files from this base URL instead of the address the server gives (same path)' }),
  reconnectRate: option({ flag: '--reconnect-rate', file: 'rates.reconnect', kind: rate('logouts per user per second'), default: DEFAULTS.reconnect.rate, doc: 'IM: logouts per user per second, each followed by a login after --away-time' }),
  awayTime: option({ flag: '--away-time', file: 'awayTime', kind: duration(), default: DEFAULTS.reconnect.awayMs, doc: 'IM, with --reconnect-rate: how long a user stays away' }),
  unanswered: option({ flag: '--unanswered', file: 'unanswered', kind: unansweredOps, default: NONE_UNANSWERED, doc: `requests the target is not expected to answer, counted as sent and never timed (${UNANSWERABLE_OPS.join(', ')}; the original server answers no heartbeat)` }),
  rate: option({ flag: '--rate', file: 'ping.rate', kind: decimal('requests per second in all', { positive: true }), default: undefined, doc: 'ping, open model: requests per second in all' }),
  inflight: option({ flag: '--inflight', file: 'ping.inflight', kind: count(1, '<k>'), default: undefined, doc: 'ping, closed model: requests in flight per connection' }),
  bodyBytes: option({ flag: '--body-bytes', file: 'ping.bodyBytes', kind: bytes(), default: DEFAULTS.bodyBytes, doc: 'ping: HeartbeatRequest body size' }),
  timeout: option({ flag: '--timeout', file: 'timeout', kind: duration({ positive: true }), default: DEFAULTS.timeoutMs, doc: 'a request without its reply by then counts as timed out' }),
  grace: option({ flag: '--grace', file: 'grace', kind: duration(), default: DEFAULTS.graceMs, doc: 'after the measured time, wait this long for replies and deliveries' }),
  workers: option({ flag: '--workers', file: 'workers', kind: count(), default: undefined, defaultText: 'one per core', doc: 'worker threads' }),
  processes: option({ flag: '--processes', file: 'processes', kind: count(), default: undefined, defaultText: 'as the open-file limit requires', doc: 'generator processes on this machine' }),
  sourceAddresses: option({ flag: '--source-addresses', file: 'sourceAddresses', kind: sourceList, default: undefined, defaultText: 'as needed', doc: 'spread connections over 127.0.0.1-127.0.0.N, or over these addresses' }),
  layout: option({ flag: '--layout', file: 'layout', kind: choice(FRAME_LAYOUTS), default: 'le', doc: 'IM frame layout' }),
  maxBody: option({ flag: '--max-body', file: 'maxBody', kind: bytes(), default: DEFAULT_MAX_BODY_BYTES, doc: 'largest IM body accepted from the server' }),
  seed: option({ flag: '--seed', file: 'seed', kind: text('<text>'), default: 'talkbench', doc: 'makes user names and every random choice reproducible' }),
  shard: option({ flag: '--shard', file: null, kind: shard, default: { index: 1, count: 1 }, doc: 'run the i-th of N slices of the users (see merge)' }),
  threshold: option({
    flag: '--threshold', file: 'thresholds', kind: thresholdList, default: NO_THRESHOLDS, combine: (fromFile, fromFlags) => [...fromFile, ...fromFlags],
    doc: "fail the run (exit 99) unless it holds, e.g. 'heartbeat.p99<20ms' (repeatable; the file's apply too); one on errors or errors.ratio replaces the default errors==0",
  }),
  defaultThresholds: option({ flag: '--no-default-thresholds', file: 'defaultThresholds', kind: toggle(), default: true, doc: 'drop the default threshold errors==0 (every failure, timeout, loss and lost connection fails the run)' }),
  overloadLateStart: option({ flag: null, file: 'overload.lateStart', kind: duration({ positive: true }), default: DEFAULTS.overload.lateStartMs, doc: 'an action started later than this is late [D-OVERLOAD]' }),
  overloadLateShare: option({ flag: null, file: 'overload.lateShare', kind: decimal('a share of all actions', { max: 1 }), default: DEFAULTS.overload.lateShare, doc: 'overloaded when over this share of actions are late' }),
  overloadMinLateActions: option({ flag: null, file: 'overload.minLateActions', kind: count(0), default: DEFAULTS.overload.minLateActions, doc: 'and at least this many' }),
  overloadEventLoopP99: option({ flag: null, file: 'overload.eventLoopP99', kind: duration({ positive: true }), default: DEFAULTS.overload.eventLoopP99Ms, doc: "or a worker's event-loop delay p99 passed this" }),
  out: option({ flag: '--out', file: null, kind: text('<file>'), default: undefined, doc: 'write the result (JSON) here' }),
  targetScryptCost: option({ flag: '--target-scrypt-cost', file: null, kind: count(1, '<N>'), default: undefined, doc: "the target's scrypt cost, when you know it: recorded in the result [D-HASH]" }),
  quiet: option({ flag: '--quiet', file: null, kind: toggle(), default: false, doc: 'no progress display' }),
};

export type LoadOptionKey = keyof typeof LOAD_OPTIONS;

/** What `load` needs beyond the LoadConfig, decided later (by shard and machine) or by the CLI. */
export interface LoadOptions {
  config: LoadConfig;
  /** --source-addresses as given (checked), or undefined: sourceAddresses() chooses once the connections are known. */
  sourceAddresses: string | undefined;
  /** --processes as given, or null: the capacity plan chooses [D-CAPACITY]. */
  processes: number | null;
  out: string | null;
  quiet: boolean;
  targetScryptCost: number | null;
}

/** The scenario file as read: its data, what kept it from being read, or null when none was given. */
export type ScenarioInput = FileData | ConfigIssue | null;

/**
 * The run's settings from the words given on the command line (keyed as LOAD_OPTIONS, only those
 * the user gave) and the scenario file. Throws a ConfigError listing every mistake; anything else
 * it throws is a bug.
 */
export function resolveLoadOptions(given: Readonly<Record<string, unknown>>, scenario: ScenarioInput): LoadOptions {
  const file = scenario !== null && 'data' in scenario ? scenario : null;
  const resolution = resolveOptions(LOAD_OPTIONS, given, file);
  const issues = scenario !== null && !('data' in scenario) ? [scenario, ...resolution.issues] : [...resolution.issues];
  const v = resolution.values;
  const ok = (...keys: LoadOptionKey[]): boolean => keys.every((k) => !resolution.failed.has(k));
  const problem = (key: LoadOptionKey, message: string): void => {
    issues.push({ ...whereOf(LOAD_OPTIONS, resolution, key, file?.source ?? null), message });
  };

  // Rules between settings [D-LOAD]; one whose setting failed above is not checked on a default.
  const ping = v.scenario === 'ping';
  // A file that could not be read, or is not a mapping of settings, may well have held the target.
  const fileUnread = issues.some((i) => i.field === '' || i.field === '--scenario-file');
  if (v.target === undefined && ok('target') && !fileUnread) {
    problem('target', 'no target: give --target host:port (or target in the scenario file)');
  }
  if (ok('scenario', 'protocol') && ping && v.protocol === 'chat') problem('scenario', 'the ping scenario speaks the IM protocol only');
  if (ok('scenario', 'rate', 'inflight') && ping && v.rate !== undefined && v.inflight !== undefined) problem('inflight', '--rate (open model) and --inflight (closed model) exclude each other');
  if (ok('scenario', 'inflight') && !ping && v.inflight !== undefined) problem('inflight', 'applies to --scenario ping alone [D-LOAD]');
  if (ok('scenario', 'rate') && !ping && v.rate !== undefined) problem('rate', 'applies to --scenario ping; user scenarios set --chat-rate and the like');
  if (ok('scenario', 'unanswered') && ping && v.unanswered.length > 0) problem('unanswered', 'the ping scenario times heartbeat replies and nothing else; it needs a target that answers them');
  if (ok('scenario', 'protocol', 'reconnectRate') && v.reconnectRate > 0 && (ping || v.protocol === 'chat')) problem('reconnectRate', 'applies to IM users (--protocol im --scenario users)');
  if (ok('reconnectRate', 'awayTime', 'duration') && v.reconnectRate > 0 && v.awayTime >= v.duration) problem('awayTime', 'must be shorter than --duration: users come back before the measured time ends');

  const target = v.target;
  if (issues.length > 0 || target === undefined) throw new ConfigError(issues);
  const config: LoadConfig = {
    scenario: v.scenario,
    protocol: v.protocol,
    targets: target,
    users: v.users,
    rampUpMs: v.rampUp,
    warmupMs: v.warmup ?? defaultWarmupMs(v.scenario),
    durationMs: v.duration,
    timeoutMs: v.timeout,
    graceMs: v.grace,
    rate: v.rate ?? null,
    inflight: v.inflight ?? null,
    heartbeatIntervalMs: v.heartbeatInterval,
    bodyBytes: v.bodyBytes,
    groupSize: v.groupSize,
    rates: { chat: v.chatRate, upload: v.uploadRate, status: v.statusRate, userInfo: v.userInfoRate, fileList: v.fileListRate, broadcast: v.broadcastRate },
    chatBytes: v.chatSize,
    uploadBytes: v.uploadSize,
    unanswered: [...v.unanswered],
    fileListIntervalMs: v.fileListInterval,
    httpBase: v.http ?? null,
    reconnect: { rate: v.reconnectRate, awayMs: v.awayTime },
    workers: Math.min(v.workers ?? availableParallelism(), v.users),
    processes: v.processes ?? 1,
    layout: v.layout,
    maxBodyBytes: v.maxBody,
    seed: v.seed,
    sourceAddresses: [],   // set from this shard's connections, by the command
    thresholds: withDefaultThreshold(v.threshold, v.defaultThresholds),
    overload: { lateStartMs: v.overloadLateStart, lateShare: v.overloadLateShare, minLateActions: v.overloadMinLateActions, eventLoopP99Ms: v.overloadEventLoopP99 },
    shard: v.shard,
    slice: { index: 1, count: 1 },
  };
  return {
    config,
    sourceAddresses: v.sourceAddresses,
    processes: v.processes ?? null,
    out: v.out ?? null,
    quiet: v.quiet,
    targetScryptCost: v.targetScryptCost ?? null,
  };
}

// Any result the writer can produce is a valid result of the current schema, and comes back from its
// file unchanged [D-RESULT]: built here by the writer's own parts (recorders fed events second by
// second, the time-series collector, assembleResult, merges of shards and of processes, the final
// probe's verdict), then written as `load --out` writes it and read back with readLoadResult.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { initHistograms } from '../../../reports/schema/histogram.js';
import type { LatencyOp } from '../../../reports/schema/metric-names.js';
import { readLoadResult } from '../../../reports/schema/read-result.js';
import { DEFAULTS, type LoadConfig } from '../../config/load-config.js';
import { Recorder } from '../../metrics/recorder.js';
import { parseThreshold, withDefaultThreshold } from '../../metrics/thresholds.js';
import { combineSnapshots } from '../../run/combine.js';
import { mergeLoadResults, mergeProcessResults } from '../../run/merge.js';
import { withFailures, withLateTargetFailure } from '../../run/outcome.js';
import { assembleResult, type Failure, type LoadResult } from '../../run/result.js';
import { TimeSeriesCollector } from '../../run/time-series.js';
import type { ProgressMessage, WorkerHealth } from '../../worker/task.js';

beforeAll(async () => {
  await initHistograms();
});

/** As `load --out` writes it, and as `merge` and `report` read it. */
const throughFile = (result: LoadResult): LoadResult => readLoadResult(`${JSON.stringify(result, null, 1)}\n`, 'result.json');

type Event =
  | { kind: 'count'; op: LatencyOp; counter: 'sent' | 'timeouts' | 'unanswered'; n: number }
  | { kind: 'failed'; op: LatencyOp; reason: string; message: string | undefined }
  | { kind: 'latency'; op: LatencyOp; micros: number; atMs: number | undefined }
  | { kind: 'tally'; which: 'disconnected' | 'unexpectedFrame' | 'notice' | 'badLine' | 'userFailed'; key: number }
  | { kind: 'delivery'; op: 'chat' | 'file'; counter: 'delivered' | 'lost' | 'duplicated' | 'reordered' | 'corrupted' }
  | { kind: 'downloaded'; bytes: number };

const arbOp = fc.constantFrom<LatencyOp>('connect', 'login', 'heartbeat', 'chat.e2e', 'status');
const arbEvent: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), op: arbOp, counter: fc.constantFrom('sent' as const, 'timeouts' as const, 'unanswered' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('failed' as const), op: arbOp, reason: fc.constantFrom('WrongPassword', 'ECONNRESET'), message: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('latency' as const), op: arbOp, micros: fc.integer({ min: 1, max: 60_000_000 }), atMs: fc.option(fc.integer({ min: 0, max: 1e7 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('tally' as const), which: fc.constantFrom('disconnected' as const, 'unexpectedFrame' as const, 'notice' as const, 'badLine' as const, 'userFailed' as const), key: fc.integer({ min: 1, max: 24 }) }),
  fc.record({ kind: fc.constant('delivery' as const), op: fc.constantFrom('chat' as const, 'file' as const), counter: fc.constantFrom('delivered' as const, 'lost' as const, 'duplicated' as const, 'reordered' as const, 'corrupted' as const) }),
  fc.record({ kind: fc.constant('downloaded' as const), bytes: fc.nat(1 << 20) }),
);

function apply(r: Recorder, e: Event): void {
  switch (e.kind) {
    case 'count': (e.counter === 'sent' ? r.sent(e.op, e.n / 10, e.n) : r.count(e.op, e.counter, e.n)); break;
    case 'failed': r.failed(e.op, e.reason, e.message); break;
    case 'latency': r.latency(e.op, e.micros / 1000, e.micros / 3000, e.atMs); break;
    case 'tally':
      if (e.which === 'unexpectedFrame' || e.which === 'notice') r[e.which](e.key);
      else r[e.which](`reason ${e.key}`);
      break;
    case 'delivery': r.deliveryCount(e.op, e.counter); break;
    case 'downloaded': r.downloaded(e.bytes); break;
  }
}

/** One worker's run: per second it reports (seconds of every phase), the events of that second. */
const arbWorkerRun = fc.array(fc.record({ second: fc.integer({ min: -2, max: 5 }), events: fc.array(arbEvent, { maxLength: 6 }) }), { maxLength: 5 });

/** fast-check builds records without a prototype; the writer's inputs are plain objects. */
const plain = <T,>(value: T): T => structuredClone(value);

const arbHealth = (worker: number): fc.Arbitrary<WorkerHealth> => fc.record({
  worker: fc.constant(worker),
  eventLoopDelay: fc.record({ p50: fc.nat(5000).map((v) => v / 100), p99: fc.nat(10_000).map((v) => v / 100), max: fc.nat(20_000).map((v) => v / 100) }),
  utilization: fc.nat(1000).map((v) => v / 1000),
  actionsScheduled: fc.nat(10_000),
  lateStarts: fc.nat(200),
}).map(plain);

const THRESHOLDS = ['heartbeat.p99<20ms', 'chat.lost==0', 'login.ok>3', 'errors.ratio<0.01', 'download.throughput>=1'];
const arbConfig: fc.Arbitrary<LoadConfig> = fc.record({
  scenario: fc.constantFrom('users' as const, 'ping' as const),
  protocol: fc.constantFrom('im' as const, 'chat' as const),
  targets: fc.array(fc.record({ host: fc.constantFrom('127.0.0.1', 'example.test', '::1'), port: fc.integer({ min: 1, max: 65535 }) }), { minLength: 1, maxLength: 3 }),
  users: fc.integer({ min: 1, max: 50_000 }),
  rampUpMs: fc.constantFrom(0, 1500, 2000),
  warmupMs: fc.constantFrom(0, 1000),
  durationMs: fc.constantFrom(1000, 2500, 10_000),
  inflight: fc.option(fc.integer({ min: 1, max: 64 }), { nil: null }),
  rate: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  unanswered: fc.subarray(['heartbeat', 'userinfo', 'filelist'] as const).map((ops) => [...ops]),
  httpBase: fc.option(fc.constant('http://127.0.0.1:8080/'), { nil: null }),
  thresholds: fc.subarray(THRESHOLDS).chain((given) => fc.boolean().map((withDefault) => withDefaultThreshold(given.map(parseThreshold), withDefault))),
  seed: fc.string({ maxLength: 12 }),
  sourceAddresses: fc.subarray(['127.0.0.1', '127.0.0.2']).map((a) => [...a]),
}).map((c) => ({
  ...plain(c), thresholds: c.thresholds, timeoutMs: 5000, graceMs: 2000, heartbeatIntervalMs: 10_000, bodyBytes: 0, groupSize: 5, rates: { ...DEFAULTS.rates },
  chatBytes: 64, uploadBytes: { ...DEFAULTS.uploadBytes }, fileListIntervalMs: 1000, reconnect: { ...DEFAULTS.reconnect }, workers: 2,
  processes: 1, layout: 'le' as const, maxBodyBytes: 1 << 24, overload: { ...DEFAULTS.overload }, shard: { index: 1, count: 1 }, slice: { index: 1, count: 1 },
}));

/** What a run itself may see: an interrupt, targets failing or unreachable, parts missing. */
const arbFacts: fc.Arbitrary<Failure[]> = fc.array(fc.record({
  code: fc.constantFrom('interrupted' as const, 'part-missing' as const, 'unreachable' as const, 'target-failed-mid-run' as const),
  target: fc.constantFrom('127.0.0.1:8999', 'example.test:1'),
  message: fc.string({ maxLength: 20 }),
}, { requiredKeys: ['code', 'message'] }).map(plain), { maxLength: 3 });

/** A run's result, made as run-load.ts makes it. */
function runResult(config: LoadConfig, workerRuns: { second: number; events: Event[] }[][], health: WorkerHealth[], failures: Failure[], runId: string): LoadResult {
  const collector = new TimeSeriesCollector(workerRuns.length, config);
  const snapshots = workerRuns.map((seconds, worker) => {
    const r = new Recorder();
    for (const { second, events } of seconds) {
      for (const e of events) apply(r, e);
      const message: ProgressMessage = { kind: 'progress', worker, status: { connected: 0, loggedIn: 0, connectFailures: 0 }, second, ops: r.takeInterval() };
      collector.add(message);
    }
    const snapshot = r.snapshot();
    r.destroy();
    return snapshot;
  });
  return assembleResult({
    runId, version: '0.1.0', startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:12.345Z', config,
    environment: { node: 'v20.20.2', platform: 'linux x64', cpuModel: 'test', cpus: 2, memoryBytes: 2 ** 34, loadAverage: { start: [0.5, 0.25, 0], end: [1, 0.5, 0.01] }, openFileLimit: 20_000 },
    targetScryptCost: 1024, measuredMs: config.durationMs - 0.4, measured: combineSnapshots(snapshots), timeSeries: collector.series(),
    workers: health, cpu: { userMs: 120, systemMs: 7, wallMs: 12_345 }, peakRssBytes: 2 ** 27,
    started: !failures.some((f) => f.code === 'unreachable'), failures, shards: [],
  });
}

const arbRun = arbConfig.chain((config) => fc.tuple(
  fc.constant(config),
  fc.array(arbWorkerRun, { minLength: 1, maxLength: 3 }),
  arbFacts,
).chain(([c, runs, failures]) => fc.tuple(fc.constant(c), fc.constant(runs), fc.tuple(...runs.map((_, w) => arbHealth(w))), fc.constant(failures))));

describe('the result schema and the writer', () => {
  test.prop([arbRun], { numRuns: 60 })('a run\'s result reads back from its file unchanged', ([config, runs, health, failures]) => {
    const result = runResult(config, runs, health, failures, 'run-1');
    expect(throughFile(result)).toStrictEqual(result);
  });

  test.prop([arbRun, fc.array(fc.record({ target: fc.constant('127.0.0.1:8999'), message: fc.string({ maxLength: 10 }) }), { minLength: 1, maxLength: 2 })], { numRuns: 30 })(
    'so does one judged again by the final probe, or missing a part after an interrupt',
    ([config, runs, health, failures], late) => {
      const result = runResult(config, runs, health, failures, 'run-1');
      expect(throughFile(withLateTargetFailure(result, late))).toStrictEqual(withLateTargetFailure(result, late));
      const missing = withFailures(result, [{ code: 'interrupted', message: 'interrupted by a signal' }, { code: 'part-missing', message: 'process 2 of 2 ended' }]);
      expect(throughFile(missing)).toStrictEqual(missing);
    },
  );

  test.prop([arbConfig, fc.array(fc.tuple(fc.array(arbWorkerRun, { minLength: 1, maxLength: 2 }), arbFacts), { minLength: 1, maxLength: 3 }), fc.subarray(THRESHOLDS)], { numRuns: 30 })(
    'so do merges: of the shards of a run, and of the processes of a shard',
    (config, parts, mergeThresholds) => {
      const count = parts.length;
      const shards = parts.map(([runs, failures], i) => runResult(
        { ...config, shard: { index: i + 1, count } }, runs, runs.map((_, w) => ({ worker: w, eventLoopDelay: { p50: 0.1, p99: 1, max: 2 }, utilization: 0.5, actionsScheduled: 10, lateStarts: 0 })), failures, `run-${i}`,
      ));
      // Read back first, as merge reads them: a merge of read results is what the CLI writes.
      const merged = mergeLoadResults(shards.map(throughFile), { thresholds: mergeThresholds.map(parseThreshold) });
      expect(throughFile(merged)).toStrictEqual(merged);
      expect(merged.shards.map((s) => s.summary?.targets)).toEqual(shards.map(() => config.targets.map((t) => `${t.host}:${t.port}`)));
      const slices = shards.map((s, i) => ({ ...s, config: { ...s.config, shard: { index: 1, count: 1 }, slice: { index: i + 1, count } } }));
      const shard = mergeProcessResults(slices, config);
      expect(throughFile(shard)).toStrictEqual(shard);
    },
  );
});

// `talkbench merge` [D-LOAD]: three real shard processes against the real reference server, merged by
// the real CLI, and the merge checked to be exact; then merge.ts on small hand-built results, and the
// CLI's usage errors (exit 2) [D-EXIT].
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { DEFAULTS } from '../config/load-config.js';
import { decodeHistogram, encodeHistogram, initHistograms, newHistogram, recordMicros, summarize } from '../../reports/schema/histogram.js';
import { parseThreshold } from '../metrics/thresholds.js';
import { MergeError, mergeLoadResults, mergeProcessResults, readPart } from '../run/merge.js';
import { judge } from '../run/outcome.js';
import type { Failure, LoadResult } from '../run/result.js';
import { readLoadResult } from '../../reports/schema/read-result.js';
import { runTalkbench } from '../../test-support/talkbench-cli.js';

let dir: string;

beforeAll(async () => {
  await initHistograms();
  dir = await mkdtemp(join(tmpdir(), 'tb-merge-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const talkbench = (args: string[]) => runTalkbench(args, { cwd: dir }).done;

const readResult = async (name: string): Promise<LoadResult> => readLoadResult(await readFile(join(dir, name), 'utf8'), name);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Every ok of `op` a result's time series holds for `second` (a shard may list a second more than once). */
const okAt = (r: LoadResult, second: number, op: string): number => sum(r.timeSeries.filter((s) => s.second === second).map((s) => s.ops[op]?.ok ?? 0));

describe('merging real shards', () => {
  let server: TestServer;
  let shards: LoadResult[];
  let merged: LoadResult;
  let mergeRun: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    server = await startTestServer({ scryptCost: 1024 });
    const runs = await Promise.all([1, 2, 3].map((i) => talkbench([
      'load', '--target', `127.0.0.1:${server.imPort}`, '--users', '30', '--group-size', '5', '--duration', '3s',
      '--chat-rate', '2', '--heartbeat-interval', '1s', '--grace', '1s', '--shard', `${i}/3`, '--seed', 'same',
      '--out', `shard-${i}.json`, '--quiet',
    ])));
    // A slow machine may judge a shard's generator overloaded (5); anything else means the run broke.
    for (const run of runs) expect([0, 5], run.stderr + run.stdout).toContain(run.code);
    shards = await Promise.all([1, 2, 3].map((i) => readResult(`shard-${i}.json`)));
    // Out of order on purpose: the merge sorts by shard.
    mergeRun = await talkbench(['merge', 'shard-2.json', 'shard-3.json', 'shard-1.json', '--out', 'merged.json']);
    merged = await readResult('merged.json');
  }, 120_000);
  afterAll(async () => { await server?.close(); });

  test('the merge exits with its own exit code and prints its summary', () => {
    expect(mergeRun.code, mergeRun.stderr).toBe(merged.exitCode);
    expect(mergeRun.stdout).toContain('merged 3 shard(s)');
    expect(mergeRun.stdout).toMatch(/result: \w+/);
    expect(merged.shards.map(({ runId, shard }) => ({ runId, shard }))).toEqual(shards.map((s) => ({ runId: s.runId, shard: `${s.config.shard.index}/3` })));
  });

  test('each shard is summarized on its own: its targets, outcome, counts and percentiles', () => {
    for (const [i, s] of shards.entries()) {
      const summary = merged.shards[i]!.summary!;
      expect(summary).toMatchObject({ targets: [`127.0.0.1:${server.imPort}`], startedAt: s.startedAt, measuredMs: s.measuredMs, status: s.status, exitCode: s.exitCode, errors: s.metrics.errors });
      expect(summary.delivery).toEqual(s.delivery);
      expect(Object.keys(summary.ops).sort()).toEqual(Object.keys(s.ops).sort());
      for (const [op, record] of Object.entries(s.ops)) {
        const { latency, ...counts } = summary.ops[op]!;
        expect(counts, op).toEqual({ sent: record.sent, ok: record.ok, failed: record.failed, timeouts: record.timeouts, unanswered: record.unanswered });
        if (record.ok === 0) { expect(latency, op).toBeNull(); continue; }
        for (const stat of ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const) expect(latency?.[stat], `${op}.${stat}`).toBe(s.metrics[`${op}.${stat}`]);
      }
    }
  });

  test('every counter of every operation is the sum over the shards', () => {
    expect(Object.keys(merged.ops).sort()).toEqual([...new Set(shards.flatMap((s) => Object.keys(s.ops)))].sort());
    expect(merged.ops.heartbeat?.ok).toBeGreaterThan(0);
    expect(merged.ops['chat.e2e']?.ok).toBeGreaterThan(0);
    for (const [op, record] of Object.entries(merged.ops)) {
      for (const counter of ['sent', 'ok', 'failed', 'timeouts', 'unanswered'] as const) {
        expect(record[counter], `${op}.${counter}`).toBe(sum(shards.map((s) => s.ops[op]?.[counter] ?? 0)));
      }
    }
  });

  test('histograms are added: counts sum, and the merged metrics are those of the added histograms', () => {
    for (const [op, record] of Object.entries(merged.ops)) {
      for (const variant of ['corrected', 'uncorrected'] as const) {
        const byHand = newHistogram();
        for (const s of shards) {
          const encoded = s.ops[op]?.[variant];
          if (encoded === undefined) continue;
          const h = decodeHistogram(encoded);
          byHand.add(h);
          h.destroy();
        }
        const fromMerge = decodeHistogram(record[variant]);
        expect(fromMerge.totalCount, `${op} ${variant}`).toBe(byHand.totalCount);
        if (variant === 'corrected' && byHand.totalCount > 0) {
          const expected = summarize(byHand);
          for (const stat of ['p50', 'p99', 'max', 'mean'] as const) expect(merged.metrics[`${op}.${stat}`], `${op}.${stat}`).toBe(expected[stat]);
        }
        byHand.destroy();
        fromMerge.destroy();
      }
    }
  });

  test('chats are delivered within each shard (friend groups never span shards), and delivery sums', () => {
    for (const s of shards) {
      expect(s.delivery.chat?.delivered).toBeGreaterThan(0);
      expect(s.delivery.chat?.lost, `shard ${s.config.shard.index}`).toBe(0);
    }
    for (const counter of ['delivered', 'lost', 'duplicated', 'reordered'] as const) {
      expect(merged.delivery.chat?.[counter]).toBe(sum(shards.map((s) => s.delivery.chat?.[counter] ?? 0)));
    }
    expect(merged.metrics['chat.lost']).toBe(0);
  });

  test('time series add up second by second, every phase marked', () => {
    const seconds = [...new Set(shards.flatMap((s) => s.timeSeries.map((t) => t.second)))].sort((a, b) => a - b);
    expect(merged.timeSeries.map((t) => t.second)).toEqual(seconds);
    // Three measured seconds, then the grace window (and logout) after them.
    expect(merged.timeSeries.filter((t) => t.phase === 'measured').map((t) => t.second)).toEqual([1, 2, 3]);
    expect(merged.timeSeries.filter((t) => t.phase === 'grace').length).toBeGreaterThan(0);
    for (const t of merged.timeSeries) expect(t.phase, `second ${t.second}`).toBe(t.second <= 3 ? 'measured' : 'grace');
    for (const second of seconds) {
      for (const op of ['heartbeat', 'chat.e2e']) expect(okAt(merged, second, op), `${op} in second ${second}`).toBe(sum(shards.map((s) => okAt(s, second, op))));
    }
  });

  test('the generator: workers concatenated, schedules summed, the longest window', () => {
    expect(merged.generator.workers).toHaveLength(sum(shards.map((s) => s.generator.workers.length)));
    expect(merged.generator.actionsScheduled).toBe(sum(shards.map((s) => s.generator.actionsScheduled)));
    expect(merged.generator.lateStarts).toBe(sum(shards.map((s) => s.generator.lateStarts)));
    expect(merged.measuredMs).toBe(Math.max(...shards.map((s) => s.measuredMs)));
    expect(merged.config.users).toBe(30);
  });
});

/** A small result by hand: shard `i/N` with one heartbeat per latency given (ms). */
function fake(shard: string, heartbeatsMs: number[], over: { failures?: Failure[]; users?: number } = {}): LoadResult {
  const [index, count] = shard.split('/').map(Number) as [number, number];
  const h = newHistogram();
  for (const ms of heartbeatsMs) recordMicros(h, ms * 1000);
  const encoded = encodeHistogram(h);
  h.destroy();
  const n = heartbeatsMs.length;
  const { status, exitCode, failures, reasons } = judge(over.failures ?? []);
  return {
    kind: 'load', schemaVersion: 4, runId: `run-${shard.replace('/', 'of')}`, tool: { name: 'talkbench', version: '0.0.0' },
    startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:05.000Z',
    config: {
      scenario: 'users', protocol: 'im', targets: [{ host: '127.0.0.1', port: 8999 }], users: over.users ?? 30, rampUpMs: 0, warmupMs: 0,
      durationMs: 3000, timeoutMs: 5000, graceMs: 1000, rate: null, inflight: null, heartbeatIntervalMs: 1000, bodyBytes: 0,
      groupSize: 5, rates: { ...DEFAULTS.rates }, chatBytes: 64, uploadBytes: { ...DEFAULTS.uploadBytes }, workers: 1, processes: 1,
      unanswered: [], fileListIntervalMs: 1000, httpBase: null, reconnect: { ...DEFAULTS.reconnect },
      layout: 'le', maxBodyBytes: 1 << 24, seed: 'same', sourceAddresses: [], thresholds: [], overload: { ...DEFAULTS.overload }, shard: { index, count }, slice: { index: 1, count: 1 },
    },
    environment: { node: 'v20', platform: 'linux x64', cpuModel: 'test', cpus: 2, memoryBytes: 1, loadAverage: { start: [0], end: [0] }, openFileLimit: null },
    targetScryptCost: 1024, measuredMs: 3000, status, exitCode, failures, reasons,
    ops: { heartbeat: { sent: n, ok: n, failed: 0, timeouts: 0, unanswered: 0, failedBy: {}, failureSamples: {}, span: null, corrected: encoded, uncorrected: encoded } },
    delivery: { chat: { delivered: 2, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 } },
    disconnects: {}, unexpectedFrames: {}, notices: {}, badLines: {}, usersFailed: {}, downloadBytes: 0, metrics: {},
    timeSeries: [{ second: 1, phase: 'measured', ops: { heartbeat: { sent: n, ok: n, failed: 0, timeouts: 0, unanswered: 0, histogram: encoded } } }],
    generator: {
      workers: [{ worker: 0, eventLoopDelay: { p50: 1, p99: 2, max: 3 }, utilization: 0.1, actionsScheduled: 100, lateStarts: 0 }],
      cpu: { userMs: 100, systemMs: 10, wallMs: 4000 }, peakRssBytes: 1e8, actionsScheduled: 100, lateStarts: 0, overloaded: false,
    },
    thresholds: [], shards: [],
  };
}

const mergeOf = (parts: LoadResult[], thresholds: string[] = []): LoadResult => mergeLoadResults(parts, { thresholds: thresholds.map(parseThreshold) });
const mergeError = (run: () => unknown): MergeError => {
  try { run(); } catch (err) { if (err instanceof MergeError) return err; throw err; }
  throw new Error('expected a MergeError');
};

describe('merge.ts on hand-built results', () => {
  test('adds what the shards measured and re-derives the metrics', () => {
    const merged = mergeOf([fake('2/2', [1, 2, 3]), fake('1/2', [10, 20])]);
    expect(merged.metrics['heartbeat.ok']).toBe(5);
    expect(merged.metrics['heartbeat.max']).toBeCloseTo(20, 1);
    expect(merged.metrics['chat.delivered']).toBe(4);
    expect(merged.timeSeries).toHaveLength(1);
    expect(merged.timeSeries[0]!.ops.heartbeat!.ok).toBe(5);
    expect(merged.generator.workers.map((w) => w.worker)).toEqual([0, 1]);
    expect(merged.shards.map((s) => s.shard)).toEqual(['1/2', '2/2']);
    expect(merged.exitCode).toBe(0);
    // It is itself a valid load result, and reads back as it was written.
    expect(readPart(JSON.stringify(merged), 'merged')).toStrictEqual(merged);
    // Each shard's own figures (HdrHistogram keeps 3 significant digits: 20 ms reads 20.015).
    const close = (ms: number) => expect.closeTo(ms, 1);
    expect(merged.shards.map((s) => s.summary?.ops.heartbeat)).toEqual([
      { sent: 2, ok: 2, failed: 0, timeouts: 0, unanswered: 0, latency: { p50: close(10), p90: close(20), p99: close(20), p999: close(20), max: close(20), mean: close(15) } },
      { sent: 3, ok: 3, failed: 0, timeouts: 0, unanswered: 0, latency: { p50: close(2), p90: close(3), p99: close(3), p999: close(3), max: close(3), mean: close(2) } },
    ]);
  });

  test('a threshold each shard passes but the whole run crosses fails the merge (99)', () => {
    const parts = [fake('1/2', [1, 1, 1, 1]), fake('2/2', [1, 1, 1, 1, 1])];
    expect(mergeOf(parts, ['heartbeat.ok<5']).exitCode).toBe(99);
    const merged = mergeOf(parts, ['heartbeat.ok<8']);
    expect(merged.status).toBe('thresholds-crossed');
    expect(merged.thresholds).toEqual([{ threshold: 'heartbeat.ok<8', metric: 'heartbeat.ok', actual: 9, passed: false }]);
    expect(merged.config.thresholds).toEqual(['heartbeat.ok<8']);
    expect(mergeOf(parts, ['heartbeat.ok<10']).exitCode).toBe(0);
  });

  test('refuses parts of different runs, repeated shards and different shard counts', () => {
    const users = mergeError(() => mergeLoadResults([fake('1/2', [1]), fake('2/2', [1], { users: 40 })], { thresholds: [], names: ['a.json', 'b.json'] }));
    expect(users.code).toBe('MISMATCHED_RUNS');
    expect(users.message).toMatch(/b\.json and a\.json differ in users \(40 vs 30\)/);
    const twice = mergeError(() => mergeLoadResults([fake('1/2', [1]), fake('2/2', [1]), fake('1/2', [2])], { thresholds: [], names: ['a', 'b', 'c'] }));
    expect(twice.code).toBe('DUPLICATE_SHARD');
    expect(twice.message).toMatch(/a and c are both shard 1\/2/);
    expect(mergeError(() => mergeOf([fake('1/2', [1]), fake('2/3', [1])])).message).toMatch(/shard 2\/3 but .* is shard 1\/2/);
    expect(mergeError(() => mergeOf([])).code).toBe('NOTHING_TO_MERGE');
  });

  test('outcome: interrupted if any part was, a target failure if any part had one, unreachable only if all were', () => {
    const interrupted = fake('2/2', [1], { failures: [{ code: 'interrupted', message: 'interrupted by a signal' }, { code: 'target-failed-mid-run', target: '127.0.0.1:8999', message: 'every connection lost' }] });
    const both = mergeOf([fake('1/2', [1]), interrupted]);
    expect(both.exitCode).toBe(130);
    expect(both.failures).toContainEqual({ code: 'target-failed-mid-run', target: '127.0.0.1:8999', shard: '2/2', message: 'every connection lost' });
    expect(both.reasons.join('\n')).toMatch(/shard 2\/2: every connection lost/);
    expect(mergeOf([fake('1/2', [1]), fake('2/2', [1], { failures: [{ code: 'target-failed-mid-run', message: 'x' }] })]).exitCode).toBe(4);
    // Found by a shard's final probe after its run: the merge must not pass either.
    const late = mergeOf([fake('1/2', [1]), fake('2/2', [1], { failures: [{ code: 'target-failed-late', target: '127.0.0.1:8999', message: 'y' }] })]);
    expect(late.exitCode).toBe(4);
    expect(late.failures).toEqual([{ code: 'target-failed-late', target: '127.0.0.1:8999', shard: '2/2', message: 'y' }]);
    expect(late.reasons.join()).toMatch(/shard 2\/2: y/);
    const down: Failure[] = [{ code: 'unreachable', target: '127.0.0.1:8999', message: 'target 127.0.0.1:8999 refused the connection' }];
    const bothDown = mergeOf([fake('1/2', [], { failures: down }), fake('2/2', [], { failures: down })]);
    expect(bothDown.exitCode).toBe(3);
    expect(bothDown.failures.map((f) => [f.code, f.shard])).toEqual([['unreachable', '1/2'], ['unreachable', '2/2']]);
    // One shard could not connect while the other ran: not unreachable, and not a pass either.
    const oneDown = mergeOf([fake('1/2', [1]), fake('2/2', [], { failures: down })]);
    expect(oneDown.exitCode).toBe(4);
    expect(oneDown.failures).toEqual([{ code: 'target-failed-mid-run', target: '127.0.0.1:8999', shard: '2/2', message: 'could not connect: target 127.0.0.1:8999 refused the connection' }]);
    // A shard's overload and crossed thresholds are not the whole run's: they are judged again.
    const crossed = fake('2/2', [1], { failures: [{ code: 'threshold-crossed', threshold: 'x', message: 'x' }, { code: 'overloaded', message: 'late' }] });
    expect(mergeOf([fake('1/2', [1]), crossed]).failures).toEqual([]);
  });

  test('the failures of a merge are what its reasons say, and nothing reads the reasons back', () => {
    const part = fake('2/2', [1], { failures: [{ code: 'target-failed-mid-run', message: 'z' }] });
    const merged = mergeOf([fake('1/2', [1]), { ...part, reasons: ['anything at all'] }]);
    expect(merged.exitCode).toBe(4);
    expect(merged.reasons).toEqual(['the target failed mid-run: shard 2/2: z']);
    expect(mergeOf([fake('1/2', [1]), { ...fake('2/2', [1]), reasons: ['the target failed mid-run: only words'] }]).exitCode).toBe(0);
  });

  test('--processes: slices of one shard become that shard\'s result, judged by its own thresholds', () => {
    const slices = [fake('2/3', [1, 1]), fake('2/3', [1, 1, 1])].map((r, i) => ({ ...r, config: { ...r.config, slice: { index: 2 - i, count: 2 } } }));
    const config = { ...slices[0]!.config, slice: { index: 1, count: 1 }, thresholds: [parseThreshold('heartbeat.ok<5')] };
    const shard = mergeProcessResults(slices, config);
    expect(shard.config.shard).toEqual({ index: 2, count: 3 });
    expect(shard.shards).toEqual([]);
    expect(shard.ops.heartbeat!.ok).toBe(5);
    expect(shard.exitCode).toBe(99);
  });

  test('readPart names what is wrong, as a usage error (exit 2)', () => {
    const error = (value: unknown, name: string): MergeError => mergeError(() => readPart(value, name));
    expect(error([1], 'x.json').message).toMatch(/^x\.json: not a talkbench result/);
    expect(error({ kind: 'conformance', schemaVersion: 1 }, 'c.json').message).toMatch(/^c\.json: kind: is "conformance"/);
    const newer = error({ ...fake('1/1', [1]), schemaVersion: 7 }, 'n.json');
    expect(newer.message).toMatch(/^n\.json: schemaVersion: 7 \(written by talkbench 0\.0\.0\) is too new: this talkbench reads load results of schema versions 2 to 4/);
    expect(newer.code).toBe('BAD_RESULT_FILE');
    expect(newer.exitCode).toBe(2);
    expect(error({ ...fake('1/1', [1]), ops: { heartbeat: { ok: 'many' } } }, 'o.json').message).toMatch(/^o\.json: ops\.heartbeat\.\w+: /);
    expect(error(JSON.stringify({ ...fake('1/1', [1]), config: { ...fake('1/1', [1]).config, shard: { index: 3, count: 2 } } }), 's.json').message)
      .toMatch(/^s\.json: config\.shard: expected i\/N with i <= N/);
    expect(error('{"kind": "load",', 'b.json').message).toMatch(/^b\.json: not JSON/);
  });
});

// Concurrent: each CLI run only reads the files it names, and each test writes files of its own
// (f1.json and f2.json, which several read, before any of them).
describe('talkbench merge on the command line', () => {
  beforeAll(async () => {
    await writeFile(join(dir, 'f1.json'), JSON.stringify(fake('1/2', [1, 1, 1, 1])));
    await writeFile(join(dir, 'f2.json'), JSON.stringify(fake('2/2', [1, 1, 1, 1, 1])));
  });

  test.concurrent('thresholds are checked on the merged whole: exit 99', async () => {
    const run = await talkbench(['merge', 'f1.json', 'f2.json', '--threshold', 'heartbeat.ok<8']);
    expect(run.code, run.stderr).toBe(99);
    expect(run.stdout).toMatch(/threshold CROSSED heartbeat\.ok<8 \(measured 9\)/);
    expect((await talkbench(['merge', 'f1.json', 'f2.json', '--threshold', 'heartbeat.ok<10'])).code).toBe(0);
  });

  test.concurrent('the merged whole has the default errors==0: a shard\'s timeouts fail it, unless dropped', async () => {
    const failing = fake('2/2', [1, 1]);
    failing.ops.heartbeat = { ...failing.ops.heartbeat!, sent: 3, timeouts: 1 };
    await writeFile(join(dir, 'e1.json'), JSON.stringify(fake('1/2', [1, 1])));
    await writeFile(join(dir, 'e2.json'), JSON.stringify(failing));
    const run = await talkbench(['merge', 'e1.json', 'e2.json']);
    expect(run.code, run.stderr).toBe(99);
    expect(run.stdout).toMatch(/threshold CROSSED errors==0 \(default\) \(measured 1\)/);
    expect((await talkbench(['merge', 'e1.json', 'e2.json', '--no-default-thresholds'])).code).toBe(0);
    expect((await talkbench(['merge', 'e1.json', 'e2.json', '--threshold', 'errors.ratio<0.5'])).code).toBe(0);
  });

  test.concurrent('a missing file exits 2 and names it', async () => {
    const run = await talkbench(['merge', 'f1.json', 'absent.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read absent\.json: no such file/);
  });

  test.concurrent('a file that is not a load result exits 2 and says why', async () => {
    await writeFile(join(dir, 'conformance.json'), JSON.stringify({ kind: 'conformance', schemaVersion: 1 }));
    await writeFile(join(dir, 'broken.json'), '{"kind": "load",');
    const notLoad = await talkbench(['merge', 'f1.json', 'conformance.json']);
    expect(notLoad.code).toBe(2);
    expect(notLoad.stderr).toMatch(/conformance\.json: kind: is "conformance", not "load"/);
    const broken = await talkbench(['merge', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not JSON/);
  });

  test.concurrent('a shard written by schema version 2 is read through its migration; a newer version exits 2 naming both versions', async () => {
    const v2 = join(fileURLToPath(new URL('../../reports/schema/test/fixtures/', import.meta.url)), 'v2-load.json');
    const old = await talkbench(['merge', v2, '--out', 'from-v2.json']);
    expect(old.code, old.stderr).toBe(0);
    const fromV2 = await readResult('from-v2.json');
    expect(fromV2.schemaVersion).toBe(4);
    expect(fromV2.ops['chat.e2e']!.ok).toBe(JSON.parse(await readFile(v2, 'utf8')).ops['chat.e2e'].ok);
    await writeFile(join(dir, 'newer.json'), JSON.stringify({ ...fake('1/1', [1]), schemaVersion: 5 }));
    const newer = await talkbench(['merge', 'newer.json']);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toMatch(/^talkbench merge: newer\.json: schemaVersion: 5 \(written by talkbench 0\.0\.0\) is too new: this talkbench reads load results of schema versions 2 to 4; read it with a newer talkbench$/m);
    expect(newer.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  test.concurrent('an unknown metric in --threshold exits 2 before any file is read', async () => {
    const run = await talkbench(['merge', 'absent.json', '--threshold', 'hartbeat.p99<5ms']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown metric "hartbeat\.p99"/);
    expect(run.stderr).not.toMatch(/absent\.json/);
  });
});

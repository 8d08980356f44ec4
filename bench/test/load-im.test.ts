// The IM user scenario against the real reference server: small runs whose counters are exactly
// right, exact histograms, and the run ends that must be reported rather than hung on.
import { describe, expect, test, type TestContext } from 'vitest';
import { initHistograms } from '../../reports/schema/histogram.js';
import { serve } from '../../test-support/cli-process.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { expectPassed, histogramCount, load, removeTempFiles, startCli, tempFile } from '../../test-support/cli-run.js';
import { keeper, until } from '../../test-support/cleanup.js';
import { readFile } from 'node:fs/promises';
import type { LoadResult } from '../run/result.js';

// Tests marked concurrent run side by side within their describe, each against a server of its own
// (closed when it ends): they mostly wait on the generator's timers, and none shares anything with another.
const reference = async (ctx: TestContext, options: Parameters<typeof startTestServer>[0]): Promise<TestServer> => keeper(ctx)(await startTestServer(options));

/** A temporary file for a result, removed with its folder when the test ends. */
async function resultFile(ctx: TestContext, name: string): Promise<string> {
  const out = await tempFile(name);
  ctx.onTestFinished(() => removeTempFiles([out]));
  return out;
}

describe('IM users against the reference server', () => {
  test.concurrent('50 users: every chat delivered exactly once, counters and histograms agree', async (ctx) => {
    await initHistograms();
    const server = await reference(ctx, { logLevel: 'warn' });
    const { code, result } = await load([
      '--target', `127.0.0.1:${server.imPort}`, '--users', '50', '--duration', '3s', '--chat-rate', '2',
      '--heartbeat-interval', '500ms', '--status-rate', '0.5', '--upload-rate', '0.3', '--upload-size', '100-2000',
      '--grace', '1s', '--workers', '2', '--seed', 'exact',
    ]);
    expectPassed(code, result);
    const ops = result.ops;
    for (const op of ['connect', 'register', 'login', 'friends', 'userlist']) expect(ops[op]?.ok, op).toBe(50);
    // 10 groups of 5: each member befriends the later ones, 4 requests per group.
    expect(ops.addfriends?.ok).toBe(40);
    const chat = result.delivery.chat!;
    expect(ops['chat.e2e']!.sent).toBeGreaterThan(100);
    expect(chat).toEqual({ delivered: ops['chat.e2e']!.sent, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 });
    expect(ops['chat.e2e']!.ok).toBe(chat.delivered);
    for (const [name, op] of Object.entries(ops)) {
      expect(op.failed, `${name} failed`).toBe(0);
      expect(op.timeouts, `${name} timeouts`).toBe(0);
      expect(histogramCount(op.corrected), `${name} corrected histogram`).toBe(op.ok);
      expect(histogramCount(op.uncorrected), `${name} uncorrected histogram`).toBe(op.ok);
    }
    for (const op of ['heartbeat', 'upload']) expect(ops[op]!.ok, op).toBe(ops[op]!.sent);
    expect(result.metrics['chat.lost']).toBe(0);
    expect(result.timeSeries.length).toBeGreaterThanOrEqual(3);
    expect(result.generator.workers).toHaveLength(2);
  });

  test.concurrent('a second run of the same seed logs the users in without registering them again', async (ctx) => {
    const server = await reference(ctx, { logLevel: 'warn' });
    const args = ['--target', `127.0.0.1:${server.imPort}`, '--users', '10', '--duration', '1s', '--grace', '500ms', '--seed', 'again'];
    expect((await load(args)).result.ops.register?.ok).toBe(10);
    const second = await load(args);
    expectPassed(second.code, second.result);
    expect(second.result.ops.register).toBeUndefined();
    expect(second.result.ops.login?.ok).toBe(10);
    expect(second.result.ops.login?.failed).toBe(0);
  });
});

describe('thresholds', () => {
  test.concurrent('a crossed threshold exits 99; held ones exit 0', async (ctx) => {
    const server = await reference(ctx, { logLevel: 'warn' });
    const base = ['--target', `127.0.0.1:${server.imPort}`, '--users', '10', '--duration', '1s', '--chat-rate', '3', '--heartbeat-interval', '200ms', '--grace', '500ms', '--seed', 'th'];
    const held = await load([...base, '--threshold', 'chat.lost==0', '--threshold', 'heartbeat.p99<60s']);
    expectPassed(held.code, held.result);
    // The default errors==0 first, then the user's.
    expect(held.result.thresholds.map((t) => [t.threshold, t.passed])).toEqual([['errors==0', true], ['chat.lost==0', true], ['heartbeat.p99<60s', true]]);
    const crossed = await load([...base, '--threshold', 'login.ok>1000']);
    // Exit 5 (an overloaded generator on a loaded machine) outranks 99; the crossing is still reported.
    expect([99, 5]).toContain(crossed.code);
    expect(crossed.result.reasons).toContain('threshold crossed: login.ok>1000 (measured 10)');
    expect(crossed.result.thresholds[1]).toMatchObject({ threshold: 'login.ok>1000', actual: 10, passed: false });
  });

  test.concurrent.each([
    ['an unknown metric', 'chat.e2e.p98<5ms', /unknown metric "chat\.e2e\.p98"/],
    ['a time without its unit', 'heartbeat.p99<20', /give its unit/],
    ['a malformed expression', 'heartbeat.p99 about 20ms', /is not METRIC OP VALUE/],
  ])('%s exits 2 before anything connects', async (_what, threshold, message) => {
    // Nothing listens on port 1: had it tried to connect, the exit would be 3.
    const { code, stderr } = await startCli(['load', '--target', '127.0.0.1:1', '--threshold', threshold]).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('runs that end badly', () => {
  test.concurrent('an unreachable target exits 3 with a message naming it', async () => {
    const { code, result } = await load(['--target', '127.0.0.1:1', '--users', '5', '--duration', '1s']);
    expect(code).toBe(3);
    expect(result.status).toBe('unreachable');
    expect(result.reasons.join()).toMatch(/127\.0\.0\.1:1 refused the connection: is the server running\?/);
  });

  test.concurrent('an interrupted run still writes its result and exits 130', async (ctx) => {
    const server = await reference(ctx, { logLevel: 'info' });
    const out = await resultFile(ctx, 'interrupted.json');
    const run = startCli(['load', '--target', `127.0.0.1:${server.imPort}`, '--users', '20', '--duration', '60s', '--grace', '200ms', '--out', out, '--quiet']);
    await server.logged(/logged in/, 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    run.child.kill('SIGINT');
    const { code } = await run.done;
    expect(code).toBe(130);
    const result = JSON.parse(await readFile(out, 'utf8')) as LoadResult;
    expect(result.status).toBe('interrupted');
    expect(result.ops.login?.ok).toBe(20);
    expect(result.measuredMs).toBeLessThan(60_000);
  });

  test.concurrent('a target killed mid-run is reported (exit 4), not hung on', async (ctx) => {
    const target = await serve(['--memory']);
    ctx.onTestFinished(async () => { target.child.kill('SIGKILL'); await target.exited; });
    const out = await resultFile(ctx, 'killed.json');
    const run = startCli(['load', '--target', `127.0.0.1:${target.imPort}`, '--users', '20', '--duration', '60s', '--heartbeat-interval', '200ms', '--timeout', '1s', '--out', out, '--quiet']);
    // Mid-run: every user logged in (the server logs each), and a second of heartbeats since.
    await until('the 20 users logged in', () => [...target.stdout, ...target.stderr].filter((l) => / logged in$/.test(l)).length >= 20, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    target.child.kill('SIGKILL');
    const { code, stdout } = await run.done;
    expect(code, stdout).toBe(4);
    const result = JSON.parse(await readFile(out, 'utf8')) as LoadResult;
    expect(result.status).toBe('target-failed');
    expect(result.reasons.join()).toMatch(/every connection to 127\.0\.0\.1:\d+ lost|stopped answering/);
  });
});

describe('password hashing under load [D-HASH]', () => {
  // Alone in its describe, so not beside the tests above: its hashing takes the machine's every core.
  test('a login storm does not stall the heartbeats of users already logged in', async (ctx) => {
    // Full-cost scrypt (N=16384, ~50 ms of CPU each): 60 users registering and logging in is about
    // 6 CPU-seconds of hashing. On the event loop it would stop every heartbeat for seconds.
    const server = await reference(ctx, { scryptCost: 16384, logLevel: 'info' });
    const target = `127.0.0.1:${server.imPort}`;
    // The storm starts once the steady users are logged in and their 1 s warm-up is over, so inside the
    // steady run's measured window; it lasts long enough for all 60 logins to finish on a loaded CI
    // machine (they take about 3 s on an idle one), and ends before that window does. A stalled event
    // loop would miss the 2 s timeout for seconds.
    const steady = load(['--target', target, '--users', '10', '--seed', 'steady', '--warmup', '1s', '--duration', '12s',
      '--heartbeat-interval', '100ms', '--timeout', '2s', '--chat-rate', '0', '--status-rate', '0', '--grace', '500ms']);
    await until('the 10 steady users logged in', () => server.logs.filter((l) => / logged in$/.test(l)).length >= 10, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const storm = await load(['--target', target, '--users', '60', '--seed', 'storm', '--duration', '8s', '--chat-rate', '0', '--timeout', '30s']);
    expect(storm.result.ops.login?.ok).toBe(60);
    const { result } = await steady;
    const beats = result.ops.heartbeat!;
    expect(beats.sent).toBeGreaterThan(1000);
    expect(beats.timeouts).toBe(0);
    expect(beats.failed).toBe(0);
    expect(beats.ok).toBe(beats.sent);
  }, 60_000);
});

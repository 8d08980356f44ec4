// The load generator against what is not ours: the reference server's bytes re-cut into small pieces
// in both directions (a real network cuts streams anywhere), a server that accepts and answers
// nothing, one that stops answering mid-run, and two targets of which one dies. Exact counts where
// the run is healthy; a failing verdict, with its reason, where it is not [D-VERDICT] [D-EXIT].
import { describe, expect, test } from 'vitest';
import { keeper, until } from '../../test-support/cleanup.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { startResegmentingProxy, type ResegmentingProxy } from '../../test-support/doubles/resegmenting-proxy.js';
import { startSilentServer } from '../../test-support/doubles/silent-server.js';
import { startFreezingProxy, type FreezingProxy } from '../../test-support/doubles/freezing-proxy.js';
import { expectExit, load } from '../../test-support/cli-run.js';

// The tests of each describe run concurrently, each with servers and doubles of its own (closed when
// it ends): they mostly wait on the generator's timers, and none shares anything with another.
type Keep = ReturnType<typeof keeper>;

async function reference(keep: Keep): Promise<TestServer> {
  return keep(await startTestServer({ logLevel: 'warn' }));
}

async function proxy(keep: Keep, port: number, mode: 'random' | 'one-byte', seed = 7): Promise<ResegmentingProxy> {
  return keep(await startResegmentingProxy({ target: { host: '127.0.0.1', port }, mode, maxPiece: 13, seed }));
}

/** Resolves once the run is under way against `proxy`: a user's connection after the preflight's, then a second of its traffic. */
async function underWay(proxy: FreezingProxy, running: () => boolean): Promise<void> {
  await until('a user connected through the freezing proxy', () => proxy.connections >= 2 || !running(), 20_000);
  await new Promise((r) => setTimeout(r, 1000));
}

describe('frames and lines cut into small pieces in both directions', () => {
  test.concurrent('IM users through random pieces: every login, reply, chat, notice and file counted exactly', async (ctx) => {
    const keep = keeper(ctx);
    const server = await reference(keep);
    const p = await proxy(keep, server.imPort, 'random');
    const run = await load([
      '--target', `127.0.0.1:${p.port}`, '--users', '20', '--duration', '3s', '--chat-rate', '1', '--status-rate', '0.3',
      '--upload-rate', '0.3', '--upload-size', '200-3000', '--heartbeat-interval', '500ms', '--grace', '2s', '--timeout', '10s', '--seed', 'cut-im',
    ]);
    expectExit(run, 0);
    const { ops, delivery } = run.result;
    for (const op of ['connect', 'login', 'register', 'friends', 'userlist']) expect(ops[op]?.ok, op).toBe(20);
    expect(ops.addfriends?.ok).toBe(16);
    expect(ops['chat.e2e']!.sent).toBeGreaterThan(20);
    expect(delivery.chat).toMatchObject({ delivered: ops['chat.e2e']!.sent, lost: 0, duplicated: 0 });
    expect(ops['status.notice']!.ok).toBe(ops['status.notice']!.sent);
    expect(delivery.file).toMatchObject({ delivered: ops['file.e2e']!.sent, lost: 0, corrupted: 0 });
    expect(run.result.metrics.errors).toBe(0);
    expect(p.stats.targetToClient.pieces).toBeGreaterThan(1000);
  });

  test.concurrent('IM users one byte at a time, small payloads and a long timeout', async (ctx) => {
    const keep = keeper(ctx);
    const server = await reference(keep);
    const p = await proxy(keep, server.imPort, 'one-byte');
    const run = await load([
      '--target', `127.0.0.1:${p.port}`, '--users', '6', '--group-size', '3', '--duration', '2s', '--chat-rate', '1', '--chat-size', '40',
      '--heartbeat-interval', '1s', '--status-rate', '0', '--grace', '3s', '--timeout', '20s', '--seed', 'one-byte',
    ]);
    expectExit(run, 0);
    const { ops, delivery } = run.result;
    for (const op of ['connect', 'login', 'friends', 'userlist']) expect(ops[op]?.ok, op).toBe(6);
    expect(delivery.chat).toMatchObject({ delivered: ops['chat.e2e']!.sent, lost: 0 });
    // Each piece was one byte: as many reads as bytes at the generator.
    expect(p.stats.targetToClient.pieces).toBe(p.stats.targetToClient.bytes);
  });

  test.concurrent('CHAT/1.0 users through random pieces: every SEND and BROADCAST delivered once', async (ctx) => {
    const keep = keeper(ctx);
    const server = await reference(keep);
    const p = await proxy(keep, server.chatPort, 'random', 11);
    const run = await load([
      '--protocol', 'chat', '--target', `127.0.0.1:${p.port}`, '--users', '12', '--duration', '3s', '--chat-rate', '1', '--broadcast-rate', '0.5',
      '--grace', '2s', '--timeout', '10s', '--seed', 'cut-chat',
    ]);
    expectExit(run, 0);
    const { ops, delivery } = run.result;
    expect(ops.login?.ok).toBe(12);
    expect(delivery.send).toMatchObject({ delivered: ops['send.e2e']!.sent, lost: 0 });
    expect(delivery.broadcast).toMatchObject({ delivered: ops['broadcast.e2e']!.sent, lost: 0 });
    expect(run.result.badLines).toEqual({});
  });
});

describe('a server that answers nothing', () => {
  test.concurrent.for([
    ['IM users', ['--users', '10']],
    ['ping, closed model', ['--scenario', 'ping', '--users', '5', '--inflight', '1']],
  ] as const)('%s: exit 3 before the measured time, saying so', async ([, args], ctx) => {
    const silent = keeper(ctx)(await startSilentServer());
    const { code, result, stdout } = await load(['--target', `127.0.0.1:${silent.port}`, ...args, '--duration', '2s', '--timeout', '1s']);
    expect(code, stdout).toBe(3);
    expect(result.status).toBe('unreachable');
    expect(result.reasons.join()).toMatch(/accepted the connection but did not answer a LoginRequest .* within 1000 ms/);
    expect(result.reasons.join()).toMatch(/nor the other layout or protocol/);
    // Nothing measured, and the summary says only why.
    expect(result.ops).toEqual({});
    expect(stdout).not.toMatch(/operation +sent/);
  });

  test.concurrent('a server that accepts and closes every connection at once: exit 3', async (ctx) => {
    const closing = keeper(ctx)(await startSilentServer({ closeAtOnce: true }));
    const { code, result } = await load(['--target', `127.0.0.1:${closing.port}`, '--users', '5', '--duration', '1s', '--timeout', '1s']);
    expect(code).toBe(3);
    expect(result.reasons.join()).toMatch(/closed the connection without answering/);
  });

  test.concurrent('--protocol im pointed at a CHAT/1.0 port: exit 3 naming the protocol it speaks', async (ctx) => {
    const server = await reference(keeper(ctx));
    const { code, result } = await load(['--target', `127.0.0.1:${server.chatPort}`, '--users', '5', '--duration', '1s', '--timeout', '1s']);
    expect(code).toBe(3);
    expect(result.reasons.join()).toMatch(/it speaks CHAT\/1\.0: use --protocol chat/);
  });

  test.concurrent('--layout be against an le server: exit 3 naming the layout it answers', async (ctx) => {
    const server = await reference(keeper(ctx));
    const { code, result } = await load(['--target', `127.0.0.1:${server.imPort}`, '--layout', 'be', '--users', '5', '--duration', '1s', '--timeout', '1s']);
    expect(code).toBe(3);
    expect(result.reasons.join()).toMatch(/it answers IM frames of the le layout: use --layout le/);
  });
});

describe('a target that stops answering mid-run', () => {
  // First: the longest, so the limit on concurrent tests (maxConcurrency) never holds it back.
  test.concurrent('a target that dies after the measured time is found by the final probe: exit 4', async (ctx) => {
    const keep = keeper(ctx);
    const server = await reference(keep);
    const frozen = keep(await startFreezingProxy({ host: '127.0.0.1', port: server.imPort }));
    // Frozen in the grace window: no request of the run is waiting then (heartbeats every 10 s). The
    // users connect as the measured second starts; the freeze comes 2 s later, 1 s into the 3 s grace.
    const run = await load(['--target', `127.0.0.1:${frozen.port}`, '--users', '5', '--duration', '1s', '--grace', '3s', '--timeout', '1s',
      '--chat-rate', '0', '--status-rate', '0', '--seed', 'late-death'],
    async (running) => {
      await until('a user connected through the freezing proxy', () => frozen.connections >= 2 || !running(), 20_000);
      await new Promise((r) => setTimeout(r, 2000));
      frozen.freeze();
    });
    expect(run.code, run.stdout).toBe(4);
    expect(run.result.reasons.join()).toMatch(/after the measured time \(final probe\)/);
  });

  test.concurrent.for([
    ['IM users', ['--users', '10', '--heartbeat-interval', '200ms']],
    ['CHAT/1.0 users', ['--protocol', 'chat', '--users', '10', '--chat-rate', '5']],
    ['ping, open model', ['--scenario', 'ping', '--users', '5', '--rate', '200', '--warmup', '0s']],
    ['ping, closed model', ['--scenario', 'ping', '--users', '5', '--inflight', '1', '--warmup', '0s']],
  ] as const)('%s: exit 4 within the timeout and a second, whatever the sweep did first', async ([, args], ctx) => {
    const keep = keeper(ctx);
    const server = await reference(keep);
    const chat = (args as readonly string[]).includes('chat');
    const frozen = keep(await startFreezingProxy({ host: '127.0.0.1', port: chat ? server.chatPort : server.imPort }));
    const startedAt = Date.now();
    let frozeAt = 0;
    const run = await load(['--target', `127.0.0.1:${frozen.port}`, ...args, '--duration', '60s', '--timeout', '1s', '--grace', '200ms', '--seed', `freeze-${args.join('')}`],
      async (running) => {
        await underWay(frozen, running);
        if (running()) { frozen.freeze(); frozeAt = Date.now(); }
      });
    expect(frozeAt, run.stdout).toBeGreaterThan(0);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(4);
    expect(run.result.reasons.join()).toMatch(new RegExp(`127\\.0\\.0\\.1:${frozen.port} stopped answering`));
    // Detected within timeout + 1 s of the freeze (checked with a generous margin: a loaded machine is slow to exit).
    expect(run.result.measuredMs).toBeLessThan((frozeAt - startedAt) + 1000 + 1000 + 10_000);
  });

  test.concurrent('two targets, one of which dies: found, and named', async (ctx) => {
    const keep = keeper(ctx);
    const a = await reference(keep);
    const b = keep(await startFreezingProxy({ host: '127.0.0.1', port: (await reference(keep)).imPort }));
    const run = await load(['--target', `127.0.0.1:${a.imPort},127.0.0.1:${b.port}`, '--users', '20', '--heartbeat-interval', '200ms',
      '--duration', '60s', '--timeout', '1s', '--grace', '200ms', '--seed', 'two-targets'],
    async (running) => {
      await underWay(b, running);
      if (running()) b.freeze();
    });
    expect(run.code, run.stdout).toBe(4);
    expect(run.result.reasons.join()).toMatch(new RegExp(`127\\.0\\.0\\.1:${b.port} stopped answering`));
    expect(run.result.reasons.join()).not.toMatch(new RegExp(`127\\.0\\.0\\.1:${a.imPort} stopped`));
  });
});

describe('thresholds that cannot hold on nothing', () => {
  test.concurrent("chat.lost==0 with no chat sent fails: 'nothing was measured'", async (ctx) => {
    const server = await reference(keeper(ctx));
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '4', '--duration', '1s', '--chat-rate', '0', '--grace', '300ms',
      '--threshold', 'chat.lost==0', '--seed', 'nothing']);
    expectExit(run, 99);
    expect(run.result.thresholds).toContainEqual(expect.objectContaining({ threshold: 'chat.lost==0', passed: false, note: 'nothing was measured for chat.e2e or chat.offline.e2e' }));
    expect(run.result.thresholds[0]).toMatchObject({ threshold: 'errors==0', isDefault: true, passed: true });
  });

  test.concurrent('--no-default-thresholds drops errors==0; a threshold on errors replaces it', async () => {
    // Port 1 refuses: the run never starts, but the result still lists the thresholds it was judged by.
    const judgedBy = async (args: string[]): Promise<string[]> =>
      (await load(['--target', '127.0.0.1:1', ...args])).result.thresholds.map((t) => `${t.threshold}${t.isDefault ? ' (default)' : ''}`);
    expect(await judgedBy([])).toEqual(['errors==0 (default)']);
    expect(await judgedBy(['--no-default-thresholds'])).toEqual([]);
    expect(await judgedBy(['--threshold', 'errors.ratio<0.01'])).toEqual(['errors.ratio<0.01']);
    expect(await judgedBy(['--threshold', 'login.p99<1s'])).toEqual(['errors==0 (default)', 'login.p99<1s']);
  });
});

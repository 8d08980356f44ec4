// The load generator against what is not ours: the reference server's bytes re-cut into small pieces
// in both directions (a real network cuts streams anywhere), a server that accepts and answers
// nothing, one that stops answering mid-run, and two targets of which one dies. Exact counts where
// the run is healthy; a failing verdict, with its reason, where it is not [D-VERDICT] [D-EXIT].
import { afterEach, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { startResegmentingProxy, type ResegmentingProxy } from '../../test-support/doubles/resegmenting-proxy.js';
import { startSilentServer } from '../../test-support/doubles/silent-server.js';
import { startFreezingProxy } from '../../test-support/doubles/freezing-proxy.js';
import { expectExit, load } from '../../test-support/cli-run.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const close of closers.splice(0).reverse()) await close(); });
const keep = <T extends { close(): Promise<void> }>(thing: T): T => { closers.push(() => thing.close()); return thing; };

async function reference(): Promise<TestServer> {
  return keep(await startTestServer({ logLevel: 'warn' }));
}

async function proxy(port: number, mode: 'random' | 'one-byte', seed = 7): Promise<ResegmentingProxy> {
  return keep(await startResegmentingProxy({ target: { host: '127.0.0.1', port }, mode, maxPiece: 13, seed }));
}

describe('frames and lines cut into small pieces in both directions', () => {
  test('IM users through random pieces: every login, reply, chat, notice and file counted exactly', async () => {
    const server = await reference();
    const p = await proxy(server.imPort, 'random');
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

  test('IM users one byte at a time, small payloads and a long timeout', async () => {
    const server = await reference();
    const p = await proxy(server.imPort, 'one-byte');
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

  test('CHAT/1.0 users through random pieces: every SEND and BROADCAST delivered once', async () => {
    const server = await reference();
    const p = await proxy(server.chatPort, 'random', 11);
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
  test.each([
    ['IM users', ['--users', '10']],
    ['ping, closed model', ['--scenario', 'ping', '--users', '5', '--inflight', '1']],
  ])('%s: exit 3 before the measured time, saying so', async (_what, args) => {
    const silent = keep(await startSilentServer());
    const { code, result, stdout } = await load(['--target', `127.0.0.1:${silent.port}`, ...args, '--duration', '2s', '--timeout', '1s']);
    expect(code, stdout).toBe(3);
    expect(result.status).toBe('unreachable');
    expect(result.reasons.join()).toMatch(/accepted the connection but did not answer a LoginRequest .* within 1000 ms/);
    expect(result.reasons.join()).toMatch(/nor the other layout or protocol/);
    // Nothing measured, and the summary says only why.
    expect(result.ops).toEqual({});
    expect(stdout).not.toMatch(/operation +sent/);
  });

  test('a server that accepts and closes every connection at once: exit 3', async () => {
    const closing = keep(await startSilentServer({ closeAtOnce: true }));
    const { code, result } = await load(['--target', `127.0.0.1:${closing.port}`, '--users', '5', '--duration', '1s', '--timeout', '1s']);
    expect(code).toBe(3);
    expect(result.reasons.join()).toMatch(/closed the connection without answering/);
  });

  test('--protocol im pointed at a CHAT/1.0 port: exit 3 naming the protocol it speaks', async () => {
    const server = await reference();
    const { code, result } = await load(['--target', `127.0.0.1:${server.chatPort}`, '--users', '5', '--duration', '1s', '--timeout', '1s']);
    expect(code).toBe(3);
    expect(result.reasons.join()).toMatch(/it speaks CHAT\/1\.0: use --protocol chat/);
  });

  test('--layout be against an le server: exit 3 naming the layout it answers', async () => {
    const server = await reference();
    const { code, result } = await load(['--target', `127.0.0.1:${server.imPort}`, '--layout', 'be', '--users', '5', '--duration', '1s', '--timeout', '1s']);
    expect(code).toBe(3);
    expect(result.reasons.join()).toMatch(/it answers IM frames of the le layout: use --layout le/);
  });
});

describe('a target that stops answering mid-run', () => {
  test.each([
    ['IM users', ['--users', '10', '--heartbeat-interval', '200ms']],
    ['CHAT/1.0 users', ['--protocol', 'chat', '--users', '10', '--chat-rate', '5']],
    ['ping, open model', ['--scenario', 'ping', '--users', '5', '--rate', '200', '--warmup', '0s']],
    ['ping, closed model', ['--scenario', 'ping', '--users', '5', '--inflight', '1', '--warmup', '0s']],
  ])('%s: exit 4 within the timeout and a second, whatever the sweep did first', async (_what, args) => {
    const server = await reference();
    const chat = args.includes('chat');
    const frozen = keep(await startFreezingProxy({ host: '127.0.0.1', port: chat ? server.chatPort : server.imPort }));
    let frozeAt = 0;
    const run = await load(['--target', `127.0.0.1:${frozen.port}`, ...args, '--duration', '60s', '--timeout', '1s', '--grace', '200ms', '--seed', `freeze-${args.join('')}`],
      async (running) => {
        await new Promise((r) => setTimeout(r, 3000));
        if (running()) { frozen.freeze(); frozeAt = Date.now(); }
      });
    expect(frozeAt, run.stdout).toBeGreaterThan(0);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(4);
    expect(run.result.reasons.join()).toMatch(new RegExp(`127\\.0\\.0\\.1:${frozen.port} stopped answering`));
    // Detected within timeout + 1 s (checked with a generous margin: a loaded machine is slow to exit).
    expect(run.result.measuredMs).toBeLessThan(3000 + 1000 + 1000 + 10_000);
  });

  test('two targets, one of which dies: found, and named', async () => {
    const a = await reference();
    const b = keep(await startFreezingProxy({ host: '127.0.0.1', port: (await reference()).imPort }));
    const run = await load(['--target', `127.0.0.1:${a.imPort},127.0.0.1:${b.port}`, '--users', '20', '--heartbeat-interval', '200ms',
      '--duration', '60s', '--timeout', '1s', '--grace', '200ms', '--seed', 'two-targets'],
    async (running) => {
      await new Promise((r) => setTimeout(r, 3000));
      if (running()) b.freeze();
    });
    expect(run.code, run.stdout).toBe(4);
    expect(run.result.reasons.join()).toMatch(new RegExp(`127\\.0\\.0\\.1:${b.port} stopped answering`));
    expect(run.result.reasons.join()).not.toMatch(new RegExp(`127\\.0\\.0\\.1:${a.imPort} stopped`));
  });

  test('a target that dies after the measured time is found by the final probe: exit 4', async () => {
    const server = await reference();
    const frozen = keep(await startFreezingProxy({ host: '127.0.0.1', port: server.imPort }));
    // Frozen in the grace window: no request of the run is waiting then (heartbeats every 10 s).
    const run = await load(['--target', `127.0.0.1:${frozen.port}`, '--users', '5', '--duration', '2s', '--grace', '3s', '--timeout', '1s',
      '--chat-rate', '0', '--status-rate', '0', '--seed', 'late-death'],
    async () => {
      await new Promise((r) => setTimeout(r, 3500));
      frozen.freeze();
    });
    expect(run.code, run.stdout).toBe(4);
    expect(run.result.reasons.join()).toMatch(/after the measured time \(final probe\)/);
  });
});

describe('thresholds that cannot hold on nothing', () => {
  test("chat.lost==0 with no chat sent fails: 'nothing was measured'", async () => {
    const server = await reference();
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '4', '--duration', '1s', '--chat-rate', '0', '--grace', '300ms',
      '--threshold', 'chat.lost==0', '--seed', 'nothing']);
    expectExit(run, 99);
    expect(run.result.thresholds).toContainEqual(expect.objectContaining({ threshold: 'chat.lost==0', passed: false, note: 'nothing was measured for chat.e2e or chat.offline.e2e' }));
    expect(run.result.thresholds[0]).toMatchObject({ threshold: 'errors==0', isDefault: true, passed: true });
  });

  test('--no-default-thresholds drops errors==0; a threshold on errors replaces it', async () => {
    // Port 1 refuses: the run never starts, but the result still lists the thresholds it was judged by.
    const judgedBy = async (args: string[]): Promise<string[]> =>
      (await load(['--target', '127.0.0.1:1', ...args])).result.thresholds.map((t) => `${t.threshold}${t.isDefault ? ' (default)' : ''}`);
    expect(await judgedBy([])).toEqual(['errors==0 (default)']);
    expect(await judgedBy(['--no-default-thresholds'])).toEqual([]);
    expect(await judgedBy(['--threshold', 'errors.ratio<0.01'])).toEqual(['errors.ratio<0.01']);
    expect(await judgedBy(['--threshold', 'login.p99<1s'])).toEqual(['errors==0 (default)', 'login.p99<1s']);
  });
});

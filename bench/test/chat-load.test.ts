// The CHAT/1.0 user scenario (`load --protocol chat`) against the real reference server, run through
// the real CLI as a child process: small runs whose delivery accounting is exact, thresholds on its
// metrics, and a target that goes away mid-run. Nothing here asserts on wall-clock speed.
import { describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { initHistograms } from '../../reports/schema/histogram.js';
import { expectExit, histogramCount, load, type LoadRun } from '../../test-support/cli-run.js';
import { keeper } from '../../test-support/cleanup.js';

// The tests run concurrently, each against a server of its own (closed when it ends, unless the test
// closed it itself): they mostly wait on the generator's timers, and none shares anything with another.

type Run = LoadRun;

/** `talkbench load --protocol chat ARGS --out FILE --quiet`; `during` runs meanwhile, told whether the run still is. */
const loadChat = (args: readonly string[], during?: (running: () => boolean) => Promise<void>): Promise<Run> =>
  load(['--protocol', 'chat', ...args], during);

const target = (s: TestServer): string[] => ['--target', `127.0.0.1:${s.chatPort}`];

describe('CHAT/1.0 users against the reference server', () => {
  test.concurrent('20 users: every SEND and BROADCAST delivered exactly once, counters and histograms agree', async (ctx) => {
    await initHistograms();
    const server = keeper(ctx)(await startTestServer({ logLevel: 'debug' }));
    const run = await loadChat([
      ...target(server), '--users', '20', '--duration', '3s', '--chat-rate', '2', '--broadcast-rate', '1', '--grace', '1s',
      '--workers', '2', '--seed', 'chat-exact', '--threshold', 'send.lost==0', '--threshold', 'send.e2e.p99<60s',
    ]);
    expectExit(run, 0);
    const { result } = run;
    expect(result.thresholds.map((t) => t.passed)).toEqual([true, true, true]);
    const { ops, delivery } = result;
    expect(ops.connect?.ok).toBe(20);
    expect(ops.login?.ok).toBe(20);
    expect(ops.login?.sent).toBe(20);

    const send = ops['send.e2e']!;
    // 20 users at 2/s for 3 s: about 120; far fewer means users never became ready.
    expect(send.sent).toBeGreaterThan(60);
    expect(delivery.send).toEqual({ delivered: send.sent, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 });
    expect(send.ok).toBe(delivery.send!.delivered);

    // Each broadcast is expected once at every other ready member: about 60 broadcasts x 4.
    const broadcast = ops['broadcast.e2e']!;
    expect(broadcast.sent).toBeGreaterThan(120);
    expect(delivery.broadcast).toEqual({ delivered: broadcast.sent, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 });
    expect(broadcast.ok).toBe(delivery.broadcast!.delivered);

    for (const [name, op] of Object.entries(ops)) {
      expect(op.failed, `${name} failed`).toBe(0);
      expect(op.timeouts, `${name} timeouts`).toBe(0);
      expect(histogramCount(op.corrected), `${name} corrected histogram`).toBe(op.ok);
      expect(histogramCount(op.uncorrected), `${name} uncorrected histogram`).toBe(op.ok);
    }
    expect(result.disconnects).toEqual({});
    expect(result.metrics['broadcast.lost']).toBe(0);

    // The server saw only well-formed, logged-in lines to users who were there, every member's LEAVE
    // of a group it was in, and every user's LOGOUT.
    const logs = server.logs.join('\n');
    expect(logs).not.toMatch(/discarded|dropped|not a member/);
    expect(server.logs.filter((l) => /closing: \S+ logged out/.test(l))).toHaveLength(20);
  });

  test.concurrent('a crossed threshold on a CHAT/1.0 metric exits 99', async (ctx) => {
    const server = keeper(ctx)(await startTestServer({ logLevel: 'warn' }));
    const run = await loadChat([
      ...target(server), '--users', '10', '--duration', '1s', '--chat-rate', '2', '--broadcast-rate', '2', '--grace', '500ms', '--seed', 'chat-th',
      '--threshold', 'send.e2e.ok>1000000', '--threshold', 'broadcast.lost==0',
    ]);
    expectExit(run, 99);
    const { result } = run;
    expect(result.thresholds[1]).toMatchObject({ threshold: 'send.e2e.ok>1000000', actual: result.ops['send.e2e']!.ok, passed: false });
    expect(result.thresholds[2]).toMatchObject({ actual: 0, passed: true });
  });

  test.concurrent('a target that goes away mid-run is reported (exit 4), not hung on', async () => {
    const chatServer = await startTestServer({ logLevel: 'info' });
    let closed = false;
    try {
      const { code, result, stdout, stderr } = await loadChat(
        [...target(chatServer), '--users', '10', '--duration', '60s', '--chat-rate', '1', '--timeout', '1s', '--seed', 'chat-gone'],
        async (loading) => {
          // Every user logged in, and the run in its steady state (or over already: the checks below say why).
          const deadline = Date.now() + 15_000;
          while (loading() && Date.now() < deadline && chatServer.logs.filter((l) => /logged in as/.test(l)).length < 10) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, 500));
          closed = true;
          await chatServer.close();
        },
      );
      expect(code, `${stdout}\n${stderr}`).toBe(4);
      expect(result.status).toBe('target-failed');
      expect(result.reasons.join()).toMatch(/every connection to 127\.0\.0\.1:\d+ lost/);
      expect(result.ops.login?.ok).toBe(10);
      expect(result.measuredMs).toBeLessThan(60_000);
    } finally {
      if (!closed) await chatServer.close();
    }
  });
});

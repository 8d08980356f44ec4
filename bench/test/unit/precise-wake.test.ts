// PreciseWake keeps its promises without spinning: a sleep never ends before its due time (by the
// clock every thread shares), wakeNow() ends it at once, and the thread posts about one wake per
// sleep: a thread and a socket thread disagreeing about the time would ping-pong instead (they did,
// with a clock shifted by half a millisecond in a fresh process; that clock is tested where the bug
// shows, in util/test/clock.test.ts). Counts and orderings only, never how long anything took.
import { describe, expect, test } from 'vitest';
import { PreciseWake } from '../../engine/precise-wake.js';
import { monoMs } from '../../../util/clock.js';

describe('PreciseWake', () => {
  test('200 sleeps a fraction of a millisecond apart: none ends early, and the thread posts about once per sleep', async () => {
    const wake = new PreciseWake();
    let posted = 0;
    (wake as unknown as { port: { on(e: string, f: () => void): void } }).port.on('message', () => { posted++; });
    let early = 0;
    let due = monoMs() + 30;
    for (let i = 0; i < 200; i++) {
      await wake.sleepUntil(due);
      if (monoMs() < due) early++;
      due += 0.3;
      if (due < monoMs()) due = monoMs() + 0.3;
    }
    wake.close();
    expect(early).toBe(0);
    // A wake for a due time replaced meanwhile may come twice; a ping-pong would be thousands.
    expect(posted).toBeGreaterThanOrEqual(150);
    expect(posted).toBeLessThanOrEqual(220);
  });

  test('on Linux the thread runs on the timer slack asked for (read back from /proc), and says so', async () => {
    const wake = new PreciseWake();
    for (let i = 0; i < 200 && wake.slack === 'pending'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(wake.slack).toBe(process.platform === 'linux' ? 'set' : 'unavailable');
    wake.close();
    const kernelDefault = new PreciseWake({ slackNs: null });
    await kernelDefault.sleepUntil(monoMs() + 20);
    expect(kernelDefault.slack).toBe('kernel');
    kernelDefault.close();
  });

  test('wakeNow() ends a long sleep at once; sleeps after it still work; close() ends the thread', async () => {
    const wake = new PreciseWake();
    const long = wake.sleepUntil(monoMs() + 60_000);
    let ended = false;
    void long.then(() => { ended = true; });
    wake.wakeNow();
    await long;
    expect(ended).toBe(true);
    const due = monoMs() + 1;
    await wake.sleepUntil(due);
    expect(monoMs()).toBeGreaterThanOrEqual(due);
    wake.close();
    await new Promise((r) => setTimeout(r, 50));
    expect((wake as unknown as { thread: { threadId: number } }).thread.threadId).toBe(-1);
  });
});

// PreciseWake keeps its promises without spinning: a sleep never ends before its due time (by the
// clock every thread shares), wakeNow() ends it at once, and the thread posts about one wake per
// sleep: a thread and a socket thread disagreeing about the time would ping-pong instead (they did,
// with a clock shifted by half a millisecond in a fresh process; that clock is tested where the bug
// shows, in util/test/clock.test.ts). Counts and orderings only, never how long anything took.
import fc from 'fast-check';
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
    // A wake for a due time replaced meanwhile may come twice (more often on a loaded machine, as the
    // full suite is); a ping-pong would be thousands.
    expect(posted).toBeGreaterThanOrEqual(150);
    expect(posted).toBeLessThanOrEqual(400);
  });

  test('told the due time after each, the thread serves 100 sleeps unasked: none ends early, one wake each, and it is seldom told', async () => {
    const wake = new PreciseWake();
    let posted = 0;
    (wake as unknown as { port: { on(e: string, f: () => void): void } }).port.on('message', () => { posted++; });
    // Telling the thread of a new due time is an Atomics.notify: counted.
    let told = 0;
    const notify = Atomics.notify;
    Atomics.notify = ((array: Int32Array, index: number, count?: number) => { told++; return notify(array, index, count); }) as typeof Atomics.notify;
    const start = monoMs() + 30;
    let early = 0;
    try {
      // 4 ms apart, so that even a loaded machine (the full suite) seldom keeps this thread so long.
      for (let i = 0; i < 100; i++) {
        const due = start + i * 4;
        await wake.sleepUntil(due, start + (i + 1) * 4);
        if (monoMs() < due) early++;
      }
    } finally {
      Atomics.notify = notify;
    }
    wake.close();
    expect(early).toBe(0);
    expect(posted).toBeGreaterThanOrEqual(75);
    expect(posted).toBeLessThanOrEqual(200);
    // Told again only when this thread fell a sleep behind the thread (which then serves a due time
    // before it is slept for, and waits to be told) or the lead changed much; told every time: 100.
    expect(told).toBeLessThan(50);
  });

  // Liveness, the one property a lost wake-up breaks (a run at 50,000/s hung on one): whatever the
  // sleeps, their next due times (right, wrong or none) and wake-ups from outside, every sleep ends, and
  // none before its time. 2 s is a hang detector, not a speed claim: the sleeps are under a millisecond.
  test('every sleep ends, never early, whatever the due times, the next ones told and the wakeNow() calls', async () => {
    const step = fc.record({
      inMs: fc.double({ min: -0.05, max: 0.4, noNaN: true }),
      then: fc.constantFrom('right', 'wrong', 'none'),
      spacingMs: fc.double({ min: 0, max: 0.3, noNaN: true }),
      interrupt: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
      const wake = new PreciseWake();
      try {
        let next: number | null = null;
        // An interrupt may land in a later sleep than the one that set it: counted, not flagged.
        let interrupts = 0;
        for (const s of steps) {
          const at: number = next ?? monoMs() + s.inMs;
          const then: number = s.then === 'right' ? at + s.spacingMs : s.then === 'wrong' ? at + s.spacingMs * 3 + 0.05 : Infinity;
          next = s.then === 'right' ? then : null;
          const before = interrupts;
          if (s.interrupt) setImmediate(() => { interrupts++; wake.wakeNow(); });
          let hung: NodeJS.Timeout | undefined;
          const ended = await Promise.race([
            wake.sleepUntil(at, then).then(() => true),
            new Promise<false>((r) => { hung = setTimeout(() => r(false), 2000); }),
          ]);
          clearTimeout(hung);
          if (!ended) throw new Error(`a sleep never ended (due in ${s.inMs} ms, next ${s.then})`);
          if (interrupts === before && monoMs() < at) throw new Error('a sleep ended early');
        }
      } finally {
        wake.close();
      }
    }), { numRuns: 40, endOnFailure: true });
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

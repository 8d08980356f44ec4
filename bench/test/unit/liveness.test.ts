// A target is gone when every connection to it is lost, or when nothing came back from it for a whole
// timeout after something was asked of it; each target on its own.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Liveness } from '../../engine/liveness.js';
import { initHistograms } from '../../../reports/schema/histogram.js';
import { Recorder } from '../../metrics/recorder.js';
import type { ScenarioContext } from '../../engine/scenario-context.js';

beforeAll(async () => {
  await initHistograms();
});

const A = 0;
const B = 1;

function setup(timeoutMs = 5000) {
  const failures: string[] = [];
  const recorder = new Recorder();
  const ctx = {
    task: { targets: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }] },
    recorder,
    failTarget(reason: string) { failures.push(reason); },
  };
  const liveness = new Liveness(ctx as unknown as ScenarioContext, timeoutMs);
  return { liveness, failures, recorder, disconnects: () => recorder.snapshot().disconnects };
}

describe('Liveness: silence', () => {
  test('b asked and silent while a answers: b is named, after more than the timeout', () => {
    const { liveness, failures, recorder } = setup();
    liveness.asked(B, 1000);
    for (let t = 1000; t <= 6000; t += 500) {
      liveness.asked(A, t);
      liveness.answered(A);
    }
    liveness.check(6000);   // exactly the timeout: not more
    expect(failures).toEqual([]);
    liveness.check(6001);
    expect(failures).toEqual(['b:2 stopped answering: nothing came back for 5001 ms after a request (timeout 5000 ms)']);
    recorder.destroy();
  });

  test('the clock starts at the first thing asked since the last answer', () => {
    const { liveness, failures, recorder } = setup();
    liveness.asked(A, 0);
    liveness.asked(A, 3000);        // still waiting since 0
    liveness.check(5000);
    expect(failures).toEqual([]);
    liveness.check(5001);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^a:1 stopped answering: nothing came back for 5001 ms/);
    recorder.destroy();
  });

  test('an answer resets it', () => {
    const { liveness, failures, recorder } = setup();
    liveness.asked(A, 0);
    liveness.answered(A);
    liveness.check(100_000);
    expect(failures).toEqual([]);
    liveness.asked(A, 4000);
    liveness.answered(A);
    liveness.asked(A, 4500);
    liveness.check(9500);
    expect(failures).toEqual([]);
    liveness.check(9501);
    expect(failures).toEqual(['a:1 stopped answering: nothing came back for 5001 ms after a request (timeout 5000 ms)']);
    recorder.destroy();
  });

  test('an answer from another target does not reset it', () => {
    const { liveness, failures, recorder } = setup(1000);
    liveness.asked(A, 0);
    liveness.answered(B);
    liveness.check(1001);
    expect(failures).toEqual(['a:1 stopped answering: nothing came back for 1001 ms after a request (timeout 1000 ms)']);
    recorder.destroy();
  });

  test('a quiet spell with nothing asked never fails', () => {
    const { liveness, failures, recorder } = setup();
    liveness.opened(A);
    liveness.opened(B);
    liveness.check(0);
    liveness.check(1e9);
    liveness.answered(A);
    liveness.check(2e9);
    expect(failures).toEqual([]);
    recorder.destroy();
  });

  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 20_000 })])(
    'check() fails exactly when more than the timeout has passed since the ask',
    (timeoutMs, askedMs, waitedMs) => {
      const { liveness, failures, recorder } = setup(timeoutMs);
      liveness.asked(B, askedMs);
      liveness.check(askedMs + waitedMs);
      expect(failures).toEqual(waitedMs > timeoutMs ? [`b:2 stopped answering: nothing came back for ${waitedMs} ms after a request (timeout ${timeoutMs} ms)`] : []);
      recorder.destroy();
    },
  );
});

describe('Liveness: lost connections', () => {
  test('every connection to a lost: a is named when the last goes; each loss is a disconnect', () => {
    const { liveness, failures, disconnects, recorder } = setup();
    liveness.opened(A);
    liveness.opened(A);
    liveness.opened(B);
    liveness.closed(A, 'ECONNRESET', false);
    expect(failures).toEqual([]);
    liveness.closed(A, 'connection lost', false);
    expect(failures).toEqual(['every connection to a:1 lost (last: connection lost)']);
    expect(disconnects()).toEqual({ ECONNRESET: 1, 'connection lost': 1 });
    recorder.destroy();
  });

  test('expected closes never fail and are no disconnects', () => {
    const { liveness, failures, disconnects, recorder } = setup();
    liveness.opened(A);
    liveness.opened(B);
    liveness.opened(B);
    liveness.closed(A, 'closed by the generator', true);
    liveness.closed(B, 'closed by the server', true);   // after our logout
    liveness.closed(B, 'closed by the generator', true);
    expect(failures).toEqual([]);
    expect(disconnects()).toEqual({});
    recorder.destroy();
  });

  test('the last connection lost unexpectedly after others ended as expected: the target is named', () => {
    const { liveness, failures, disconnects, recorder } = setup();
    liveness.opened(B);
    liveness.opened(B);
    liveness.closed(B, 'closed by the generator', true);
    liveness.closed(B, 'ECONNRESET', false);
    expect(failures).toEqual(['every connection to b:2 lost (last: ECONNRESET)']);
    expect(disconnects()).toEqual({ ECONNRESET: 1 });
    recorder.destroy();
  });

  test('a lost connection while others stay open is only a disconnect', () => {
    const { liveness, failures, disconnects, recorder } = setup();
    liveness.opened(A);
    liveness.opened(A);
    liveness.opened(B);
    liveness.closed(A, 'ECONNRESET', false);
    liveness.closed(B, 'closed by the generator', true);
    expect(failures).toEqual([]);
    expect(disconnects()).toEqual({ ECONNRESET: 1 });
    recorder.destroy();
  });
});

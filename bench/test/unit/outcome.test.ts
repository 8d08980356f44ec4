// A run's status and exit code [D-EXIT]: the overload verdict [D-OVERLOAD], the precedence of exit
// codes, and the final probe's late target failure [D-VERDICT].
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DEFAULTS, type LoadConfig } from '../../config/load-config.js';
import type { ThresholdOutcome } from '../../metrics/thresholds.js';
import { decideOutcome, failureReason, FAILURE_EXIT, judge, overloadFailures, withFailures, withLateTargetFailure, type RunFacts } from '../../run/outcome.js';
import { FAILURE_CODES, type Failure, type RunStatus, type WorkerHealth } from '../../../reports/schema/load-result.js';
import { EXIT, worstExit, type ExitCode } from '../../../util/exit-codes.js';

type OverloadConfig = Pick<LoadConfig, 'scenario' | 'inflight' | 'overload'>;

const usersConfig = (overload: Partial<LoadConfig['overload']> = {}): OverloadConfig => ({ scenario: 'users', inflight: null, overload: { ...DEFAULTS.overload, ...overload } });
const config = (c: OverloadConfig = usersConfig()): LoadConfig => c as unknown as LoadConfig;
/** The overload verdict in words, as the reasons give it. */
const overloadReasons = (c: OverloadConfig, workers: readonly WorkerHealth[]): string[] => overloadFailures(c, workers).map((f) => f.message);

function worker(worker: number, actionsScheduled: number, lateStarts: number, eventLoopP99 = 1): WorkerHealth {
  return { worker, eventLoopDelay: { p50: 0.5, p99: eventLoopP99, max: eventLoopP99 }, utilization: 0.2, actionsScheduled, lateStarts };
}

describe('overloadReasons [D-OVERLOAD]', () => {
  test('the default limits: 50 late actions, over 1%, 10 ms late, event-loop p99 50 ms', () => {
    expect(DEFAULTS.overload).toEqual({ lateStartMs: 10, lateShare: 0.01, minLateActions: 50, eventLoopP99Ms: 50 });
  });

  // Both conditions: late >= 50, and late / all > 1%.
  test.each([
    [1, 69, false],      // 1.45% of all, but one late action is no evidence
    [49, 1000, false],   // 4.9%, still under 50 actions
    [49, 49, false],     // all of them, still under 50
    [50, 4000, true],    // 50 >= 50 and 1.25% > 1%
    [50, 5000, false],   // exactly 1% is not more than 1%
    [51, 5000, true],    // 1.02%
    [50, 5001, false],   // 0.9998%
    [50, 50, true],      // 100%
    [100, 10_000, false], // exactly 1% again
    [101, 10_000, true],
    [0, 0, false],
    [0, 1000, false],
  ])('%s late of %s: overloaded %s', (late, scheduled, overloaded) => {
    expect(late >= 50 && late / scheduled > 0.01).toBe(overloaded);   // the numbers mean what the comments say
    expect(overloadReasons(usersConfig(), [worker(1, scheduled, late)]).length > 0).toBe(overloaded);
  });

  test('the reason names the counts, the share and the limits', () => {
    // 60 of 4000 is 1.5%.
    expect(overloadReasons(usersConfig(), [worker(1, 4000, 60)])).toEqual([
      '60 of 4000 scheduled sends (1.5%) left over 10 ms after their due time (limits: 50 sends and 1.0%)',
    ]);
  });

  test('late actions and all actions are summed over the workers', () => {
    // 25 of 2500 and 25 of 1500: neither worker alone has 50, together 50 of 4000 (1.25%).
    expect(overloadReasons(usersConfig(), [worker(1, 2500, 25), worker(2, 1500, 25)])).toHaveLength(1);
    // 49 + 0 of 1000: under 50 in all.
    expect(overloadReasons(usersConfig(), [worker(1, 500, 49), worker(2, 500, 0)])).toEqual([]);
    // 50 late of 2000 + 3000 = 5000 scheduled: exactly 1%.
    expect(overloadReasons(usersConfig(), [worker(1, 2000, 50), worker(2, 3000, 0)])).toEqual([]);
  });

  test('the limits come from the config', () => {
    expect(overloadReasons(usersConfig({ minLateActions: 1, lateShare: 0 }), [worker(1, 69, 1)])).toHaveLength(1);
    expect(overloadReasons(usersConfig({ minLateActions: 10 }), [worker(1, 100, 10)])).toHaveLength(1);
    expect(overloadReasons(usersConfig({ lateShare: 0.5 }), [worker(1, 100, 50)])).toEqual([]);
    expect(overloadReasons(usersConfig({ eventLoopP99Ms: 200 }), [worker(1, 100, 0, 150)])).toEqual([]);
  });

  test.each([
    [49.9, false],
    [50, false],
    [50.1, true],
    [500, true],
  ])('a worker with event-loop p99 %s ms (limit 50): overloaded %s', (p99, overloaded) => {
    const reasons = overloadReasons(usersConfig(), [worker(1, 1000, 0), worker(2, 1000, 0, p99)]);
    expect(reasons).toEqual(overloaded ? [`worker 2: event-loop delay p99 ${p99} ms over the 50 ms limit`] : []);
  });

  test('every slow worker is named, after the late actions', () => {
    expect(overloadReasons(usersConfig(), [worker(1, 100, 100, 60), worker(2, 100, 0, 10), worker(3, 100, 0, 70)])).toEqual([
      '100 of 300 scheduled sends (33.3%) left over 10 ms after their due time (limits: 50 sends and 1.0%)',
      'worker 1: event-loop delay p99 60 ms over the 50 ms limit',
      'worker 3: event-loop delay p99 70 ms over the 50 ms limit',
    ]);
  });

  test('a closed-model ping run is never overloaded by late starts; an open-model one is', () => {
    const closed: OverloadConfig = { scenario: 'ping', inflight: 4, overload: { ...DEFAULTS.overload } };
    const open: OverloadConfig = { scenario: 'ping', inflight: null, overload: { ...DEFAULTS.overload } };
    expect(overloadReasons(closed, [worker(1, 1000, 1000)])).toEqual([]);
    expect(overloadReasons(open, [worker(1, 1000, 1000)])).toHaveLength(1);
    // --inflight means nothing outside ping: a users run is judged.
    expect(overloadReasons({ scenario: 'users', inflight: 4, overload: { ...DEFAULTS.overload } }, [worker(1, 1000, 1000)])).toHaveLength(1);
  });

  test("a closed-model ping run is overloaded by its event-loop delay like any other [D-OVERLOAD]", () => {
    const closed: OverloadConfig = { scenario: 'ping', inflight: 4, overload: { ...DEFAULTS.overload } };
    expect(overloadReasons(closed, [worker(1, 1000, 0, 500)])).toEqual(['worker 1: event-loop delay p99 500 ms over the 50 ms limit']);
  });

  test.prop([fc.array(fc.record({ scheduled: fc.nat(3000), late: fc.nat(100) }), { minLength: 1, maxLength: 4 })])(
    'late starts overload exactly when at least 50 of them are over 1% of all',
    (parts) => {
      const workers = parts.map((p, i) => worker(i + 1, Math.max(p.scheduled, p.late), p.late));
      const scheduled = workers.reduce((n, w) => n + w.actionsScheduled, 0);
      const late = workers.reduce((n, w) => n + w.lateStarts, 0);
      // late * 100 > scheduled: more than 1%, in integers.
      expect(overloadReasons(usersConfig(), workers).length).toBe(late >= 50 && late * 100 > scheduled ? 1 : 0);
    },
  );
});

describe('worstExit [D-EXIT]', () => {
  const ORDER: ExitCode[] = [70, 2, 130, 3, 4, 5, 99, 1, 6];

  test('the codes', () => {
    expect(EXIT).toEqual({ ok: 0, checkFailed: 1, usage: 2, unreachable: 3, targetFailed: 4, overloaded: 5, regression: 6, internal: 70, thresholdCrossed: 99, interrupted: 130 });
  });

  test.each([
    [[], 0],
    [[0], 0],
    [[6, 1], 1],
    [[1, 99], 99],
    [[99, 5], 5],
    [[5, 4], 4],
    [[4, 3], 3],
    [[3, 130], 130],
    [[130, 2], 2],
    [[2, 70], 70],
    [[6, 1, 99, 5, 4, 3, 130, 2], 2],
    [[0, 6, 0], 6],
    [[99, 99], 99],
  ] as const)('%j: %s', (codes, expected) => {
    expect(worstExit(codes as readonly ExitCode[])).toBe(expected);
  });

  test.prop([fc.shuffledSubarray(ORDER), fc.nat(3)])('the earliest of 70, 2, 130, 3, 4, 5, 99, 1, 6 wins, in any order', (given, zeros) => {
    const expected = ORDER.find((code) => given.includes(code)) ?? 0;
    expect(worstExit([...given, ...Array<ExitCode>(zeros).fill(EXIT.ok)])).toBe(expected);
  });
});

describe('decideOutcome', () => {
  const failed: ThresholdOutcome = { threshold: 'errors==0', metric: 'errors', actual: 3, passed: false, isDefault: true };
  const unmeasured: ThresholdOutcome = { threshold: 'chat.lost==0', metric: 'chat.lost', actual: null, passed: false, note: 'nothing was measured for chat.e2e or chat.offline.e2e' };
  const held: ThresholdOutcome = { threshold: 'login.p99<1s', metric: 'login.p99', actual: 4, passed: true };
  const calm = [worker(1, 1000, 0)];
  const overloaded = [worker(1, 1000, 1000)];
  const interrupted: Failure = { code: 'interrupted', message: 'interrupted by a signal' };
  const unreachable: Failure = { code: 'unreachable', target: 'a:1', message: 'nothing could connect to a:1' };
  const midRun = (message: string, target?: string): Failure => ({ code: 'target-failed-mid-run', ...(target ? { target } : {}), message });

  const facts = (f: Partial<RunFacts>): RunFacts => ({ started: true, failures: [], workers: calm, thresholds: [held], ...f });

  test.each([
    ['nothing wrong', {}, 0, 'passed'],
    ['a threshold crossed', { thresholds: [held, failed] }, 99, 'thresholds-crossed'],
    ['a threshold on nothing measured', { thresholds: [unmeasured] }, 99, 'thresholds-crossed'],
    ['overloaded', { workers: overloaded }, 5, 'overloaded'],
    ['overloaded and a threshold crossed', { workers: overloaded, thresholds: [failed] }, 5, 'overloaded'],
    ['the target failed', { failures: [midRun('every connection lost')] }, 4, 'target-failed'],
    ['the target failed, overloaded, a threshold crossed', { failures: [midRun('x')], workers: overloaded, thresholds: [failed] }, 4, 'target-failed'],
    ['unreachable', { started: false, failures: [unreachable] }, 3, 'unreachable'],
    ['unreachable and the target failed', { started: false, failures: [unreachable, midRun('x')] }, 3, 'unreachable'],
    ['interrupted', { failures: [interrupted] }, 130, 'interrupted'],
    ['interrupted and everything else', { failures: [midRun('x'), unreachable, interrupted], workers: overloaded, thresholds: [failed] }, 130, 'interrupted'],
    ['interrupted and a threshold crossed', { failures: [interrupted], thresholds: [failed] }, 130, 'interrupted'],
  ] as const)('%s: exit %s, %s', (_what, f, exitCode, status) => {
    const out = decideOutcome(config(), facts(f as Partial<RunFacts>));
    expect(out.exitCode).toBe(exitCode);
    expect(out.status).toBe(status);
  });

  test('no failures and no reasons when it passed', () => {
    expect(decideOutcome(config(), facts({}))).toEqual({ status: 'passed', exitCode: 0, failures: [], reasons: [] });
  });

  test('the failures name everything that went wrong as data, the server’s errors beside the overload verdict; the reasons say it in words', () => {
    const out = decideOutcome(config(), facts({ failures: [midRun('b:2 stopped answering', 'b:2')], workers: [worker(1, 1000, 1000), worker(2, 10, 0, 70)], thresholds: [held, failed, unmeasured] }));
    expect(out.failures).toEqual([
      { code: 'target-failed-mid-run', target: 'b:2', message: 'b:2 stopped answering' },
      { code: 'overloaded', message: '1000 of 1010 scheduled sends (99.0%) left over 10 ms after their due time (limits: 50 sends and 1.0%)' },
      { code: 'overloaded', worker: 2, message: 'worker 2: event-loop delay p99 70 ms over the 50 ms limit' },
      { code: 'threshold-crossed', threshold: 'errors==0', message: 'errors==0 (measured 3)' },
      { code: 'threshold-crossed', threshold: 'chat.lost==0', message: 'chat.lost==0 (nothing was measured for chat.e2e or chat.offline.e2e)' },
    ]);
    expect(out.reasons).toEqual([
      'the target failed mid-run: b:2 stopped answering',
      'generator overloaded: 1000 of 1010 scheduled sends (99.0%) left over 10 ms after their due time (limits: 50 sends and 1.0%)',
      'generator overloaded: worker 2: event-loop delay p99 70 ms over the 50 ms limit',
      'threshold crossed: errors==0 (measured 3)',
      'threshold crossed: chat.lost==0 (nothing was measured for chat.e2e or chat.offline.e2e)',
    ]);
  });

  test('a run that never started: its thresholds are left out of the verdict and the failures', () => {
    const out = decideOutcome(config(), facts({ started: false, failures: [unreachable], thresholds: [failed, unmeasured] }));
    expect(out).toEqual({ status: 'unreachable', exitCode: 3, failures: [unreachable], reasons: ['nothing could connect to a:1'] });
    const stopped = decideOutcome(config(), facts({ started: false, failures: [unreachable, interrupted] }));
    expect(stopped.reasons).toEqual(['interrupted by a signal', 'nothing could connect to a:1']);
  });

  test('a closed-model ping run with every action late is not overloaded', () => {
    const closed = config({ scenario: 'ping', inflight: 2, overload: { ...DEFAULTS.overload } });
    expect(decideOutcome(closed, facts({ workers: overloaded }))).toEqual({ status: 'passed', exitCode: 0, failures: [], reasons: [] });
  });
});

describe('judge: failures to status, exit code and reasons', () => {
  const arbFailure: fc.Arbitrary<Failure> = fc.record({
    code: fc.constantFrom(...FAILURE_CODES),
    message: fc.constantFrom('m1', 'm2'),
    target: fc.option(fc.constantFrom('a:1', 'b:2'), { nil: undefined }),
    shard: fc.option(fc.constantFrom('1/2', '2/2'), { nil: undefined }),
  }, { requiredKeys: ['code', 'message'] });

  test.prop([fc.array(arbFailure, { maxLength: 8 })])('the exit code is the first of the failures\' codes in [D-EXIT] order, each failure once, in that order', (failures) => {
    const out = judge(failures);
    expect(out.exitCode).toBe(worstExit(failures.map((f) => FAILURE_EXIT[f.code])));
    expect(out.failures.map((f) => FAILURE_CODES.indexOf(f.code))).toEqual(out.failures.map((f) => FAILURE_CODES.indexOf(f.code)).sort((a, b) => a - b));
    expect(new Set(out.failures.map((f) => JSON.stringify(f))).size).toBe(out.failures.length);
    expect(new Set(out.failures.map((f) => JSON.stringify(f)))).toEqual(new Set(failures.map((f) => JSON.stringify(f))));
    expect(out.reasons).toEqual(out.failures.map(failureReason));
    // Judging again changes nothing.
    expect(judge(out.failures)).toEqual(out);
  });

  test('a failure of a merge names its shard in words', () => {
    expect(failureReason({ code: 'target-failed-late', shard: '2/3', target: 'a:1', message: 'no answer from a:1' }))
      .toBe('the target failed after the measured time (final probe): shard 2/3: no answer from a:1');
  });
});

describe('withLateTargetFailure', () => {
  const result = (exitCode: number, status: RunStatus, failures: Failure[] = []) => ({ ...judge(failures), exitCode, status, extra: 'kept' });
  const late: Failure = { code: 'target-failed-late', target: 'a:1', message: 'no answer from a:1' };
  const note = 'the target failed after the measured time (final probe): no answer from a:1';
  const crossed: Failure = { code: 'threshold-crossed', threshold: 'errors==0', message: 'errors==0 (measured 1)' };

  test.each([
    [[], 0, 'passed', 4, 'target-failed'],
    [[crossed], 99, 'thresholds-crossed', 4, 'target-failed'],
    [[{ code: 'overloaded', message: 'late' }], 5, 'overloaded', 4, 'target-failed'],
    [[{ code: 'target-failed-mid-run', message: 'x' }], 4, 'target-failed', 4, 'target-failed'],
    [[{ code: 'unreachable', message: 'u' }], 3, 'unreachable', 3, 'unreachable'],
    [[{ code: 'interrupted', message: 'i' }], 130, 'interrupted', 130, 'interrupted'],
  ] as const)('%j (exit %s, %s) becomes exit %s (%s)', (failures, exitCode, status, expectedCode, expectedStatus) => {
    const before = result(exitCode, status, [...failures]);
    expect(before.exitCode).toBe(judge([...failures]).exitCode);   // the table is consistent
    const out = withLateTargetFailure(before, [{ target: 'a:1', message: 'no answer from a:1' }]);
    expect(out).toMatchObject({ exitCode: expectedCode, status: expectedStatus, extra: 'kept' });
    expect(out.failures).toContainEqual(late);
    expect(out.reasons).toContain(note);
  });

  test('the given result is not changed', () => {
    const given = result(0, 'passed');
    withLateTargetFailure(given, [{ target: 'a:1', message: 'x' }]);
    expect(given).toEqual({ exitCode: 0, status: 'passed', failures: [], reasons: [], extra: 'kept' });
  });

  test('what decideOutcome passed, the final probe turns into exit 4, one failure per target', () => {
    const passed = decideOutcome(config(), { started: true, failures: [], workers: [worker(1, 10, 0)], thresholds: [] });
    const out = withLateTargetFailure(passed, [{ target: 'a:1', message: 'no answer from a:1' }, { target: 'b:2', message: 'b:2 refused' }]);
    expect(out).toEqual({
      status: 'target-failed', exitCode: 4,
      failures: [late, { code: 'target-failed-late', target: 'b:2', message: 'b:2 refused' }],
      reasons: [note, 'the target failed after the measured time (final probe): b:2 refused'],
    });
  });

  test('withFailures: a missing part after an interrupt makes any result interrupted (130), its other failures kept', () => {
    const crossedRun = decideOutcome(config(), { started: true, failures: [], workers: [worker(1, 10, 0)], thresholds: [{ threshold: 'errors==0', metric: 'errors', actual: 1, passed: false }] });
    const out = withFailures(crossedRun, [{ code: 'interrupted', message: 'interrupted by a signal' }, { code: 'part-missing', message: 'process 2 missing' }]);
    expect(out.exitCode).toBe(130);
    expect(out.reasons).toEqual(['interrupted by a signal', 'process 2 missing', 'threshold crossed: errors==0 (measured 1)']);
  });
});

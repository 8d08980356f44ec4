// Merging what several recorders measured: counters, tallies and bytes summed, spans as min/max,
// a few failure samples, histograms added; the same as one recorder that saw everything.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decodeHistogram, initHistograms, summarize } from '../../../reports/schema/histogram.js';
import type { LatencyOp } from '../../../reports/schema/metric-names.js';
import { FAILURE_SAMPLES, Recorder, type RecorderSnapshot } from '../../metrics/recorder.js';
import { combineSnapshots, combineTimeSeries } from '../../run/combine.js';
import type { SecondSample } from '../../../reports/schema/load-result.js';

beforeAll(async () => {
  await initHistograms();
});

function summary(encoded: string) {
  const h = decodeHistogram(encoded);
  const s = summarize(h);
  h.destroy();
  return s;
}

function snapshotOf(feed: (r: Recorder) => void): RecorderSnapshot {
  const r = new Recorder();
  feed(r);
  const s = r.snapshot();
  r.destroy();
  return s;
}

describe('combineSnapshots', () => {
  test('counters, failures by reason, deliveries, tallies and bytes add up; ops of one part only are kept', () => {
    const a = snapshotOf((r) => {
      r.sent('login', 0, 10);
      for (let i = 0; i < 6; i++) r.latency('login', 1, 1);
      r.failed('login', 'WrongPassword', 'a');
      r.failed('login', 'WrongPassword', 'b');
      r.count('login', 'timeouts', 2);
      r.count('login', 'unanswered', 1);
      r.deliveryCount('chat', 'delivered', 3);
      r.deliveryCount('chat', 'lost', 1);
      r.disconnected('ECONNRESET');
      r.unexpectedFrame(99);
      r.notice(14);
      r.badLine('too long');
      r.userFailed('login failed');
      r.downloaded(100);
    });
    const b = snapshotOf((r) => {
      r.sent('login', 0, 5);
      for (let i = 0; i < 4; i++) r.latency('login', 2, 2);
      r.failed('login', 'WrongPassword', 'b');
      r.failed('login', 'WrongPassword', 'c');
      r.failed('login', 'WrongPassword', 'd');
      r.failed('login', 'UserNotExists', 'x');
      r.sent('heartbeat', 0, 7);
      r.deliveryCount('chat', 'duplicated', 2);
      r.deliveryCount('file', 'corrupted', 1);
      r.disconnected('ECONNRESET');
      r.disconnected('connection lost');
      r.unexpectedFrame(99);
      r.unexpectedFrame(7);
      r.notice(8);
      r.badLine('too long');
      r.downloaded(23);
    });
    const c = combineSnapshots([a, b]);
    expect(Object.keys(c.ops)).toEqual(['heartbeat', 'login']);
    expect(c.ops.login).toMatchObject({
      sent: 15, ok: 10, failed: 6, timeouts: 2, unanswered: 1,
      failedBy: { WrongPassword: 5, UserNotExists: 1 },
      failureSamples: { WrongPassword: ['a', 'b', 'c'], UserNotExists: ['x'] },
      span: null,
    });
    expect(c.ops.heartbeat).toMatchObject({ sent: 7, ok: 0, failed: 0, timeouts: 0, unanswered: 0, failedBy: {}, failureSamples: {}, span: null });
    expect(c.delivery).toEqual({
      chat: { delivered: 3, lost: 1, duplicated: 2, reordered: 0, corrupted: 0 },
      file: { delivered: 0, lost: 0, duplicated: 0, reordered: 0, corrupted: 1 },
    });
    expect(c.disconnects).toEqual({ ECONNRESET: 2, 'connection lost': 1 });
    expect(c.unexpectedFrames).toEqual({ '99': 2, '7': 1 });
    expect(c.notices).toEqual({ '14': 1, '8': 1 });
    expect(c.badLines).toEqual({ 'too long': 2 });
    expect(c.usersFailed).toEqual({ 'login failed': 1 });
    expect(c.downloadBytes).toBe(123);
    const login = summary(c.ops.login!.corrected);
    expect(login.count).toBe(10);
    expect(login.max).toBe(2);
    expect(login.p50).toBe(1);
    expect(login.mean).toBe(1.4);
    expect(summary(c.ops.login!.uncorrected).count).toBe(10);
    expect(summary(c.ops.heartbeat!.corrected).count).toBe(0);
  });

  test.each([
    [[null, null], null],
    [[{ firstMs: 5, lastMs: 9 }, null], { firstMs: 5, lastMs: 9 }],
    [[null, { firstMs: 5, lastMs: 9 }], { firstMs: 5, lastMs: 9 }],
    [[{ firstMs: 5, lastMs: 9 }, { firstMs: 2, lastMs: 7 }], { firstMs: 2, lastMs: 9 }],
    [[{ firstMs: 5, lastMs: 9 }, { firstMs: 6, lastMs: 12 }, { firstMs: 1, lastMs: 3 }], { firstMs: 1, lastMs: 12 }],
  ] as const)('spans %j combine to %j', (spans, expected) => {
    const parts = spans.map((span) => snapshotOf((r) => {
      r.sent('login', 0);
      if (span) {
        r.latency('login', 1, 0, span.firstMs);   // a request that took no time at firstMs...
        r.latency('login', 1, 0, span.lastMs);    // ...and one at lastMs
      }
    }));
    for (const [i, span] of spans.entries()) expect(parts[i]!.ops.login!.span).toEqual(span);
    expect(combineSnapshots(parts).ops.login!.span).toEqual(expected);
  });

  test('no parts: nothing', () => {
    expect(combineSnapshots([])).toEqual({ ops: {}, delivery: {}, disconnects: {}, unexpectedFrames: {}, notices: {}, badLines: {}, usersFailed: {}, downloadBytes: 0 });
  });

  type Event =
    | { kind: 'count'; op: LatencyOp; counter: 'sent' | 'timeouts' | 'unanswered'; n: number }
    | { kind: 'failed'; op: LatencyOp; reason: string; message: string }
    | { kind: 'latency'; op: LatencyOp; micros: number; atMs: number | undefined }
    | { kind: 'tally'; which: 'disconnected' | 'unexpectedFrame' | 'notice' | 'badLine' | 'userFailed'; key: number }
    | { kind: 'delivery'; counter: 'delivered' | 'lost' | 'duplicated' | 'reordered' | 'corrupted'; n: number }
    | { kind: 'downloaded'; bytes: number };

  const arbOp = fc.constantFrom<LatencyOp>('login', 'heartbeat', 'chat.e2e');
  const arbEvent: fc.Arbitrary<Event> = fc.oneof(
    fc.record({ kind: fc.constant('count' as const), op: arbOp, counter: fc.constantFrom('sent' as const, 'timeouts' as const, 'unanswered' as const), n: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('failed' as const), op: arbOp, reason: fc.constantFrom('A', 'B'), message: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5') }),
    fc.record({ kind: fc.constant('latency' as const), op: arbOp, micros: fc.integer({ min: 1, max: 2000 }), atMs: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }) }),
    fc.record({ kind: fc.constant('tally' as const), which: fc.constantFrom('disconnected' as const, 'unexpectedFrame' as const, 'notice' as const, 'badLine' as const, 'userFailed' as const), key: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('delivery' as const), counter: fc.constantFrom('delivered' as const, 'lost' as const, 'duplicated' as const, 'reordered' as const, 'corrupted' as const), n: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('downloaded' as const), bytes: fc.nat(10_000) }),
  );

  function apply(r: Recorder, e: Event): void {
    switch (e.kind) {
      case 'count': (e.counter === 'sent' ? r.sent(e.op, e.n / 10, e.n) : r.count(e.op, e.counter, e.n)); break;
      case 'failed': r.failed(e.op, e.reason, e.message); break;
      case 'latency': r.latency(e.op, e.micros / 1000, e.micros / 2000, e.atMs); break;
      case 'tally':
        if (e.which === 'unexpectedFrame' || e.which === 'notice') r[e.which](e.key);
        else r[e.which](`k${e.key}`);
        break;
      case 'delivery': r.deliveryCount('chat', e.counter, e.n); break;
      case 'downloaded': r.downloaded(e.bytes); break;
    }
  }

  test.prop([fc.array(fc.array(arbEvent, { maxLength: 25 }), { minLength: 1, maxLength: 4 })])(
    'combining the parts is what one recorder fed every part in turn measures',
    (parts) => {
      const snapshots = parts.map((events) => snapshotOf((r) => events.forEach((e) => apply(r, e))));
      const whole = snapshotOf((r) => parts.forEach((events) => events.forEach((e) => apply(r, e))));
      const combined = combineSnapshots(snapshots);
      const { ops: combinedOps, ...combinedRest } = combined;
      const { ops: wholeOps, ...wholeRest } = whole;
      expect(combinedRest).toEqual(wholeRest);
      expect(Object.keys(combinedOps).sort()).toEqual(Object.keys(wholeOps).sort());
      for (const [name, op] of Object.entries(wholeOps)) {
        const { corrected, uncorrected, ...counters } = op;
        const got = combinedOps[name]!;
        expect({ ...got, corrected: undefined, uncorrected: undefined }).toEqual({ ...counters, corrected: undefined, uncorrected: undefined });
        for (const samples of Object.values(got.failureSamples)) expect(samples.length).toBeLessThanOrEqual(FAILURE_SAMPLES);
        expect(summary(got.corrected)).toEqual(summary(corrected));
        expect(summary(got.uncorrected)).toEqual(summary(uncorrected));
        expect(summary(got.corrected).count).toBe(snapshots.reduce((n, s) => n + (s.ops[name] ? summary(s.ops[name].corrected).count : 0), 0));
      }
    },
  );
});

describe('combineTimeSeries', () => {
  const sample = (second: number, phase: SecondSample['phase'], ok: number): SecondSample => {
    const r = new Recorder();
    r.sent('heartbeat', 0, ok);
    for (let i = 0; i < ok; i++) r.latency('heartbeat', 1, 1);
    const ops = r.takeInterval();
    r.destroy();
    return { second, phase, ops };
  };

  test('second k of every part is added into second k, in its phase, every phase kept, sorted', () => {
    const a = [sample(0, 'warmup', 1), sample(1, 'measured', 2), sample(3, 'grace', 4)];
    const b = [sample(1, 'measured', 8), sample(2, 'measured', 16), sample(0, 'warmup', 32)];
    const combined = combineTimeSeries([a, b]);
    expect(combined.map((s) => [s.second, s.phase, s.ops.heartbeat?.ok])).toEqual([[0, 'warmup', 33], [1, 'measured', 10], [2, 'measured', 16], [3, 'grace', 4]]);
    expect(summary(combined[0]!.ops.heartbeat!.histogram).count).toBe(33);
    expect(combineTimeSeries([])).toEqual([]);
  });
});


// The Recorder against a plain tally: counters, failures by reason with a few samples, spans, intervals
// that add up to the snapshot, and the other tallies.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decodeHistogram, initHistograms, summarize } from '../../../reports/schema/histogram.js';
import type { LatencyOp } from '../../../reports/schema/metric-names.js';
import { FAILURE_SAMPLES, Recorder, type IntervalOp } from '../../metrics/recorder.js';

beforeAll(async () => {
  await initHistograms();
});

function histogramCount(encoded: string): number {
  const h = decodeHistogram(encoded);
  const n = h.totalCount;
  h.destroy();
  return n;
}

function histogramSummary(encoded: string) {
  const h = decodeHistogram(encoded);
  const s = summarize(h);
  h.destroy();
  return s;
}

function withRecorder<T>(body: (r: Recorder) => T): T {
  const r = new Recorder();
  try {
    return body(r);
  } finally {
    r.destroy();
  }
}

type Command =
  | { kind: 'count'; op: LatencyOp; counter: 'sent' | 'timeouts' | 'unanswered'; n: number }
  | { kind: 'failed'; op: LatencyOp; reason: string; message: string | undefined }
  | { kind: 'latency'; op: LatencyOp; fromScheduledMs: number; fromSentMs: number; atMs: number | undefined }
  | { kind: 'retract'; op: LatencyOp }
  | { kind: 'interval' };

const arbOp = fc.constantFrom<LatencyOp>('login', 'heartbeat', 'chat.e2e', 'connect');
const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), op: arbOp, counter: fc.constantFrom('sent' as const, 'timeouts' as const, 'unanswered' as const), n: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('failed' as const), op: arbOp, reason: fc.constantFrom('WrongPassword', 'ECONNRESET', 'UserExists'), message: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', ''), { nil: undefined }) }),
  fc.record({
    kind: fc.constant('latency' as const), op: arbOp,
    fromScheduledMs: fc.integer({ min: 0, max: 2000 }).map((v) => v / 1000), fromSentMs: fc.integer({ min: 0, max: 2000 }).map((v) => v / 1000),
    atMs: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('retract' as const), op: arbOp }),
  fc.constant({ kind: 'interval' as const }),
);

interface ModelOp {
  sent: number; ok: number; failed: number; timeouts: number; unanswered: number;
  failedBy: Record<string, number>;
  failureSamples: Record<string, string[]>;
  span: { firstMs: number; lastMs: number } | null;
}

const newModelOp = (): ModelOp => ({ sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0, failedBy: {}, failureSamples: {}, span: null });

describe('Recorder against a reference tally', () => {
  test.prop([fc.array(arbCommand, { maxLength: 60 })])('snapshot counters, failures, samples and spans; intervals add up to the snapshot', (commands) => {
    withRecorder((r) => {
      const model = new Map<string, ModelOp>();
      const get = (op: string): ModelOp => {
        let m = model.get(op);
        if (!m) model.set(op, (m = newModelOp()));
        return m;
      };
      const intervals: Record<string, IntervalOp>[] = [];
      for (const c of commands) {
        switch (c.kind) {
          case 'count':
            if (c.counter === 'sent') r.sent(c.op, 0.1, c.n); else r.count(c.op, c.counter, c.n);
            get(c.op)[c.counter] += c.n;
            break;
          case 'failed': {
            r.failed(c.op, c.reason, c.message);
            const m = get(c.op);
            m.failed += 1;
            m.failedBy[c.reason] = (m.failedBy[c.reason] ?? 0) + 1;
            if (c.message !== undefined && c.message !== '') {
              const kept = (m.failureSamples[c.reason] ??= []);
              if (kept.length < FAILURE_SAMPLES && !kept.includes(c.message)) kept.push(c.message);
            }
            break;
          }
          case 'latency': {
            r.latency(c.op, c.fromScheduledMs, c.fromSentMs, c.atMs);
            const m = get(c.op);
            m.ok += 1;
            if (c.atMs !== undefined) {
              const first = c.atMs - c.fromSentMs;
              m.span = m.span === null ? { firstMs: first, lastMs: c.atMs } : { firstMs: Math.min(m.span.firstMs, first), lastMs: Math.max(m.span.lastMs, c.atMs) };
            }
            break;
          }
          case 'retract':
            // A send is taken back only after it was made (a probe's reply, an offline chat's notice).
            if ((model.get(c.op)?.sent ?? 0) > 0) {
              r.retractSent(c.op, 0.1);
              get(c.op).sent -= 1;
            }
            break;
          case 'interval':
            intervals.push(r.takeInterval());
            break;
        }
      }
      intervals.push(r.takeInterval());
      const snapshot = r.snapshot();
      expect(Object.keys(snapshot.ops).sort()).toEqual([...model.keys()].sort());
      for (const [name, m] of model) {
        const s = snapshot.ops[name]!;
        expect({ sent: s.sent, ok: s.ok, failed: s.failed, timeouts: s.timeouts, unanswered: s.unanswered, failedBy: s.failedBy, failureSamples: s.failureSamples, span: s.span }).toEqual(m);
        for (const samples of Object.values(s.failureSamples)) {
          expect(samples.length).toBeLessThanOrEqual(FAILURE_SAMPLES);
          expect(new Set(samples).size).toBe(samples.length);
        }
        expect(histogramCount(s.corrected)).toBe(m.ok);
        expect(histogramCount(s.uncorrected)).toBe(m.ok);
        // One lag per request sent, those taken back taken out.
        expect(histogramCount(s.lag!)).toBe(m.sent);
        // The intervals, every one of them, add up to the whole.
        const sum = { sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0, histogram: 0 };
        for (const interval of intervals) {
          const i = interval[name];
          if (!i) continue;
          sum.sent += i.sent; sum.ok += i.ok; sum.failed += i.failed; sum.timeouts += i.timeouts; sum.unanswered += i.unanswered;
          sum.histogram += histogramCount(i.histogram);
          expect(histogramCount(i.histogram)).toBe(i.ok);
        }
        expect(sum).toEqual({ sent: m.sent, ok: m.ok, failed: m.failed, timeouts: m.timeouts, unanswered: m.unanswered, histogram: m.ok });
      }
      // Nothing happened since the last interval.
      expect(r.takeInterval()).toEqual({});
    });
  });
});

describe('Recorder', () => {
  test('takeInterval returns what happened since the last call, and only the ops it happened to', () => {
    withRecorder((r) => {
      r.sent('login', 0, 3);
      r.latency('login', 1, 0.5);
      r.failed('login', 'WrongPassword');
      r.sent('heartbeat', 0);
      const first = r.takeInterval();
      expect(Object.keys(first).sort()).toEqual(['heartbeat', 'login']);
      expect(first.login).toMatchObject({ sent: 3, ok: 1, failed: 1, timeouts: 0, unanswered: 0 });
      expect(first.heartbeat).toMatchObject({ sent: 1, ok: 0, failed: 0, timeouts: 0, unanswered: 0 });
      expect(histogramCount(first.login!.histogram)).toBe(1);
      r.count('heartbeat', 'timeouts');
      const second = r.takeInterval();
      expect(Object.keys(second)).toEqual(['heartbeat']);
      expect(second.heartbeat).toMatchObject({ sent: 0, ok: 0, failed: 0, timeouts: 1, unanswered: 0 });
      expect(histogramCount(second.heartbeat!.histogram)).toBe(0);
      expect(r.takeInterval()).toEqual({});
      expect(r.snapshot().ops.login).toMatchObject({ sent: 3, ok: 1, failed: 1 });
      expect(r.snapshot().ops.heartbeat).toMatchObject({ sent: 1, timeouts: 1 });
    });
  });

  test('the interval histogram holds the corrected latency (from the scheduled time)', () => {
    withRecorder((r) => {
      r.latency('heartbeat', 1.5, 0.7);
      const interval = histogramSummary(r.takeInterval().heartbeat!.histogram);
      expect(interval.max).toBe(1.5);
      const s = r.snapshot().ops.heartbeat!;
      expect(histogramSummary(s.corrected).max).toBe(1.5);
      expect(histogramSummary(s.uncorrected).max).toBe(0.7);
    });
  });

  test('a sub-microsecond latency counts as 1 µs', () => {
    withRecorder((r) => {
      r.latency('heartbeat', 0, 0.0001);
      const s = r.snapshot().ops.heartbeat!;
      expect(histogramSummary(s.corrected).max).toBe(0.001);
      expect(histogramSummary(s.uncorrected).max).toBe(0.001);
    });
  });

  test(`at most ${FAILURE_SAMPLES} distinct messages per reason, in the order they came`, () => {
    withRecorder((r) => {
      for (const m of ['one', 'one', 'two', 'three', 'two', 'four', 'five']) r.failed('login', 'WrongPassword', m);
      r.failed('login', 'UserNotExists', 'x');
      r.failed('login', 'UserNotExists');
      r.failed('login', 'UserNotExists', '');
      r.failed('login', 'RepeatLogin');
      const s = r.snapshot().ops.login!;
      expect(FAILURE_SAMPLES).toBe(3);
      expect(s.failed).toBe(11);
      expect(s.failedBy).toEqual({ WrongPassword: 7, UserNotExists: 3, RepeatLogin: 1 });
      expect(s.failureSamples).toEqual({ WrongPassword: ['one', 'two', 'three'], UserNotExists: ['x'] });
    });
  });

  test.each([
    // [fromSentMs, atMs] calls, the span after them
    [[[3, 100]], { firstMs: 97, lastMs: 100 }],
    [[[3, 100], [10, 105]], { firstMs: 95, lastMs: 105 }],
    [[[3, 100], [10, 105], [2, 50]], { firstMs: 48, lastMs: 105 }],
    [[[0, 20], [0, 10]], { firstMs: 10, lastMs: 20 }],
    [[[1, 100], [50, 101]], { firstMs: 51, lastMs: 101 }],
  ] as const)('latency with atMs widens the span: %j gives %j', (calls, span) => {
    withRecorder((r) => {
      for (const [fromSentMs, atMs] of calls) r.latency('login', 5, fromSentMs, atMs);
      r.latency('login', 5, 4000);   // without atMs: the span does not move
      expect(r.snapshot().ops.login!.span).toEqual(span);
    });
  });

  test('no span without atMs', () => {
    withRecorder((r) => {
      r.latency('heartbeat', 1, 1);
      r.sent('heartbeat', 0);
      expect(r.snapshot().ops.heartbeat!.span).toBeNull();
    });
  });

  test('deliveries, tallies and download bytes', () => {
    withRecorder((r) => {
      r.deliveryCount('chat', 'delivered', 5);
      r.deliveryCount('chat', 'lost');
      r.deliveryCount('file', 'corrupted', 2);
      r.disconnected('ECONNRESET');
      r.disconnected('ECONNRESET');
      r.disconnected('connection lost');
      r.unexpectedFrame(99);
      r.notice(14);
      r.notice(14);
      r.notice(8);
      r.badLine('too long');
      r.userFailed('login failed');
      r.downloaded(1000);
      r.downloaded(24);
      const s = r.snapshot();
      expect(s).toEqual({
        ops: {},
        delivery: {
          chat: { delivered: 5, lost: 1, duplicated: 0, reordered: 0, corrupted: 0 },
          file: { delivered: 0, lost: 0, duplicated: 0, reordered: 0, corrupted: 2 },
        },
        disconnects: { ECONNRESET: 2, 'connection lost': 1 },
        unexpectedFrames: { '99': 1 },
        notices: { '14': 2, '8': 1 },
        badLines: { 'too long': 1 },
        usersFailed: { 'login failed': 1 },
        downloadBytes: 1024,
      });
    });
  });

  test('a snapshot is a copy: changing it, or recording later, does not change an earlier one', () => {
    withRecorder((r) => {
      r.failed('login', 'WrongPassword', 'bad');
      r.latency('login', 1, 1, 10);
      r.disconnected('ECONNRESET');
      r.deliveryCount('chat', 'lost');
      const first = r.snapshot();
      first.ops.login!.failedBy.WrongPassword = 100;
      first.ops.login!.failureSamples.WrongPassword!.push('mutated');
      first.ops.login!.span!.lastMs = 1e9;
      first.disconnects.ECONNRESET = 100;
      first.delivery.chat!.lost = 100;
      r.failed('login', 'WrongPassword', 'worse');
      const second = r.snapshot();
      expect(second.ops.login).toMatchObject({ failed: 2, failedBy: { WrongPassword: 2 }, failureSamples: { WrongPassword: ['bad', 'worse'] }, span: { firstMs: 9, lastMs: 10 } });
      expect(second.disconnects).toEqual({ ECONNRESET: 1 });
      expect(second.delivery.chat!.lost).toBe(1);
      expect(first.ops.login!.failed).toBe(1);
    });
  });

  test('retractSent takes a sent back, in the snapshot and in the interval', () => {
    withRecorder((r) => {
      r.sent('heartbeat', 0, 2);
      r.retractSent('heartbeat', 0);
      expect(r.takeInterval().heartbeat).toMatchObject({ sent: 1 });
      r.retractSent('heartbeat', 0);
      expect(r.takeInterval().heartbeat).toMatchObject({ sent: -1 });
      expect(r.snapshot().ops.heartbeat!.sent).toBe(0);
    });
  });
});

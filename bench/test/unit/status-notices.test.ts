// status.notice [D-METRICS]: a status change is measured by its friends' notices. sent = notices
// expected (accounted changes only), ok = those that came, unanswered = those that never did.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { StatusNotices } from '../../engine/status-notices.js';
import { decodeHistogram, initHistograms, summarize } from '../../../reports/schema/histogram.js';
import { Recorder } from '../../metrics/recorder.js';

beforeAll(async () => {
  await initHistograms();
});

function counts(r: Recorder) {
  const op = r.snapshot().ops['status.notice'];
  return op ? { sent: op.sent, ok: op.ok, failed: op.failed, timeouts: op.timeouts, unanswered: op.unanswered } : null;
}

function latencies(r: Recorder) {
  const op = r.snapshot().ops['status.notice']!;
  const c = decodeHistogram(op.corrected);
  const u = decodeHistogram(op.uncorrected);
  const out = { corrected: summarize(c), uncorrected: summarize(u) };
  c.destroy();
  u.destroy();
  return out;
}

function withNotices(body: (n: StatusNotices, r: Recorder) => void): void {
  const r = new Recorder();
  try {
    body(new StatusNotices(r), r);
  } finally {
    r.destroy();
  }
}

describe('StatusNotices', () => {
  test('an accounted change expects one notice per receiver; one outside the window counts nothing', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10, 11, 12], 100, 100.5, true);
      expect(counts(r)).toEqual({ sent: 3, ok: 0, failed: 0, timeouts: 0, unanswered: 0 });
      n.expect(1, 3, [10, 11], 100, 100.5, false);
      n.expect(2, 2, [], 100, 100.5, true);
      expect(counts(r)).toEqual({ sent: 3, ok: 0, failed: 0, timeouts: 0, unanswered: 0 });
    });
    withNotices((n, r) => {
      n.expect(1, 2, [10], 100, 100.5, false);
      n.received(1, 2, 10, 101);
      n.settle();
      expect(counts(r)).toBeNull();
    });
  });

  test('a receiver listed twice is expected once, so sent = ok + unanswered still holds', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10, 10], 100, 100, true);
      n.received(1, 2, 10, 101);
      n.settle();
      expect(counts(r)).toEqual({ sent: 1, ok: 1, failed: 0, timeouts: 0, unanswered: 0 });
    });
  });

  test('a notice counts ok, its latency from the scheduled time and from the send', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10, 11], 100, 100.5, true);
      n.received(1, 2, 10, 101.5);
      expect(counts(r)).toEqual({ sent: 2, ok: 1, failed: 0, timeouts: 0, unanswered: 0 });
      const { corrected, uncorrected } = latencies(r);
      expect(corrected.max).toBe(1.5);
      expect(uncorrected.max).toBe(1);
    });
  });

  test('a notice is matched to the oldest change of that sender with that status awaiting that receiver', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10], 100, 100, true);     // A
      n.expect(1, 3, [10], 100.2, 100.2, true); // B: another status
      n.expect(1, 2, [10], 100.5, 100.5, true); // C: the same status, younger
      n.received(1, 2, 10, 101);                // answers A: 1 ms (C would be 0.5 ms)
      expect(latencies(r).corrected.max).toBe(1);
      expect(latencies(r).corrected.count).toBe(1);
      n.received(1, 2, 10, 101);                // now C: 0.5 ms
      const after = latencies(r).corrected;
      expect([after.count, after.p50, after.max]).toEqual([2, 0.5, 1]);
      n.received(1, 2, 10, 101);                // nothing left with status 2 for 10
      n.settle();
      expect(counts(r)).toEqual({ sent: 3, ok: 2, failed: 0, timeouts: 0, unanswered: 1 });   // B never came
    });
  });

  test('a change already answered by one receiver still waits for the others', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10, 11], 100, 100, true);
      n.expect(1, 2, [11], 100.5, 100.5, true);
      n.received(1, 2, 10, 101);
      n.received(1, 2, 11, 101);   // the first change, still waiting for 11
      n.received(1, 2, 11, 101);   // then the second
      expect(latencies(r).corrected.max).toBe(1);
      expect(latencies(r).corrected.p50).toBe(1);
      n.settle();
      expect(counts(r)).toEqual({ sent: 3, ok: 3, failed: 0, timeouts: 0, unanswered: 0 });
    });
  });

  test('duplicates, other statuses, other receivers and unknown senders are ignored', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10], 100, 100, true);
      n.received(1, 2, 10, 101);
      n.received(1, 2, 10, 102);   // a duplicate
      n.received(1, 9, 10, 102);   // a status never changed to
      n.received(1, 2, 99, 102);   // a receiver not expected
      n.received(7, 2, 10, 102);   // a sender that changed nothing
      n.settle();
      expect(counts(r)).toEqual({ sent: 1, ok: 1, failed: 0, timeouts: 0, unanswered: 0 });
    });
  });

  test('a notice to an unaccounted change is matched but not counted', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10], 100, 100, false);   // during warm-up
      n.expect(1, 2, [10], 200, 200, true);
      n.received(1, 2, 10, 201);                 // answers the older, unaccounted one
      n.settle();
      expect(counts(r)).toEqual({ sent: 1, ok: 0, failed: 0, timeouts: 0, unanswered: 1 });
    });
  });

  test('forget retracts what the receiver was still waiting for (accounted changes only), and ignores its late notices', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10, 11], 100, 100, true);
      n.expect(2, 3, [10], 100, 100, true);
      n.expect(3, 3, [10], 100, 100, false);
      n.expect(4, 1, [10], 100, 100, true);
      n.received(4, 1, 10, 101);   // answered before 10 left
      expect(counts(r)!.sent).toBe(4);
      n.forget(10);
      expect(counts(r)).toEqual({ sent: 2, ok: 1, failed: 0, timeouts: 0, unanswered: 0 });
      n.received(1, 2, 10, 102);
      n.received(2, 3, 10, 102);
      n.forget(10);                // twice: nothing more to retract
      n.settle();
      expect(counts(r)).toEqual({ sent: 2, ok: 1, failed: 0, timeouts: 0, unanswered: 1 });   // 11 never got 1's notice
    });
  });

  test('settle counts what never came, once; later notices are ignored', () => {
    withNotices((n, r) => {
      n.expect(1, 2, [10, 11, 12], 100, 100, true);
      n.expect(2, 2, [10], 100, 100, true);
      n.received(1, 2, 11, 101);
      n.settle();
      expect(counts(r)).toEqual({ sent: 4, ok: 1, failed: 0, timeouts: 0, unanswered: 3 });
      n.received(1, 2, 10, 102);
      n.settle();
      expect(counts(r)).toEqual({ sent: 4, ok: 1, failed: 0, timeouts: 0, unanswered: 3 });
    });
  });

  type Event =
    | { kind: 'expect'; from: number; status: number; receivers: number[]; accounted: boolean }
    | { kind: 'received'; from: number; status: number; receiver: number }
    | { kind: 'forget'; receiver: number };

  const arbEvent: fc.Arbitrary<Event> = fc.oneof(
    fc.record({
      kind: fc.constant('expect' as const), from: fc.integer({ min: 0, max: 3 }), status: fc.integer({ min: 1, max: 3 }),
      receivers: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 5 }), accounted: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('received' as const), from: fc.integer({ min: 0, max: 3 }), status: fc.integer({ min: 1, max: 3 }), receiver: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ kind: fc.constant('forget' as const), receiver: fc.integer({ min: 0, max: 5 }) }),
  );

  test.prop([fc.array(arbEvent, { maxLength: 60 })])('after settle, sent = ok + unanswered, and each equals a plain model', (events) => {
    withNotices((n, r) => {
      // The model: every change with who still waits for it, oldest first.
      const changes: { from: number; status: number; accounted: boolean; waiting: number[] }[] = [];
      const model = { sent: 0, ok: 0, unanswered: 0 };
      let now = 1000;
      for (const e of events) {
        now += 1;
        if (e.kind === 'expect') {
          n.expect(e.from, e.status, e.receivers, now, now, e.accounted);
          changes.push({ from: e.from, status: e.status, accounted: e.accounted, waiting: [...e.receivers] });
          if (e.accounted) model.sent += e.receivers.length;
        } else if (e.kind === 'received') {
          n.received(e.from, e.status, e.receiver, now);
          const change = changes.find((c) => c.from === e.from && c.status === e.status && c.waiting.includes(e.receiver));
          if (change) {
            change.waiting = change.waiting.filter((w) => w !== e.receiver);
            if (change.accounted) model.ok += 1;
          }
        } else {
          n.forget(e.receiver);
          for (const c of changes) {
            if (c.waiting.includes(e.receiver)) {
              c.waiting = c.waiting.filter((w) => w !== e.receiver);
              if (c.accounted) model.sent -= 1;
            }
          }
        }
      }
      n.settle();
      for (const c of changes) if (c.accounted) model.unanswered += c.waiting.length;
      const got = counts(r) ?? { sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0 };
      expect(got).toEqual({ ...model, failed: 0, timeouts: 0 });
      expect(got.sent).toBe(got.ok + got.unanswered);
    });
  });
});

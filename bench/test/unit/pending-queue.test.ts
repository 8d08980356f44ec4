// The requests of one connection awaiting replies, against a plain array: take the oldest awaiting a
// reply id (timed-out ones too, flagged), expire each once, drain what is neither answered nor timed out.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PendingQueue } from '../../engine/pending-queue.js';

interface Entry { replyId: number; scheduledMs: number; sentMs: number; timedOut: boolean }

type Command =
  | { kind: 'push'; replyId: number; gapMs: number; lagMs: number }
  | { kind: 'take'; replyId: number }
  | { kind: 'expire'; backMs: number }
  | { kind: 'drain' };

const arbReplyId = fc.constantFrom(2, 4, 6, 20);
const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('push' as const), replyId: arbReplyId, gapMs: fc.integer({ min: 0, max: 3 }), lagMs: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('take' as const), replyId: arbReplyId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), backMs: fc.integer({ min: -2, max: 12 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drain' as const }) },
);

const out = () => ({ scheduledMs: -1, sentMs: -1, timedOut: false });

describe('PendingQueue against an array', () => {
  test.prop([fc.array(arbCommand, { maxLength: 120 }), fc.integer({ min: 1, max: 4 })])(
    'push, take, expire and drain, whatever the initial capacity',
    (commands, capacity) => {
      const queue = new PendingQueue(capacity);
      let model: Entry[] = [];
      let now = 0;
      for (const c of commands) {
        if (c.kind === 'push') {
          now += c.gapMs;   // requests go out in order
          queue.push(c.replyId, now - c.lagMs, now);
          model.push({ replyId: c.replyId, scheduledMs: now - c.lagMs, sentMs: now, timedOut: false });
        } else if (c.kind === 'take') {
          const got = out();
          const at = model.findIndex((e) => e.replyId === c.replyId);
          expect(queue.take(c.replyId, got)).toBe(at >= 0);
          if (at >= 0) {
            const e = model[at]!;
            expect(got).toEqual({ scheduledMs: e.scheduledMs, sentMs: e.sentMs, timedOut: e.timedOut });
            model.splice(at, 1);
          } else {
            expect(got).toEqual(out());
          }
        } else if (c.kind === 'expire') {
          const deadline = now - c.backMs;
          const called: [number, number][] = [];
          queue.expire(deadline, (replyId, scheduledMs) => called.push([replyId, scheduledMs]));
          const expected: [number, number][] = [];
          for (const e of model) {
            if (e.sentMs < deadline && !e.timedOut) {
              e.timedOut = true;
              expected.push([e.replyId, e.scheduledMs]);
            }
          }
          expect(called).toEqual(expected);
        } else {
          const called: [number, number][] = [];
          queue.drain((replyId, scheduledMs) => called.push([replyId, scheduledMs]));
          expect(called).toEqual(model.filter((e) => !e.timedOut).map((e) => [e.replyId, e.scheduledMs]));
          model = [];
        }
        expect(queue.length).toBe(model.length);
        expect(queue.outstanding()).toBe(model.filter((e) => !e.timedOut).length);
        expect(queue.oldestOutstandingSentMs()).toBe(model.find((e) => !e.timedOut)?.sentMs ?? null);
      }
    },
  );
});

describe('PendingQueue', () => {
  test('take returns the oldest entry awaiting that reply id, then the next', () => {
    const q = new PendingQueue();
    q.push(2, 10, 11);
    q.push(4, 20, 21);
    q.push(2, 30, 31);
    const got = out();
    expect(q.take(4, got)).toBe(true);
    expect(got).toEqual({ scheduledMs: 20, sentMs: 21, timedOut: false });
    expect(q.take(2, got)).toBe(true);
    expect(got).toEqual({ scheduledMs: 10, sentMs: 11, timedOut: false });
    expect(q.take(2, got)).toBe(true);
    expect(got).toEqual({ scheduledMs: 30, sentMs: 31, timedOut: false });
    expect(q.take(2, got)).toBe(false);
    expect(q.length).toBe(0);
  });

  test('a timed-out entry is still taken by its late reply, flagged timedOut', () => {
    const q = new PendingQueue();
    q.push(20, 0, 1);
    q.push(20, 5, 6);
    const timedOut: number[] = [];
    q.expire(5, (id, scheduled) => timedOut.push(id, scheduled));
    expect(timedOut).toEqual([20, 0]);
    q.expire(5, (id, scheduled) => timedOut.push(id, scheduled));   // once each
    expect(timedOut).toEqual([20, 0]);
    expect(q.outstanding()).toBe(1);
    expect(q.oldestOutstandingSentMs()).toBe(6);
    const got = out();
    expect(q.take(20, got)).toBe(true);
    expect(got).toEqual({ scheduledMs: 0, sentMs: 1, timedOut: true });
    expect(q.take(20, got)).toBe(true);
    expect(got).toEqual({ scheduledMs: 5, sentMs: 6, timedOut: false });
  });

  test('expire takes requests sent before the deadline, not at it', () => {
    const q = new PendingQueue();
    q.push(2, 0, 10);
    q.push(2, 0, 20);
    const ids: number[] = [];
    q.expire(10, (id) => ids.push(id));
    expect(ids).toEqual([]);
    q.expire(10.001, (id) => ids.push(id));
    expect(ids).toEqual([2]);
  });

  test('drain calls back what is neither answered nor timed out, in order, and empties the queue', () => {
    const q = new PendingQueue(2);
    q.push(2, 1, 1);
    q.push(4, 2, 2);
    q.push(6, 3, 3);
    q.push(2, 4, 4);
    q.expire(2, () => undefined);      // the first
    q.take(6, out());
    const drained: [number, number][] = [];
    q.drain((id, scheduled) => drained.push([id, scheduled]));
    expect(drained).toEqual([[4, 2], [2, 4]]);
    expect([q.length, q.outstanding(), q.oldestOutstandingSentMs()]).toEqual([0, 0, null]);
    expect(q.take(2, out())).toBe(false);
    q.push(8, 9, 9);
    expect(q.take(8, out())).toBe(true);
  });

  test('growing past the initial capacity keeps the order, also once the ring has wrapped', () => {
    const q = new PendingQueue(4);
    for (let i = 0; i < 3; i++) q.push(2, i, i);
    q.take(2, out());
    q.take(2, out());              // head is now at 2
    for (let i = 3; i < 40; i++) q.push(2, i, i);
    const order: number[] = [];
    const got = out();
    while (q.take(2, got)) order.push(got.sentMs);
    expect(order).toEqual(Array.from({ length: 38 }, (_, i) => i + 2));
  });
});

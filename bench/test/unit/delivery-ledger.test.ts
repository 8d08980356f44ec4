// Delivery accounting: every message sent is expected once at its receiver. delivered, duplicated,
// reordered and corrupted as they come; lost what never came by settle().
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DeliveryLedger } from '../../engine/delivery-ledger.js';
import { initHistograms } from '../../../reports/schema/histogram.js';
import { noDeliveries, type DeliveryCounts } from '../../../reports/schema/metric-names.js';
import { Recorder } from '../../metrics/recorder.js';

beforeAll(async () => {
  await initHistograms();
});

function withLedger(ordered: boolean, body: (ledger: DeliveryLedger, counts: () => DeliveryCounts) => void): void {
  const r = new Recorder();
  try {
    body(new DeliveryLedger('chat', r, ordered), () => r.snapshot().delivery.chat ?? noDeliveries());
  } finally {
    r.destroy();
  }
}

const counts = (c: Partial<DeliveryCounts>): DeliveryCounts => ({ ...noDeliveries(), ...c });

describe('DeliveryLedger', () => {
  test('sequence numbers count from 1 per sender-receiver pair', () => {
    withLedger(true, (ledger) => {
      expect([ledger.nextSeq(1, 2), ledger.nextSeq(1, 2), ledger.nextSeq(2, 1), ledger.nextSeq(1, 3), ledger.nextSeq(1, 2)]).toEqual([1, 2, 1, 1, 3]);
    });
  });

  test.each([
    // arrivals of seqs 1..3 of one pair, then the counts after settle
    ['in order', [1, 2, 3], true, { delivered: 3 }],
    ['one late', [2, 1, 3], true, { delivered: 3, reordered: 1 }],
    ['reversed', [3, 2, 1], true, { delivered: 3, reordered: 2 }],
    ['reversed, order meaningless', [3, 2, 1], false, { delivered: 3 }],
    ['a duplicate', [1, 1, 2, 3], true, { delivered: 3, duplicated: 1 }],
    ['a duplicate after a later one', [1, 2, 1, 3], true, { delivered: 3, duplicated: 1 }],
    ['one never sent', [1, 2, 3, 4], true, { delivered: 3, duplicated: 1 }],
    ['seq 0', [0, 1, 2, 3], true, { delivered: 3, duplicated: 1 }],
    ['one lost', [1, 3], true, { delivered: 2, lost: 1 }],
    ['one lost, the rest out of order', [3, 1], true, { delivered: 2, lost: 1, reordered: 1 }],
    ['all lost', [], true, { lost: 3 }],
  ] as const)('%s: %j (ordered %s) gives %j', (_what, arrivals, ordered, expected) => {
    withLedger(ordered, (ledger, got) => {
      for (let i = 0; i < 3; i++) ledger.nextSeq(1, 2);
      const fresh = arrivals.map((seq) => ledger.received(1, 2, seq));
      const seen = new Set<number>();
      expect(fresh).toEqual(arrivals.map((seq) => seq >= 1 && seq <= 3 && !seen.has(seq) && (seen.add(seq), true)));
      ledger.settle();
      expect(got()).toEqual(counts(expected));
    });
  });

  test('a corrupted arrival is neither delivered nor lost; a second copy of it is ignored', () => {
    withLedger(false, (ledger, got) => {
      ledger.nextSeq(1, 2);
      ledger.nextSeq(1, 2);
      ledger.corrupted(1, 2, 1);
      ledger.corrupted(1, 2, 1);
      ledger.corrupted(1, 2, 7);   // never sent
      expect(ledger.received(1, 2, 1)).toBe(false);   // seen already, as corrupted
      ledger.settle();
      expect(got()).toEqual(counts({ corrupted: 1, duplicated: 1, lost: 1 }));
    });
  });

  test('pairs are apart: the same seq from another sender, or to another receiver, is not a duplicate', () => {
    withLedger(true, (ledger, got) => {
      ledger.nextSeq(1, 2);
      ledger.nextSeq(3, 2);
      ledger.nextSeq(1, 4);
      expect([ledger.received(1, 2, 1), ledger.received(3, 2, 1), ledger.received(1, 4, 1), ledger.received(2, 1, 1)]).toEqual([true, true, true, false]);
      ledger.settle();
      expect(got()).toEqual(counts({ delivered: 3, duplicated: 1 }));
    });
  });

  type Event =
    | { kind: 'send'; pair: number }
    | { kind: 'receive'; pair: number; seq: number }
    | { kind: 'corrupt'; pair: number; seq: number };

  const PAIRS: readonly (readonly [number, number])[] = [[1, 2], [2, 1], [1, 3], [3, 3]];
  const arbPair = fc.integer({ min: 0, max: PAIRS.length - 1 });
  const arbEvent: fc.Arbitrary<Event> = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), pair: arbPair }),
    fc.record({ kind: fc.constant('receive' as const), pair: arbPair, seq: fc.integer({ min: 0, max: 8 }) }),
    fc.record({ kind: fc.constant('corrupt' as const), pair: arbPair, seq: fc.integer({ min: 0, max: 8 }) }),
  );

  test.prop([fc.array(arbEvent, { maxLength: 80 }), fc.boolean()])(
    'after settle, delivered + lost + corrupted = sent for each pair and in all; counts equal a plain model',
    (events, ordered) => {
      // One ledger for the whole stream, and one per pair fed only that pair's events.
      const whole = new Recorder();
      const single = PAIRS.map(() => new Recorder());
      try {
        const ledger = new DeliveryLedger('chat', whole, ordered);
        const perPair = single.map((r) => new DeliveryLedger('chat', r, ordered));
        const model = PAIRS.map(() => ({ sent: 0, seen: new Set<number>(), highest: 0, ...noDeliveries() }));
        for (const e of events) {
          const [from, to] = PAIRS[e.pair]!;
          const m = model[e.pair]!;
          if (e.kind === 'send') {
            m.sent += 1;
            expect(ledger.nextSeq(from, to)).toBe(m.sent);
            expect(perPair[e.pair]!.nextSeq(from, to)).toBe(m.sent);
          } else if (e.kind === 'receive') {
            const fresh = e.seq >= 1 && e.seq <= m.sent && !m.seen.has(e.seq);
            expect(ledger.received(from, to, e.seq)).toBe(fresh);
            perPair[e.pair]!.received(from, to, e.seq);
            if (!fresh) m.duplicated += 1;
            else {
              if (ordered && e.seq < m.highest) m.reordered += 1;
              m.highest = Math.max(m.highest, e.seq);
              m.seen.add(e.seq);
              m.delivered += 1;
            }
          } else {
            ledger.corrupted(from, to, e.seq);
            perPair[e.pair]!.corrupted(from, to, e.seq);
            if (e.seq >= 1 && e.seq <= m.sent && !m.seen.has(e.seq)) {
              m.seen.add(e.seq);
              m.corrupted += 1;
            }
          }
        }
        ledger.settle();
        perPair.forEach((l) => l.settle());
        const total = noDeliveries();
        let sent = 0;
        for (const [i, m] of model.entries()) {
          m.lost = m.sent - m.seen.size;
          const got = single[i]!.snapshot().delivery.chat!;
          expect(got).toEqual({ delivered: m.delivered, lost: m.lost, duplicated: m.duplicated, reordered: m.reordered, corrupted: m.corrupted });
          expect(got.delivered + got.lost + got.corrupted).toBe(m.sent);
          if (!ordered) expect(got.reordered).toBe(0);
          for (const k of Object.keys(total) as (keyof DeliveryCounts)[]) total[k] += got[k];
          sent += m.sent;
        }
        const all = whole.snapshot().delivery.chat!;
        expect(all).toEqual(total);
        expect(all.delivered + all.lost + all.corrupted).toBe(sent);
      } finally {
        whole.destroy();
        single.forEach((r) => r.destroy());
      }
    },
  );
});

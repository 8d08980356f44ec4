// Delivery accounting as commands: chats sent and received in any interleaving over a few
// sender-receiver pairs, against a plain reference per pair. Unlike the event-list property beside it
// (delivery-ledger.test.ts), the counts are compared after every step, not only after settle(): the
// progress display and the per-second series read them mid-run. At every step
// delivered + corrupted + (sent and not yet seen) = sent, and after settle() lost is the unseen.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { DeliveryLedger } from '../../engine/delivery-ledger.js';
import { initHistograms } from '../../../reports/schema/histogram.js';
import { noDeliveries, type DeliveryCounts } from '../../../reports/schema/metric-names.js';
import { Recorder } from '../../metrics/recorder.js';

beforeAll(async () => {
  await initHistograms();
});

/** Sender and receiver indices; [3, 3] is a user chatting to itself, [2, 1] the reverse of [1, 2]. */
const PAIRS: readonly (readonly [number, number])[] = [[1, 2], [2, 1], [1, 3], [3, 3]];

interface PairModel { sent: number; seen: Set<number>; highest: number }
interface Model { ordered: boolean; pairs: PairModel[]; counts: DeliveryCounts }
interface Real { ledger: DeliveryLedger; recorder: Recorder }

const counted = (real: Real): DeliveryCounts => real.recorder.snapshot().delivery.file ?? noDeliveries();

function expectCounts(model: Model, real: Real): void {
  const got = counted(real);
  expect(got).toEqual(model.counts);
  const sent = model.pairs.reduce((n, p) => n + p.sent, 0);
  const unseen = model.pairs.reduce((n, p) => n + p.sent - p.seen.size, 0);
  expect(got.delivered + got.corrupted + unseen).toBe(sent);
  if (!model.ordered) expect(got.reordered).toBe(0);
}

/** Which seq an arrival carries: one of 0 (never valid), 1..sent, or sent + 1 (not sent yet). */
const seqOf = (pair: PairModel, pick: number): number => pick % (pair.sent + 2);

class Send implements fc.Command<Model, Real> {
  constructor(readonly pair: number) {}
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    const [from, to] = PAIRS[this.pair]!;
    const m = model.pairs[this.pair]!;
    m.sent++;
    expect(real.ledger.nextSeq(from, to)).toBe(m.sent);
    expectCounts(model, real);
  }
  toString(): string { return `send ${PAIRS[this.pair]!.join('>')}`; }
}

class Receive implements fc.Command<Model, Real> {
  constructor(readonly pair: number, readonly pick: number) {}
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    const [from, to] = PAIRS[this.pair]!;
    const m = model.pairs[this.pair]!;
    const seq = seqOf(m, this.pick);
    // Fresh: sent, and seen neither delivered nor corrupted before. Anything else is a duplicate.
    const fresh = seq >= 1 && seq <= m.sent && !m.seen.has(seq);
    expect(real.ledger.received(from, to, seq)).toBe(fresh);
    if (!fresh) {
      model.counts.duplicated++;
    } else {
      if (model.ordered && seq < m.highest) model.counts.reordered++;
      m.highest = Math.max(m.highest, seq);
      m.seen.add(seq);
      model.counts.delivered++;
    }
    expectCounts(model, real);
  }
  toString(): string { return `receive ${PAIRS[this.pair]!.join('>')} pick ${this.pick}`; }
}

class Corrupt implements fc.Command<Model, Real> {
  constructor(readonly pair: number, readonly pick: number) {}
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    const [from, to] = PAIRS[this.pair]!;
    const m = model.pairs[this.pair]!;
    const seq = seqOf(m, this.pick);
    real.ledger.corrupted(from, to, seq);
    // Counted once, and only for something sent and not seen yet; it then counts as seen.
    if (seq >= 1 && seq <= m.sent && !m.seen.has(seq)) {
      m.seen.add(seq);
      model.counts.corrupted++;
    }
    expectCounts(model, real);
  }
  toString(): string { return `corrupt ${PAIRS[this.pair]!.join('>')} pick ${this.pick}`; }
}

const arbPair = fc.integer({ min: 0, max: PAIRS.length - 1 });
const commands = fc.commands([
  arbPair.map((p) => new Send(p)),
  fc.tuple(arbPair, fc.nat(50)).map(([p, k]) => new Receive(p, k)),
  fc.tuple(arbPair, fc.nat(50)).map(([p, k]) => new Corrupt(p, k)),
], { size: 'medium', maxCommands: 120 });

describe('DeliveryLedger as commands', () => {
  test.prop([commands, fc.boolean()], { numRuns: 150 })(
    'delivered, duplicated, reordered, corrupted after every step, and lost after settle, as the reference says',
    (cmds, ordered) => {
      const recorder = new Recorder();
      try {
        const real: Real = { ledger: new DeliveryLedger('file', recorder, ordered), recorder };
        const model: Model = { ordered, pairs: PAIRS.map(() => ({ sent: 0, seen: new Set(), highest: 0 })), counts: noDeliveries() };
        fc.modelRun(() => ({ model, real }), cmds);
        real.ledger.settle();
        model.counts.lost = model.pairs.reduce((n, p) => n + p.sent - p.seen.size, 0);
        const got = counted(real);
        expect(got).toEqual(model.counts);
        expect(got.delivered + got.lost + got.corrupted).toBe(model.pairs.reduce((n, p) => n + p.sent, 0));
      } finally {
        recorder.destroy();
      }
    },
  );
});

// The requests of one connection, counted as the engine counts them (bench/engine/im-users.ts and
// ping.ts): sent when pushed; ok or failed when the reply takes it, unless it had timed out; a timeout
// once, when expire() says so; unanswered when drain() says so. Whatever the interleaving of sends,
// replies (late, unknown, out of order across ids), sweeps and drains, the counts keep the identity
// of [D-METRICS]: sent = ok + failed + timeouts + unanswered + what still waits, and once drained
// exactly sent = ok + failed + timeouts + unanswered. The queue itself is checked against an array.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PendingQueue } from '../../engine/pending-queue.js';

interface Counts { sent: number; ok: number; failed: number; timeouts: number; unanswered: number; unexpected: number }
const noCounts = (): Counts => ({ sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0, unexpected: 0 });

interface Waiting { replyId: number; scheduledMs: number; sentMs: number; timedOut: boolean }
/** The reference: the waiting requests in send order, and the counts they should have produced. */
interface Model { now: number; waiting: Waiting[]; counts: Counts }
interface Real { queue: PendingQueue; now: number; counts: Counts }

/** The identity, with what still waits for its reply (neither answered nor timed out) on the right. */
function expectIdentity(real: Real, model: Model): void {
  expect(real.counts).toEqual(model.counts);
  const { sent, ok, failed, timeouts, unanswered } = real.counts;
  expect(sent).toBe(ok + failed + timeouts + unanswered + real.queue.outstanding());
  expect(real.queue.length).toBe(model.waiting.length);
  expect(real.queue.outstanding()).toBe(model.waiting.filter((w) => !w.timedOut).length);
  expect(real.queue.oldestOutstandingSentMs()).toBe(model.waiting.find((w) => !w.timedOut)?.sentMs ?? null);
}

class Send implements fc.Command<Model, Real> {
  constructor(readonly replyId: number, readonly gapMs: number, readonly lagMs: number) {}
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    // Requests leave in order; each was scheduled a little before it left (the generator's lag).
    model.now += this.gapMs;
    real.now += this.gapMs;
    real.queue.push(this.replyId, real.now - this.lagMs, real.now);
    real.counts.sent++;
    model.waiting.push({ replyId: this.replyId, scheduledMs: model.now - this.lagMs, sentMs: model.now, timedOut: false });
    model.counts.sent++;
    expectIdentity(real, model);
  }
  toString(): string { return `send(${this.replyId}, +${this.gapMs}, lag ${this.lagMs})`; }
}

class Reply implements fc.Command<Model, Real> {
  constructor(readonly replyId: number, readonly success: boolean) {}
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    const out = { scheduledMs: NaN, sentMs: NaN, timedOut: false };
    // As onFrame and onReply: a reply takes the oldest request awaiting its id; one that had timed
    // out was counted then, and is counted nothing more now.
    if (real.queue.take(this.replyId, out)) {
      if (!out.timedOut) real.counts[this.success ? 'ok' : 'failed']++;
    } else {
      real.counts.unexpected++;
    }
    const at = model.waiting.findIndex((w) => w.replyId === this.replyId);
    if (at < 0) {
      model.counts.unexpected++;
    } else {
      const w = model.waiting.splice(at, 1)[0]!;
      expect(out).toEqual({ scheduledMs: w.scheduledMs, sentMs: w.sentMs, timedOut: w.timedOut });
      if (!w.timedOut) model.counts[this.success ? 'ok' : 'failed']++;
    }
    expectIdentity(real, model);
  }
  toString(): string { return `reply(${this.replyId}, ${this.success ? 'Success' : 'a failure'})`; }
}

class Sweep implements fc.Command<Model, Real> {
  constructor(readonly elapsedMs: number, readonly timeoutMs: number) {}
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    // As the engine's sweep: what was sent over a timeout ago has timed out, once.
    model.now += this.elapsedMs;
    real.now += this.elapsedMs;
    const called: [number, number][] = [];
    real.queue.expire(real.now - this.timeoutMs, (replyId, scheduledMs) => {
      real.counts.timeouts++;
      called.push([replyId, scheduledMs]);
    });
    const expected: [number, number][] = [];
    for (const w of model.waiting) {
      if (!w.timedOut && w.sentMs < model.now - this.timeoutMs) {
        w.timedOut = true;
        model.counts.timeouts++;
        expected.push([w.replyId, w.scheduledMs]);
      }
    }
    expect(called).toEqual(expected);
    expectIdentity(real, model);
  }
  toString(): string { return `after ${this.elapsedMs}: expire(timeout ${this.timeoutMs})`; }
}

class Drain implements fc.Command<Model, Real> {
  check(): boolean { return true; }
  run(model: Model, real: Real): void {
    // The connection ended (or the run did): what still waited is unanswered; timed out stays so.
    const called: [number, number][] = [];
    real.queue.drain((replyId, scheduledMs) => {
      real.counts.unanswered++;
      called.push([replyId, scheduledMs]);
    });
    const expected = model.waiting.filter((w) => !w.timedOut).map((w): [number, number] => [w.replyId, w.scheduledMs]);
    model.counts.unanswered += expected.length;
    model.waiting = [];
    expect(called).toEqual(expected);
    expectIdentity(real, model);
  }
  toString(): string { return 'drain()'; }
}

// Few reply ids, so replies of several ids interleave in one queue (the rare path of take()).
const arbReplyId = fc.constantFrom(2, 4, 6, 20);
const commands = fc.commands([
  fc.tuple(arbReplyId, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })).map(([id, gap, lag]) => new Send(id, gap, lag)),
  fc.tuple(arbReplyId, fc.boolean()).map(([id, ok]) => new Reply(id, ok)),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 12 })).map(([e, t]) => new Sweep(e, t)),
  fc.constant(new Drain()),
], { size: 'medium', maxCommands: 150 });

describe('PendingQueue: the counts add up [D-METRICS]', () => {
  test.prop([commands, fc.integer({ min: 1, max: 5 })], { numRuns: 200 })(
    'sent = ok + failed + timeouts + unanswered (+ still waiting) after every step, exactly once drained',
    (cmds, capacity) => {
      const real: Real = { queue: new PendingQueue(capacity), now: 0, counts: noCounts() };
      const model: Model = { now: 0, waiting: [], counts: noCounts() };
      fc.modelRun(() => ({ model, real }), cmds);
      // The end of the run: every request has its one outcome.
      new Drain().run(model, real);
      const { sent, ok, failed, timeouts, unanswered } = real.counts;
      expect(sent).toBe(ok + failed + timeouts + unanswered);
      expect(real.queue.length).toBe(0);
    },
  );
});

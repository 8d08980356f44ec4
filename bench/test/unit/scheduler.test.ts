// The open-model scheduler [D-LOAD] against a plain array: an action runs once, when the clock has
// reached its due time, earliest due first, and learns when it was due and when it started; nothing
// runs at or after the end of run(), and what is left then is dropped. Two harnesses:
// - pump(), as the engine calls it after I/O, with a clock the test moves by hand while run() sleeps
//   (the commands are synchronous, so run()'s own timers never fire between them);
// - run() alone on fake timers, which must start every action on time without spinning.
import { afterEach, describe, expect, vi } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Scheduler } from '../../engine/scheduler.js';
import { Random } from '../../../util/random.js';

// ---- pump() against an array, the clock moved by hand ---------------------------------------------

/** The end of run() in the first harness: the commands move the clock past it now and then. */
const END = 150;

/** What an action does once it runs: take some time (the clock jumps), then schedule its follower. */
interface Step { delayMs: number; busyMs: number }
interface Entry { key: string; due: number; busyMs: number; chain: readonly Step[] }
interface Ran { key: string; due: number; now: number }

interface PumpModel { now: number; entries: Entry[]; next: number }
interface PumpReal { scheduler: Scheduler; clock: { now: number }; ran: Ran[] }

/** The action for `entry`, as the scheduler sees it: logs itself, is busy, then schedules the next. */
function actionFor(real: PumpReal, entry: Entry): (due: number, now: number) => void {
  return (due, now) => {
    real.ran.push({ key: entry.key, due, now });
    real.clock.now += entry.busyMs;
    const [first, ...rest] = entry.chain;
    if (first) {
      const child: Entry = { key: `${entry.key}>`, due: due + first.delayMs, busyMs: first.busyMs, chain: rest };
      real.scheduler.at(child.due, actionFor(real, child));
    }
  };
}

/**
 * The reference: take the earliest entry of the array while it is due and the run has not ended. Ties
 * may go either way (the heap does not keep insertion order), so the next of `ran` must be one of the
 * earliest; each must have started at the model's clock.
 */
function runDue(model: PumpModel, ran: readonly Ran[]): void {
  let i = 0;
  while (model.entries.length > 0 && model.now < END) {
    const earliest = Math.min(...model.entries.map((e) => e.due));
    if (earliest > model.now) break;
    const got = ran[i++];
    expect(got, `an action due at ${earliest} should have run at ${model.now}`).toBeDefined();
    const at = model.entries.findIndex((e) => e.key === got!.key);
    expect(at, `${got!.key} ran, but was not scheduled`).toBeGreaterThanOrEqual(0);
    const entry = model.entries[at]!;
    expect(entry.due, `${entry.key} ran before an action due earlier`).toBe(earliest);
    expect(got).toEqual({ key: entry.key, due: entry.due, now: model.now });
    model.entries.splice(at, 1);
    model.now += entry.busyMs;
    const [first, ...rest] = entry.chain;
    if (first) model.entries.push({ key: `${entry.key}>`, due: entry.due + first.delayMs, busyMs: first.busyMs, chain: rest });
  }
  expect(ran.slice(i), 'ran although not due, or after the end').toEqual([]);
}

/**
 * Runs `body` while run() sleeps (until `endMs`), then ends the run and waits for it, even when the
 * body fails: a loop left sleeping would wake in a later test, on its timers.
 */
async function whileRunning(scheduler: Scheduler, endMs: number, body: () => void): Promise<void> {
  let stopped = false;
  const running = scheduler.run(endMs, () => stopped);
  try {
    body();
  } finally {
    stopped = true;
    // Wakes the loop if it still sleeps; it sees stopped() first, so this action never runs.
    scheduler.at(-Infinity, () => { throw new Error('ran after the end'); });
    await running;
  }
}

const halves = (min: number, max: number) => fc.integer({ min: min * 2, max: max * 2 }).map((n) => n / 2);
const arbBusy = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: halves(0, 8) });
const arbStep: fc.Arbitrary<Step> = fc.record({ delayMs: halves(-3, 25), busyMs: arbBusy });

class ScheduleCommand implements fc.Command<PumpModel, PumpReal> {
  constructor(readonly delayMs: number, readonly busyMs: number, readonly chain: readonly Step[]) {}
  check(): boolean { return true; }
  run(model: PumpModel, real: PumpReal): void {
    // A negative delay: due already (a reply came late and its follow-up is overdue).
    const entry: Entry = { key: `a${model.next++}`, due: model.now + this.delayMs, busyMs: this.busyMs, chain: this.chain };
    model.entries.push(entry);
    const before = real.ran.length;
    real.scheduler.at(real.clock.now + this.delayMs, actionFor(real, entry));
    // Nothing runs inside at(): only pump() or the loop runs actions.
    expect(real.ran.length).toBe(before);
    expect(real.scheduler.size).toBe(model.entries.length);
  }
  toString(): string { return `at(+${this.delayMs}, busy ${this.busyMs}, then ${JSON.stringify(this.chain)})`; }
}

class PumpCommand implements fc.Command<PumpModel, PumpReal> {
  /** `'end'`: to the end of the run exactly, where nothing may run any more. */
  constructor(readonly advanceMs: number | 'end') {}
  check(model: Readonly<PumpModel>): boolean { return this.advanceMs !== 'end' || model.now < END; }
  run(model: PumpModel, real: PumpReal): void {
    const ms = this.advanceMs === 'end' ? END - model.now : this.advanceMs;
    model.now += ms;
    real.clock.now += ms;
    real.ran.length = 0;
    real.scheduler.pump();
    runDue(model, real.ran);
    expect(real.clock.now).toBe(model.now);
    expect(real.scheduler.size).toBe(model.entries.length);
  }
  toString(): string { return `advance ${this.advanceMs === 'end' ? 'to the end' : this.advanceMs}; pump()`; }
}

const pumpCommands = fc.commands([
  fc.tuple(halves(-5, 40), arbBusy, fc.array(arbStep, { maxLength: 3 })).map(([d, b, c]) => new ScheduleCommand(d, b, c)),
  fc.oneof(
    { weight: 9, arbitrary: halves(0, 15) },
    { weight: 1, arbitrary: fc.constant('end' as const) },
  ).map((ms) => new PumpCommand(ms)),
], { size: 'medium', maxCommands: 60 });

describe('Scheduler: pump() against an array', () => {
  test.prop([pumpCommands], { numRuns: 200 })(
    'earliest due first, each once, at the clock; nothing at or after the end; run() drops the rest',
    async (commands) => {
      const clock = { now: 0 };
      const scheduler = new Scheduler(() => clock.now);
      const real: PumpReal = { scheduler, clock, ran: [] };
      // The synchronous commands call pump() while run() sleeps, as the engine does after each batch
      // of replies.
      await whileRunning(scheduler, END, () => {
        fc.modelRun(() => ({ model: { now: 0, entries: [], next: 0 }, real }), commands);
      });
      expect(scheduler.size).toBe(0);
      real.ran.length = 0;
      clock.now = 0;
      scheduler.pump();   // the run is over: nothing left, and nothing runs
      expect(real.ran).toEqual([]);
    },
  );

  test('an action due exactly now runs; one due a moment later waits', async () => {
    const clock = { now: 10 };
    const scheduler = new Scheduler(() => clock.now);
    const ran: string[] = [];
    await whileRunning(scheduler, 100, () => {
      scheduler.at(10, () => ran.push('now'));
      scheduler.at(10.001, () => ran.push('later'));
      scheduler.pump();
      expect(ran).toEqual(['now']);
      clock.now = 10.001;
      scheduler.pump();
      expect(ran).toEqual(['now', 'later']);
    });
  });

  test('pump() runs nothing outside run(): there is no window to run in', () => {
    const clock = { now: 50 };
    const scheduler = new Scheduler(() => clock.now);
    const ran: number[] = [];
    scheduler.at(0, (due) => ran.push(due));
    scheduler.pump();
    expect(ran).toEqual([]);
    expect(scheduler.size).toBe(1);
  });
});

// ---- poisson() --------------------------------------------------------------------------------------

/** Inter-arrival times from a list, in turn, instead of drawn: the arrivals are then known exactly. */
class ListedGaps extends Random {
  readonly rates: number[] = [];
  private i = 0;
  constructor(private readonly gaps: readonly number[]) { super(0); }
  override interArrivalMs(perSecond: number): number {
    this.rates.push(perSecond);
    return this.gaps[this.i++ % this.gaps.length]!;
  }
}

describe('Scheduler: poisson()', () => {
  test.prop([
    fc.array(halves(0.5, 20), { minLength: 1, maxLength: 8 }), fc.nat(12), halves(0, 10),
    fc.array(halves(0, 30), { maxLength: 20 }), fc.double({ min: 0.01, max: 100, noNaN: true }),
  ])(
    'acts at the running sums of the inter-arrival times, however late the pumps, while active(); then stops',
    async (gaps, acts, startMs, pumpSteps, perSecond) => {
      const clock = { now: startMs };
      const scheduler = new Scheduler(() => clock.now);
      const random = new ListedGaps(gaps);
      const got: [number, number][] = [];
      // The pumps come when they come (replies arrive at any time); the last one after every arrival.
      const pumps: number[] = [];
      for (const step of pumpSteps) pumps.push((pumps.at(-1) ?? startMs) + step);
      pumps.push((pumps.at(-1) ?? startMs) + 1000);
      // The arrivals stay on the stream's own schedule: a late pump makes them late, never later.
      const expected: [number, number][] = [];
      let due = startMs + gaps[0]!;
      for (const at of pumps) {
        while (expected.length < acts && due <= at) {
          expected.push([due, at]);
          due += gaps[expected.length % gaps.length]!;
        }
      }
      await whileRunning(scheduler, Infinity, () => {
        scheduler.poisson(perSecond, random, () => got.length < acts, (d, now) => got.push([d, now]));
        expect(scheduler.size).toBe(1);
        for (const at of pumps) { clock.now = at; scheduler.pump(); }
        expect(got).toEqual(expected);
        // The entry that found active() false was consumed without acting or rescheduling.
        expect(scheduler.size).toBe(0);
      });
      // One draw for the first arrival, one after each act: all at the stream's own rate.
      expect(random.rates).toEqual(Array<number>(acts + 1).fill(perSecond));
    },
  );

  test.each([0, -1])('a rate of %s schedules nothing and draws nothing', (rate) => {
    const scheduler = new Scheduler(() => 0);
    const random = new ListedGaps([1]);
    scheduler.poisson(rate, random, () => true, () => { throw new Error('acted'); });
    expect(scheduler.size).toBe(0);
    expect(random.rates).toEqual([]);
  });
});

// ---- run() on fake timers ---------------------------------------------------------------------------

/** The end of run() in the second harness: long enough for several 250 ms sleeps. */
const RUN_END = 1200;

interface TimedModel { now: number; entries: { key: string; due: number; runsAt: number }[]; next: number }
interface TimedReal { scheduler: Scheduler; ran: Ran[] }

/**
 * With the loop free and timers exact, an action starts at its due time, or at once when scheduled
 * overdue: at() wakes a sleeping loop rather than leave the action waiting for the planned wake-up.
 */
function expectRanByNow(model: TimedModel, real: TimedReal): void {
  const now = Date.now();
  const byTime = (a: Ran, b: Ran): number => a.now - b.now || (a.key < b.key ? -1 : 1);
  const expected = model.entries.filter((e) => e.runsAt <= now && e.runsAt < RUN_END).map((e) => ({ key: e.key, due: e.due, now: e.runsAt }));
  expect([...real.ran].sort(byTime)).toEqual(expected.sort(byTime));
}

class TimedSchedule implements fc.AsyncCommand<TimedModel, TimedReal> {
  constructor(readonly delayMs: number) {}
  check(): boolean { return true; }
  async run(model: TimedModel, real: TimedReal): Promise<void> {
    const now = model.now;
    const key = `t${model.next++}`;
    const due = now + this.delayMs;
    model.entries.push({ key, due, runsAt: Math.max(due, now) });
    real.scheduler.at(due, (d, n) => real.ran.push({ key, due: d, now: n }));
  }
  toString(): string { return `at(now + ${this.delayMs})`; }
}

class TimedAdvance implements fc.AsyncCommand<TimedModel, TimedReal> {
  constructor(readonly ms: number) {}
  // The run's end is checked after the commands, on a clock they leave before it.
  check(model: Readonly<TimedModel>): boolean { return model.now + this.ms < RUN_END; }
  async run(model: TimedModel, real: TimedReal): Promise<void> {
    model.now += this.ms;
    await vi.advanceTimersByTimeAsync(this.ms);
    expect(Date.now()).toBe(model.now);
    expectRanByNow(model, real);
  }
  toString(): string { return `advance ${this.ms}`; }
}

describe('Scheduler: run() on fake timers', () => {
  afterEach(() => { vi.useRealTimers(); });

  test.prop([fc.commands([
    fc.integer({ min: -20, max: 1500 }).map((d) => new TimedSchedule(d)),
    fc.integer({ min: 0, max: 300 }).map((ms) => new TimedAdvance(ms)),
  ], { size: 'medium', maxCommands: 40 })], { numRuns: 100 })(
    'every action due before the end starts on time, none after; the loop sleeps, never spins',
    async (commands) => {
      vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const sleeps = vi.spyOn(globalThis, 'setTimeout');
      try {
        const scheduler = new Scheduler(() => Date.now());
        const real: TimedReal = { scheduler, ran: [] };
        const running = scheduler.run(RUN_END, () => false);
        const model: TimedModel = { now: 0, entries: [], next: 0 };
        await fc.asyncModelRun(() => ({ model, real }), commands);
        // The end: whatever was due before it ran, on time; the rest is dropped.
        await vi.advanceTimersByTimeAsync(RUN_END + 10 - Date.now());
        await running;
        expectRanByNow(model, real);
        expect(scheduler.size).toBe(0);
        // Sleeps of at most 250 ms, and per action at most a few more (the wake-up, the step just
        // before its due time, the last millisecond): a loop that spun would sleep thousands of times.
        expect(sleeps.mock.calls.length).toBeLessThanOrEqual(Math.ceil(RUN_END / 250) + 3 * (model.next + 1));
      } finally {
        sleeps.mockRestore();
      }
    },
  );

  test('stopped() ends the run at its next wake-up, within 250 ms, dropping what is left', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const scheduler = new Scheduler(() => Date.now());
    const ran: number[] = [];
    let stopped = false;
    let ended = false;
    const running = scheduler.run(Infinity, () => stopped).then(() => { ended = true; });
    scheduler.at(100, (due) => ran.push(due));
    scheduler.at(10_000, (due) => ran.push(due));
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual([100]);
    stopped = true;
    await vi.advanceTimersByTimeAsync(250);
    expect(ended).toBe(true);
    await running;
    expect(scheduler.size).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual([100]);
  });
});

// The run's time series from the workers' per-second reports [D-RESULT]: a model-based test of
// TimeSeriesCollector against a plain reference (every report kept as it came, summed on demand),
// and the phase of each second.
import { beforeAll, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decodeHistogram, encodeHistogram, initHistograms, newHistogram, recordMicros } from '../../../reports/schema/histogram.js';
import type { IntervalOp, SecondSample } from '../../../reports/schema/load-result.js';
import { firstSecond, phaseOf, TimeSeriesCollector, type PhaseLengths } from '../../run/time-series.js';
import type { ProgressMessage } from '../../worker/task.js';

beforeAll(async () => {
  await initHistograms();
});

describe('phaseOf and firstSecond', () => {
  // Seconds are counted from the measured window's start; second s covers (s - 1, s] seconds of it.
  test.each([
    // ramp-up 2 s, warm-up 1 s, 3 s measured: (-3, -2] and (-2, -1] ramp up, (-1, 0] warms up
    [{ rampUpMs: 2000, warmupMs: 1000, durationMs: 3000 }, -2, [[-2, 'ramp-up'], [-1, 'ramp-up'], [0, 'warmup'], [1, 'measured'], [3, 'measured'], [4, 'grace'], [9, 'grace']]],
    // nothing before the window: its first second is the run's first
    [{ rampUpMs: 0, warmupMs: 0, durationMs: 2000 }, 1, [[1, 'measured'], [2, 'measured'], [3, 'grace']]],
    // ping's default warm-up of 1 s
    [{ rampUpMs: 0, warmupMs: 1000, durationMs: 2000 }, 0, [[0, 'warmup'], [1, 'measured'], [3, 'grace']]],
    // a ramp-up of 1.5 s: (-1.5, -1] and (-1, 0] ramp up
    [{ rampUpMs: 1500, warmupMs: 0, durationMs: 1000 }, -1, [[-1, 'ramp-up'], [0, 'ramp-up'], [1, 'measured'], [2, 'grace']]],
    // 2.5 s measured: the third second is measured (the workers count it so), the fourth grace
    [{ rampUpMs: 0, warmupMs: 500, durationMs: 2500 }, 0, [[0, 'warmup'], [3, 'measured'], [4, 'grace']]],
  ] as const)('%j: first second %s, phases %j', (lengths, first, phases) => {
    expect(firstSecond(lengths)).toBe(first);
    for (const [second, phase] of phases) expect(phaseOf(second, lengths), `second ${second}`).toBe(phase);
  });
});

/** An interval as generated: counts and latencies (µs) per operation. */
interface GenOp { sent: number; ok: number; failed: number; timeouts: number; unanswered: number; micros: number[] }
type GenOps = Partial<Record<'login' | 'heartbeat', GenOp>>;

function encode(ops: GenOps): Record<string, IntervalOp> {
  const out: Record<string, IntervalOp> = {};
  for (const [name, op] of Object.entries(ops)) {
    const h = newHistogram();
    for (const us of op.micros) recordMicros(h, us);
    const { micros: _, ...counts } = op;
    out[name] = { ...counts, histogram: encodeHistogram(h) };
    h.destroy();
  }
  return out;
}

/** What a combined second must hold: counts summed, latencies of every report together. */
function expected(reports: readonly GenOps[]): Record<string, GenOp> {
  const out: Record<string, GenOp> = {};
  for (const report of reports) {
    for (const [name, op] of Object.entries(report)) {
      const into = (out[name] ??= { sent: 0, ok: 0, failed: 0, timeouts: 0, unanswered: 0, micros: [] });
      into.sent += op.sent; into.ok += op.ok; into.failed += op.failed; into.timeouts += op.timeouts; into.unanswered += op.unanswered;
      into.micros.push(...op.micros);
    }
  }
  return out;
}

/** A histogram as its count, least and greatest value, read back from its encoding as the sample's are. */
function figures(encoded: string): { count: number; min: number; max: number } {
  const h = decodeHistogram(encoded);
  const out = { count: h.totalCount, min: h.totalCount > 0 ? h.minNonZeroValue : 0, max: h.maxValue };
  h.destroy();
  return out;
}

const byName = <T,>(ops: Record<string, T>): [string, T][] => Object.entries(ops).sort(([a], [b]) => a.localeCompare(b));

function readable(ops: Record<string, IntervalOp>) {
  return Object.fromEntries(byName(ops).map(([name, { histogram, ...counts }]) => [name, { ...counts, ...figures(histogram) }]));
}

function readableExpected(ops: Record<string, GenOp>) {
  return Object.fromEntries(byName(ops).map(([name, op]) => {
    const { histogram, ...counts } = encode({ login: op }).login!;
    return [name, { ...counts, ...figures(histogram) }];
  }));
}

/** The reference: every report of every second as it came, and which seconds were announced complete. */
interface Model {
  workers: number;
  lengths: PhaseLengths;
  seconds: Map<number, { reports: GenOps[]; reportedBy: Set<number>; announced: boolean }>;
}
interface Real { collector: TimeSeriesCollector }

class Report implements fc.Command<Model, Real> {
  constructor(readonly worker: number, readonly second: number, readonly ops: GenOps) {}
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const worker = this.worker % m.workers;
    const message: ProgressMessage = { kind: 'progress', worker, status: { connected: 0, loggedIn: 0, connectFailures: 0 }, second: this.second, ops: encode(this.ops) };
    const got = r.collector.add(message);
    // Nothing happens before the run starts: an earlier second's report belongs to the first second.
    const second = Math.max(this.second, firstSecond(m.lengths));
    let entry = m.seconds.get(second);
    if (!entry) m.seconds.set(second, (entry = { reports: [], reportedBy: new Set(), announced: false }));
    entry.reports.push(this.ops);
    if (second === this.second) entry.reportedBy.add(worker);
    // A second is complete once every worker reported it (itself): announced then, and only then.
    const completes = !entry.announced && entry.reportedBy.size === m.workers;
    if (!completes) { expect(got).toBeNull(); return; }
    entry.announced = true;
    expect(got).not.toBeNull();
    expect({ second: got!.second, phase: got!.phase }).toEqual({ second, phase: phaseOf(second, m.lengths) });
    expect(readable(got!.ops)).toEqual(readableExpected(expected(entry.reports)));
  }
  toString(): string { return `report(worker ${this.worker}, second ${this.second}, ${JSON.stringify(this.ops)})`; }
}

class Series implements fc.Command<Model, Real> {
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const got: SecondSample[] = r.collector.series();
    const seconds = [...m.seconds.keys()].sort((a, b) => a - b);
    // Every second, sorted, complete or not, each in its phase, every report in it.
    expect(got.map((s) => s.second)).toEqual(seconds);
    for (const [i, second] of seconds.entries()) {
      expect(got[i]!.phase).toBe(phaseOf(second, m.lengths));
      expect(readable(got[i]!.ops), `second ${second}`).toEqual(readableExpected(expected(m.seconds.get(second)!.reports)));
    }
  }
  toString(): string { return 'series()'; }
}

const arbOp: fc.Arbitrary<GenOp> = fc.record({
  sent: fc.nat(3), ok: fc.nat(3), failed: fc.nat(2), timeouts: fc.nat(2), unanswered: fc.nat(2),
  micros: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 4 }),
});
const arbOps: fc.Arbitrary<GenOps> = fc.record({ login: arbOp, heartbeat: arbOp }, { requiredKeys: [] });
const commands = fc.commands([
  fc.tuple(fc.nat(3), fc.integer({ min: -3, max: 6 }), arbOps).map(([w, s, ops]) => new Report(w, s, ops)),
  fc.constant(new Series()),
], { maxCommands: 40 });
const arbLengths: fc.Arbitrary<PhaseLengths> = fc.record({
  rampUpMs: fc.constantFrom(0, 1500, 2000),
  warmupMs: fc.constantFrom(0, 1000),
  durationMs: fc.constantFrom(1000, 2500, 3000),
});

describe('TimeSeriesCollector', () => {
  test.prop([fc.integer({ min: 1, max: 4 }), arbLengths, commands], { numRuns: 150 })(
    'behaves as the reference: seconds complete once every worker reported them; series() is every second, sorted, combined',
    (workers, lengths, cmds) => {
      fc.modelRun(() => ({ model: { workers, lengths, seconds: new Map() }, real: { collector: new TimeSeriesCollector(workers, lengths) } }), cmds);
    },
  );

  test('a worker that reports a second twice: both reports count, and the second is announced once', () => {
    const c = new TimeSeriesCollector(2, { rampUpMs: 0, warmupMs: 0, durationMs: 2000 });
    const progress = (worker: number, second: number, ok: number): ProgressMessage => ({
      kind: 'progress', worker, status: { connected: 0, loggedIn: 0, connectFailures: 0 }, second, ops: encode({ login: { sent: ok, ok, failed: 0, timeouts: 0, unanswered: 0, micros: [] } }),
    });
    expect(c.add(progress(0, 1, 1))).toBeNull();
    expect(c.add(progress(0, 1, 2))).toBeNull();
    expect(c.add(progress(1, 1, 4))?.ops.login?.ok).toBe(7);
    expect(c.add(progress(1, 1, 8))).toBeNull();
    expect(c.series()).toMatchObject([{ second: 1, phase: 'measured', ops: { login: { ok: 15 } } }]);
  });
});

// How one operation's percentiles changed between two runs [D-COMPARE], with an uncertainty that comes
// from the runs themselves: the bootstrap resamples whole seconds of each run (its per-second
// histograms), never single requests, since requests within a run are not independent (they share
// the server's state of the moment). For each resample of both runs, the ratio NEW/BASE of the
// percentile; the interval holding the middle `confidence` of those ratios is the change's
// uncertainty. The verdict compares that interval with the tolerance:
// - regressed: the whole interval is above 1 + tolerance;
// - improved: the whole interval is below 1 - tolerance;
// - unchanged: the whole interval is within 1 ± tolerance;
// - inconclusive: it straddles a bound, so the data cannot tell.
import { Random } from '../../util/random.js';
import { addSeconds, secondsOfTwoRuns, valueAt, valuesAt, type SecondCounts, type SecondsOfTwoRuns } from './second-histograms.js';

export type ChangeVerdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';

export interface PercentileChange {
  percentile: number;
  /** The percentile of each whole run, in milliseconds. */
  baseMs: number;
  newMs: number;
  /** newMs / baseMs, and the interval of the resampled ratios at the confidence asked. */
  ratio: number;
  low: number;
  high: number;
  verdict: ChangeVerdict;
}

export interface CompareOptions {
  percentiles: readonly number[];
  /** 0.1 for 10%. */
  tolerance: number;
  /** 0.95 for 95%. */
  confidence: number;
  /** Resamples of each run. */
  resamples: number;
  /** The resampling is seeded, so a comparison is repeatable. */
  seed: number;
}

/** One run's percentile with the interval of its resamples: what a spectrum's band shows. */
export interface PercentileBand { percentile: number; ms: number; lowMs: number; highMs: number }

/**
 * Each run's own uncertainty at each percentile (ascending), by the same bootstrap over whole seconds:
 * the spectrum the comparison's HTML draws, each run's line inside the band of its resamples.
 */
export function percentileBands(
  runs: SecondsOfTwoRuns,
  /** The ascending percentiles to draw, given each run's count (a spectrum stops where the smaller run's data does). */
  percentilesFor: (baseCount: number, newCount: number) => readonly number[],
  options: Omit<CompareOptions, 'percentiles' | 'tolerance'>,
): { base: PercentileBand[]; next: PercentileBand[] } {
  const count = (seconds: readonly SecondCounts[]): number => seconds.reduce((n, s) => n + s.total, 0);
  const percentiles = percentilesFor(count(runs.base), count(runs.next));
  const random = new Random(options.seed);
  const draw = (): number => random.next();
  const sum = new Float64Array(runs.values.length);
  const alpha = 1 - options.confidence;
  const bands = (seconds: readonly SecondCounts[]): PercentileBand[] => {
    const total = addSeconds(sum, seconds, seconds.map((_, i) => i));
    const point = valuesAt(runs.values, sum, total, percentiles);
    const drawn: number[][] = percentiles.map(() => []);
    const pick = new Uint32Array(seconds.length);
    for (let r = 0; r < options.resamples; r++) {
      for (let i = 0; i < pick.length; i++) pick[i] = Math.floor(draw() * pick.length);
      const t = addSeconds(sum, seconds, pick);
      valuesAt(runs.values, sum, t, percentiles).forEach((v, k) => { if (Number.isFinite(v)) drawn[k]!.push(v); });
    }
    return percentiles.map((p, k) => {
      const sorted = drawn[k]!.sort((a, b) => a - b);
      const v = point[k]!;
      return sorted.length === 0
        ? { percentile: p, ms: v / 1000, lowMs: v / 1000, highMs: v / 1000 }
        : { percentile: p, ms: v / 1000, lowMs: quantile(sorted, alpha / 2) / 1000, highMs: quantile(sorted, 1 - alpha / 2) / 1000 };
    });
  };
  return { base: bands(runs.base), next: bands(runs.next) };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at]!;
}

export function verdictOf(low: number, high: number, tolerance: number): ChangeVerdict {
  if (low > 1 + tolerance) return 'regressed';
  if (high < 1 - tolerance) return 'improved';
  if (low >= 1 - tolerance && high <= 1 + tolerance) return 'unchanged';
  return 'inconclusive';
}

/** The change of each percentile of one operation, from each run's per-second encoded histograms. */
export function comparePercentiles(base: readonly string[], next: readonly string[], options: CompareOptions): PercentileChange[] {
  return comparePercentilesOf(secondsOfTwoRuns(base, next), options);
}

/** The same, from the runs' seconds already decoded (which percentileBands() reads too). */
export function comparePercentilesOf(runs: SecondsOfTwoRuns, options: CompareOptions): PercentileChange[] {
  const random = new Random(options.seed);
  const draw = (): number => random.next();
  const sumBase = new Float64Array(runs.values.length);
  const sumNext = new Float64Array(runs.values.length);
  const all = (seconds: readonly SecondCounts[]): number[] => seconds.map((_, i) => i);
  const totalBase = addSeconds(sumBase, runs.base, all(runs.base));
  const totalNext = addSeconds(sumNext, runs.next, all(runs.next));
  const point = options.percentiles.map((p) => ({ base: valueAt(runs.values, sumBase, totalBase, p), next: valueAt(runs.values, sumNext, totalNext, p) }));
  const ratios: number[][] = options.percentiles.map(() => []);
  const pickBase = new Uint32Array(runs.base.length);
  const pickNext = new Uint32Array(runs.next.length);
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < pickBase.length; i++) pickBase[i] = Math.floor(draw() * pickBase.length);
    for (let i = 0; i < pickNext.length; i++) pickNext[i] = Math.floor(draw() * pickNext.length);
    const tb = addSeconds(sumBase, runs.base, pickBase);
    const tn = addSeconds(sumNext, runs.next, pickNext);
    options.percentiles.forEach((p, k) => {
      const b = valueAt(runs.values, sumBase, tb, p);
      const n = valueAt(runs.values, sumNext, tn, p);
      if (b > 0 && Number.isFinite(n)) ratios[k]!.push(n / b);
    });
  }
  const alpha = 1 - options.confidence;
  return options.percentiles.map((p, k) => {
    const sorted = ratios[k]!.sort((x, y) => x - y);
    const { base: b, next: n } = point[k]!;
    if (sorted.length === 0 || !(b > 0)) return { percentile: p, baseMs: b / 1000, newMs: n / 1000, ratio: Number.NaN, low: Number.NaN, high: Number.NaN, verdict: 'inconclusive' };
    const low = quantile(sorted, alpha / 2);
    const high = quantile(sorted, 1 - alpha / 2);
    return { percentile: p, baseMs: b / 1000, newMs: n / 1000, ratio: n / b, low, high, verdict: verdictOf(low, high, options.tolerance) };
  });
}

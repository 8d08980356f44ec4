// The per-second histograms of a run as compact count vectors over the bucket values that occur in
// either run of a comparison: what the bootstrap resamples thousands of times. Decoding once into the
// JS histogram gives each bucket's count; a resample adds whole seconds' vectors and reads quantiles
// off the sum, without building a histogram per resample.
import { bucketsOf } from '../schema/histogram.js';

/** One second: positions into the shared value table, and their counts. */
export interface SecondCounts {
  positions: Uint32Array;
  counts: Float64Array;
  total: number;
}

export interface SecondsOfTwoRuns {
  /** Every bucket value (its highest equivalent, in µs) that either run recorded, ascending. */
  values: Float64Array;
  base: SecondCounts[];
  next: SecondCounts[];
}

type Sparse = ReturnType<typeof bucketsOf>;

/** Both runs' seconds (encoded histograms), over one table of values. */
export function secondsOfTwoRuns(base: readonly string[], next: readonly string[]): SecondsOfTwoRuns {
  const b = base.map(bucketsOf);
  const n = next.map(bucketsOf);
  const all = new Set<number>();
  for (const s of [...b, ...n]) for (const v of s.values) all.add(v);
  const values = Float64Array.from([...all].sort((x, y) => x - y));
  const at = new Map<number, number>();
  values.forEach((v, i) => at.set(v, i));
  const compact = (s: Sparse): SecondCounts => ({
    positions: Uint32Array.from(s.values.map((v) => at.get(v)!)),
    counts: Float64Array.from(s.counts),
    total: s.counts.reduce((x, y) => x + y, 0),
  });
  return { values, base: b.map(compact), next: n.map(compact) };
}

/** Adds the chosen seconds into `into` (zeroed first); returns the total count. */
export function addSeconds(into: Float64Array, seconds: readonly SecondCounts[], chosen: ArrayLike<number>): number {
  into.fill(0);
  let total = 0;
  for (let k = 0; k < chosen.length; k++) {
    const s = seconds[chosen[k]!]!;
    for (let j = 0; j < s.positions.length; j++) into[s.positions[j]!]! += s.counts[j]!;
    total += s.total;
  }
  return total;
}

/** The value at percentile `p` (0-100) of summed counts, as HdrHistogram reads it (the value whose cumulative count reaches p% of the total). */
export function valueAt(values: Float64Array, counts: Float64Array, total: number, p: number): number {
  if (total === 0) return Number.NaN;
  const wanted = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= wanted) return values[i]!;
  }
  return values[values.length - 1]!;
}

/** valueAt for several ascending percentiles in one pass over the counts. */
export function valuesAt(values: Float64Array, counts: Float64Array, total: number, ascending: readonly number[]): number[] {
  if (total === 0) return ascending.map(() => Number.NaN);
  const out: number[] = [];
  let seen = 0;
  let i = 0;
  for (const p of ascending) {
    const wanted = Math.max(1, Math.ceil((p / 100) * total));
    while (i < counts.length && seen + counts[i]! < wanted) seen += counts[i++]!;
    out.push(values[Math.min(i, values.length - 1)]!);
  }
  return out;
}

// The comparison's method [D-COMPARE], on synthetic per-second histograms from a fixed list of seeds
// (no sockets): two runs of one distribution are called regressed in at most 5% of 200 seeds at 95%
// confidence; a distribution slower by twice the tolerance is called regressed in at least 95%; a
// change in the tail only (p99 up, p50 the same) is found at p99 and not at p50.
import { beforeAll, describe, expect, test } from 'vitest';
import { comparePercentiles, verdictOf, type ChangeVerdict } from '../compare/compare-percentiles.js';
import { addSeconds, secondsOfTwoRuns, valueAt } from '../compare/second-histograms.js';
import { initHistograms, mergeEncoded } from '../schema/histogram.js';
import { syntheticRun, type SyntheticRun } from './synthetic-runs.js';

beforeAll(async () => { await initHistograms(); });

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const TOLERANCE = 0.1;
/** 30 seconds of 300 requests: a short run, so the verdicts have to earn their confidence. */
const RUN: SyntheticRun = { seconds: 30, perSecond: 300, medianUs: 1000, sigma: 0.4, secondSigma: 0.03 };
const OPTIONS = { percentiles: [50, 90, 99], tolerance: TOLERANCE, confidence: 0.95, resamples: 200 };

/** How often each verdict came, by percentile, over the seeds. */
function verdicts(next: Partial<SyntheticRun>): Record<number, Record<ChangeVerdict, number>> {
  const out: Record<number, Record<ChangeVerdict, number>> = {};
  for (const seed of SEEDS) {
    const changes = comparePercentiles(syntheticRun(RUN, 2 * seed), syntheticRun({ ...RUN, ...next }, 2 * seed + 1), { ...OPTIONS, seed });
    for (const c of changes) {
      const row = (out[c.percentile] ??= { regressed: 0, improved: 0, unchanged: 0, inconclusive: 0 });
      row[c.verdict]++;
    }
  }
  return out;
}

describe('comparing percentiles by resampling seconds [D-COMPARE]', () => {
  test('one distribution twice: regressed in at most 5% of 200 seeds, at each percentile', () => {
    const v = verdicts({});
    for (const p of OPTIONS.percentiles) expect(v[p]!.regressed, `p${p}: ${JSON.stringify(v[p])}`).toBeLessThanOrEqual(10);
    for (const p of OPTIONS.percentiles) expect(v[p]!.improved, `p${p}: ${JSON.stringify(v[p])}`).toBeLessThanOrEqual(10);
  }, 120_000);

  test('slower by twice the tolerance: regressed in at least 95% of 200 seeds, at each percentile', () => {
    const v = verdicts({ scale: 1 + 2 * TOLERANCE });
    for (const p of OPTIONS.percentiles) expect(v[p]!.regressed, `p${p}: ${JSON.stringify(v[p])}`).toBeGreaterThanOrEqual(190);
  }, 120_000);

  test('faster by twice the tolerance: improved, never regressed', () => {
    const v = verdicts({ scale: 1 - 2 * TOLERANCE });
    for (const p of OPTIONS.percentiles) {
      expect(v[p]!.improved, `p${p}: ${JSON.stringify(v[p])}`).toBeGreaterThanOrEqual(190);
      expect(v[p]!.regressed).toBe(0);
    }
  }, 120_000);

  test('a change in the tail only (3% of requests four times slower): found at p99, not at p50', () => {
    const v = verdicts({ tailShare: 0.03, tailFactor: 4 });
    expect(v[99]!.regressed, JSON.stringify(v[99])).toBeGreaterThanOrEqual(190);
    expect(v[50]!.regressed, JSON.stringify(v[50])).toBeLessThanOrEqual(10);
  }, 120_000);
});

describe('the pieces', () => {
  test('a percentile read off summed seconds is the one HdrHistogram gives for the merged histogram', () => {
    const seconds = syntheticRun({ ...RUN, seconds: 12 }, 7);
    const runs = secondsOfTwoRuns(seconds, seconds.slice(0, 3));
    const sum = new Float64Array(runs.values.length);
    const total = addSeconds(sum, runs.base, runs.base.map((_, i) => i));
    const merged = mergeEncoded(seconds);
    expect(total).toBe(merged.totalCount);
    for (const p of [1, 50, 90, 99, 99.9, 100]) expect(valueAt(runs.values, sum, total, p), `p${p}`).toBe(merged.getValueAtPercentile(p));
    merged.destroy();
  });

  test('verdicts at the bounds of the tolerance', () => {
    expect(verdictOf(1.11, 1.3, 0.1)).toBe('regressed');
    expect(verdictOf(1.1, 1.3, 0.1)).toBe('inconclusive');
    expect(verdictOf(0.7, 0.89, 0.1)).toBe('improved');
    expect(verdictOf(0.9, 1.1, 0.1)).toBe('unchanged');
    expect(verdictOf(0.95, 1.2, 0.1)).toBe('inconclusive');
  });

  test('the same seed gives the same interval; an empty run is inconclusive, not a crash', () => {
    const a = syntheticRun(RUN, 1);
    const b = syntheticRun(RUN, 2);
    expect(comparePercentiles(a, b, { ...OPTIONS, seed: 9 })).toEqual(comparePercentiles(a, b, { ...OPTIONS, seed: 9 }));
    const empty = comparePercentiles([], b, { ...OPTIONS, seed: 9 });
    expect(empty.every((c) => c.verdict === 'inconclusive')).toBe(true);
  });
});

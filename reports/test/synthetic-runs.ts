// Synthetic runs for the comparison tests: per-second histograms drawn from a latency distribution,
// seeded, with no sockets. Each second has its own small multiplier (seconds of a real run differ:
// the server's state of the moment), which the bootstrap over seconds must capture.
import { encodeHistogram, newHistogram, recordMicros } from '../schema/histogram.js';
import { Random } from '../../util/random.js';

export interface SyntheticRun {
  seconds: number;
  perSecond: number;
  /** Median latency, µs. */
  medianUs: number;
  /** Spread of log-latency within a second. */
  sigma: number;
  /** Spread of the per-second multiplier (log scale). */
  secondSigma: number;
  /** Everything slower by this factor. */
  scale?: number;
  /** This share of requests is slower by tailFactor (a change in the tail only). */
  tailShare?: number;
  tailFactor?: number;
}

/** A run's per-second histograms, encoded as a result keeps them. */
export function syntheticRun(run: SyntheticRun, seed: number): string[] {
  const random = new Random((seed * 2654435761) >>> 0);
  const u = (): number => random.next();
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const out: string[] = [];
  for (let s = 0; s < run.seconds; s++) {
    const h = newHistogram();
    const second = Math.exp(run.secondSigma * normal());
    for (let i = 0; i < run.perSecond; i++) {
      let v = run.medianUs * second * Math.exp(run.sigma * normal()) * (run.scale ?? 1);
      if (run.tailShare && u() < run.tailShare) v *= run.tailFactor ?? 1;
      recordMicros(h, v);
    }
    out.push(encodeHistogram(h));
    h.destroy();
  }
  return out;
}

/**
 * A recorded load result (reports/test/fixtures/v3-load.json, parsed) with its seconds replaced by
 * measured ones of a synthetic run of chat.e2e: what comparisons and their renderers are tested on.
 */
export function withSyntheticSeconds(recorded: Record<string, any>, run: SyntheticRun, seed: number): Record<string, any> {
  const result = structuredClone(recorded);
  result.timeSeries = syntheticRun(run, seed).map((histogram, i) => ({
    second: i + 1, phase: 'measured',
    ops: { 'chat.e2e': { sent: run.perSecond, ok: run.perSecond, failed: 0, timeouts: 0, unanswered: 0, histogram } },
  }));
  return result;
}

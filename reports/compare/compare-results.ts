// Two results of one kind compared [D-COMPARE]. Load runs: the workload must be the same (scenario,
// protocol, users, rates, model, sizes, duration, warm-up), else the comparison is refused (exit 2)
// unless allowed; targets, versions and machines may differ. Each operation both runs measured gets
// its percentiles judged (compare-percentiles.ts); error counts are compared too. Conformance runs:
// the checks that newly fail and newly pass. Exit 6 on a regression, a rise in errors or a newly
// failing check; inconclusive exits 0 unless told to fail on it.
import type { ComparisonResult } from '../schema/comparison-result.js';
import type { ConformanceResult } from '../schema/conformance-result.js';
import type { LoadResult } from '../schema/load-result.js';
import { SETUP_OPS, type LatencyOp } from '../schema/metric-names.js';
import { UsageError } from '../../util/errors.js';
import { EXIT } from '../../util/exit-codes.js';
import { comparePercentilesOf, percentileBands, type PercentileBand } from './compare-percentiles.js';
import { secondsOfTwoRuns } from './second-histograms.js';
import { spectrumPercentiles } from './percentile-grid.js';

export const COMPARED_PERCENTILES = [50, 90, 99, 99.9] as const;

export interface CompareSettings {
  tolerance: number;
  confidence: number;
  resamples: number;
  seed: number;
  failOnInconclusive: boolean;
  allowConfigChange: boolean;
  toolVersion: string;
}

/** The workload settings a comparison needs equal, by name. */
function workload(r: LoadResult): Record<string, unknown> {
  const c = r.config;
  return {
    scenario: c.scenario, protocol: c.protocol, users: c.users, rates: c.rates, rate: c.rate, inflight: c.inflight,
    heartbeatIntervalMs: c.heartbeatIntervalMs, bodyBytes: c.bodyBytes, chatBytes: c.chatBytes, uploadBytes: c.uploadBytes,
    groupSize: c.groupSize, durationMs: c.durationMs, warmupMs: c.warmupMs, rampUpMs: c.rampUpMs,
  };
}

export function configDifferences(base: LoadResult, next: LoadResult): string[] {
  const a = workload(base);
  const b = workload(next);
  return Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => `${k}: ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`);
}

/**
 * The seconds an operation is judged over, as its totals count it: the measured window, but for a
 * setup operation (connect, register, login...: done in the ramp-up, counted in every phase) every
 * second it occurred in. Only seconds with a timed request count: an empty one adds nothing to resample.
 */
function judgedSeconds(r: LoadResult, op: string): string[] {
  const setup = SETUP_OPS.has(op as LatencyOp);
  return r.timeSeries
    .filter((s) => (setup || s.phase === 'measured') && s.ops[op] !== undefined && s.ops[op]!.ok > 0)
    .map((s) => s.ops[op]!.histogram);
}

/**
 * Fewer seconds than this in either run and the bootstrap has too few blocks to resample: one second
 * resampled is itself every time, an interval of width zero around whatever that second measured.
 */
export const MIN_SECONDS = 5;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const band = (p: PercentileBand): { ms: number; lowMs: number; highMs: number } => ({ ms: p.ms, lowMs: p.lowMs, highMs: p.highMs });

export function compareLoads(base: LoadResult, next: LoadResult, files: [string, string], s: CompareSettings): ComparisonResult {
  const differences = configDifferences(base, next);
  if (differences.length > 0 && !s.allowConfigChange) {
    throw new UsageError(`the runs have different workloads, so their latencies do not compare: ${differences.join('; ')} (--allow-config-change compares them anyway)`, 'CONFIG_CHANGED');
  }
  const operations = Object.keys(base.ops).filter((op) => next.ops[op] !== undefined).sort().flatMap((op) => {
    const b = judgedSeconds(base, op);
    const n = judgedSeconds(next, op);
    if (b.length === 0 || n.length === 0) return [];
    const tooFew = b.length < MIN_SECONDS || n.length < MIN_SECONDS;
    // Both runs' seconds decoded once, for the verdicts and for the spectra.
    const runs = secondsOfTwoRuns(b, n);
    const changes = comparePercentilesOf(runs, { percentiles: COMPARED_PERCENTILES, tolerance: s.tolerance, confidence: s.confidence, resamples: s.resamples, seed: s.seed })
      .map((c) => ({ percentile: c.percentile, baseMs: finite(c.baseMs), newMs: finite(c.newMs), ratio: finite(c.ratio), low: finite(c.low), high: finite(c.high), verdict: tooFew ? 'inconclusive' as const : c.verdict }));
    // An operation that is only sent (a status change: no reply to time) has no latency to judge.
    if (changes.every((c) => c.baseMs === null && c.newMs === null)) return [];
    const bands = percentileBands(runs, (cb, cn) => spectrumPercentiles(Math.min(cb, cn), 10, COMPARED_PERCENTILES), { confidence: s.confidence, resamples: s.resamples, seed: s.seed });
    const spectrum = bands.base.map((p, i) => ({ percentile: p.percentile, base: band(p), new: band(bands.next[i]!) }));
    const note = tooFew ? `too few seconds to judge: ${b.length} in base and ${n.length} in new, at least ${MIN_SECONDS} in each` : undefined;
    return [{ op, baseSeconds: b.length, newSeconds: n.length, changes, spectrum, ...(note ? { note } : {}) }];
  });
  const errors = { base: base.metrics.errors ?? 0, new: next.metrics.errors ?? 0, rose: (next.metrics.errors ?? 0) > (base.metrics.errors ?? 0) };
  const regressions: string[] = [];
  for (const o of operations) {
    for (const c of o.changes) {
      if (c.verdict === 'regressed') regressions.push(`${o.op} p${c.percentile} regressed: ${c.baseMs} -> ${c.newMs} ms`);
      if (c.verdict === 'inconclusive' && s.failOnInconclusive) regressions.push(`${o.op} p${c.percentile} inconclusive (--fail-on-inconclusive)`);
    }
  }
  if (errors.rose) regressions.push(`errors rose: ${errors.base} -> ${errors.new}`);
  // Loss is part of the errors, but named on its own: "chats lost 0 -> 12" says more than a count.
  const delivery = Object.keys(base.delivery).filter((what) => next.delivery[what] !== undefined).sort().map((what) => {
    const [b, n] = [base.delivery[what]!, next.delivery[what]!];
    return { what, base: { delivered: b.delivered, lost: b.lost }, new: { delivered: n.delivered, lost: n.lost }, rose: n.lost > b.lost };
  });
  for (const d of delivery) if (d.rose) regressions.push(`${d.what} lost rose: ${d.base.lost} -> ${d.new.lost}`);
  return result('load', files, [base.runId, next.runId], s, { configDifferences: differences, operations, errors, delivery, checks: null, regressions });
}

export function compareConformance(base: ConformanceResult, next: ConformanceResult, files: [string, string], s: CompareSettings): ComparisonResult {
  const failing = (r: ConformanceResult): Set<string> => new Set(r.checks.filter((c) => c.outcome === 'FAIL' || c.outcome === 'TIMEOUT' || c.outcome === 'ERROR').map((c) => c.id));
  const passing = (r: ConformanceResult): Set<string> => new Set(r.checks.filter((c) => c.outcome === 'PASS').map((c) => c.id));
  const [fb, fn, pb, pn] = [failing(base), failing(next), passing(base), passing(next)];
  const newlyFailing = [...fn].filter((id) => pb.has(id)).sort();
  const newlyPassing = [...pn].filter((id) => fb.has(id)).sort();
  const regressions = newlyFailing.map((id) => `${id} newly fails`);
  const id = (r: ConformanceResult): string => `suite ${r.suiteVersion}, seed ${r.settings.seed}`;
  return result('conformance', files, [id(base), id(next)], s, { configDifferences: [], operations: [], errors: null, checks: { newlyFailing, newlyPassing }, regressions });
}

function result(compared: 'load' | 'conformance', files: [string, string], ids: [string, string], s: CompareSettings, parts: Pick<ComparisonResult, 'configDifferences' | 'operations' | 'errors' | 'delivery' | 'checks' | 'regressions'>): ComparisonResult {
  return {
    kind: 'comparison', schemaVersion: 1, tool: { name: 'talkbench', version: s.toolVersion }, compared,
    base: { file: files[0], id: ids[0] }, new: { file: files[1], id: ids[1] },
    settings: { tolerance: s.tolerance, confidence: s.confidence, resamples: s.resamples, seed: s.seed, failOnInconclusive: s.failOnInconclusive },
    ...parts,
    exitCode: parts.regressions.length > 0 ? EXIT.regression : EXIT.ok,
  };
}

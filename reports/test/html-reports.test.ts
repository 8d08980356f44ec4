// The HTML renderers on recorded and synthetic results, read as text: each page is one file that asks
// for nothing (a CSP that forbids fetches, no script, no external address), its verdict first, one
// spectrum per timed operation whose figures are the result's own, phases marked, hostile text
// escaped; the comparison's spectra carry bands and agree with its table; thin data and empty
// comparisons say so. The browser test (html-browser.test.ts) opens the same pages in Chromium.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fc, test as fcTest } from '@fast-check/vitest';
import { beforeAll, describe, expect, test } from 'vitest';
import { COMPARED_PERCENTILES, compareLoads, MIN_SECONDS, type CompareSettings } from '../compare/compare-results.js';
import { spectrumPercentiles } from '../compare/percentile-grid.js';
import { comparisonSummary } from '../render/comparison.js';
import { comparisonHtml } from '../render/html/comparison-html.js';
import { loadHtml } from '../render/html/load-html.js';
import { formatMs } from '../render/number-format.js';
import { comparisonResultSchema } from '../schema/comparison-result.js';
import { initHistograms } from '../schema/histogram.js';
import type { LoadResult } from '../schema/load-result.js';
import { readLoadResult } from '../schema/read-result.js';
import { withSyntheticSeconds, type SyntheticRun } from './synthetic-runs.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const SETTINGS: CompareSettings = { tolerance: 0.1, confidence: 0.95, resamples: 100, seed: 1, failOnInconclusive: false, allowConfigChange: false, toolVersion: 'test' };
const RUN: SyntheticRun = { seconds: 20, perSecond: 300, medianUs: 1000, sigma: 0.4, secondSigma: 0.03 };

let recorded: Record<string, any> = {};
const load = (change: (r: Record<string, any>) => void = () => undefined): LoadResult => {
  const copy = structuredClone(recorded);
  change(copy);
  return readLoadResult(JSON.stringify(copy), 'test.json');
};
const synthetic = (run: SyntheticRun, seed: number): LoadResult => readLoadResult(JSON.stringify(withSyntheticSeconds(recorded, run, seed)), `run-${seed}.json`);

beforeAll(async () => {
  await initHistograms();
  recorded = JSON.parse(await readFile(fixture('v3-load.json'), 'utf8'));
});

/** What a page may not hold if it is to need nothing beyond itself. */
export function selfContainmentProblems(html: string): string[] {
  const problems: string[] = [];
  if (!/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/.test(html)) problems.push('no CSP forbidding fetches');
  for (const [what, re] of [['a script', /<script/i], ['a link element', /<link/i], ['an external address', /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i], ['a CSS import or url()', /@import|url\(/i], ['an event handler', /<[^>]+\son[a-z]+\s*=/i]] as const) {
    if (re.test(html)) problems.push(what);
  }
  return problems;
}

describe('loadHtml', () => {
  test('a recorded run: self-contained, the verdict first, a spectrum and a time chart per timed operation, phases marked', () => {
    const r = load();
    const html = loadHtml(r);
    expect(selfContainmentProblems(html)).toEqual([]);
    const firstSection = html.indexOf('<h2');
    expect(html.indexOf('Passed (exit 0)')).toBeGreaterThan(0);
    expect(html.indexOf('Passed (exit 0)')).toBeLessThan(firstSection);
    const timed = Object.keys(r.ops).filter((op) => (r.metrics[`${op}.p50`] ?? null) !== null && r.ops[op]!.ok > 0 && op !== 'status').sort();
    const spectra = [...html.matchAll(/data-chart="spectrum ([^"]+)"/g)].map((m) => m[1]).sort();
    expect(spectra).toEqual(timed);
    expect([...html.matchAll(/data-chart="latency over time ([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(timed);
    // The fixture's seconds: 0 is ramp-up, 4 to 6 grace; both are shaded and named.
    const throughput = /<svg[^>]*data-chart="throughput over time"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(throughput).toMatch(/<rect class="region"[^>]*><title>ramp-up<\/title>/);
    expect(throughput).toMatch(/<rect class="region"[^>]*><title>grace<\/title>/);
  });

  test("the operations table shows the result's own figures (metrics), not figures of its own", () => {
    const r = load();
    const html = loadHtml(r);
    for (const op of ['chat.e2e', 'login', 'heartbeat']) {
      const row = new RegExp(`<tr><td><code>${op.replace('.', '\\.')}</code></td>(.*?)</tr>`).exec(html);
      expect(row, op).not.toBeNull();
      const cells = [...row![1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
      // sent, ok, failed, timeouts, unanswered, rate, p50, p90, p99, p99.9, max
      expect(cells[0]).toBe(r.ops[op]!.sent.toLocaleString('en-US'));
      expect(cells[6]).toBe(formatMs(r.metrics[`${op}.p50`]!));
      expect(cells[8]).toBe(formatMs(r.metrics[`${op}.p99`]!));
      expect(cells[10]).toBe(formatMs(r.metrics[`${op}.max`]!));
    }
  });

  test('a run that crossed a threshold, with an overloaded generator, says both before anything else', () => {
    const html = loadHtml(load((r) => {
      r.status = 'overloaded'; r.exitCode = 5; r.generator.overloaded = true;
      r.failures = [{ code: 'overloaded', worker: 1, message: 'worker 1: event-loop delay p99 80 ms over 50 ms' }];
      r.reasons = ['the generator was overloaded'];
      r.thresholds[1].passed = false;
    }));
    expect(html).toContain('Not passed: overloaded (exit 5)');
    expect(html).toMatch(/The generator was the bottleneck, not the server[\s\S]*worker 1: event-loop delay p99 80 ms over 50 ms/);
    expect(html).toMatch(/<span class="tag fail">crossed<\/span><\/td><td><code>chat\.e2e\.p99&lt;1s<\/code>/);
    expect(html.indexOf('bottleneck')).toBeLessThan(html.indexOf('<h2'));
  });

  test("a server's words are escaped wherever they appear", () => {
    const hostile = '</td></table><script>alert(1)</script>"\'';
    const html = loadHtml(load((r) => {
      r.ops.login.failed = 1; r.ops.login.sent += 1;
      r.ops.login.failedBy = { [hostile]: 1 };
      r.ops.login.failureSamples = { [hostile]: [hostile] };
      r.disconnects = { [hostile]: 2 };
    }));
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(selfContainmentProblems(html)).toEqual([]);
  });

  test('a merged run lists its shards; a run that never started says so', () => {
    const merged = loadHtml(load((r) => {
      r.shards = [1, 2].map((i) => ({ runId: `part-${i}`, shard: `${i}/2`, summary: { targets: ['127.0.0.1:1'], startedAt: r.startedAt, measuredMs: 3000, status: 'passed', exitCode: 0, errors: i - 1, ops: { chat: { sent: 10 * i, ok: 10 * i, failed: 0, timeouts: 0, unanswered: 0, latency: null } }, delivery: {} } }));
    }));
    expect(merged).toMatch(/<h3>Shards<\/h3>/);
    expect(merged).toMatch(/<td>1\/2<\/td><td><code>part-1<\/code><\/td>/);
    expect(merged).toMatch(/<td>2\/2<\/td><td><code>part-2<\/code><\/td>.*?<td class="n">1<\/td><td class="n">20<\/td>/);
    const never = loadHtml(load((r) => { r.ops = {}; r.timeSeries = []; r.delivery = {}; r.status = 'unreachable'; r.exitCode = 3; r.reasons = ['target 127.0.0.1:1 refused the connection']; }));
    expect(never).toContain('Not passed: unreachable (exit 3)');
    expect(never).toContain('target 127.0.0.1:1 refused the connection');
    expect(never).toContain('Nothing was measured');
    expect(never).not.toContain('data-chart');
  });
});

describe('loadHtml: the send lag (schema version 4)', () => {
  test("each operation's lag is in its table row and on its spectrum, the result's own figures", async () => {
    const r = readLoadResult(await readFile(fixture('v4-load.json'), 'utf8'), 'v4-load.json');
    const html = loadHtml(r);
    for (const op of ['chat.e2e', 'heartbeat']) {
      const row = new RegExp(`<tr><td><code>${op.replace('.', '\\.')}</code></td>(.*?)</tr>`).exec(html)!;
      const cells = [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
      // ..., p50 uncorr., p99 uncorr., lag p50, lag p99
      expect(cells.at(-1)).toBe(formatMs(r.metrics[`${op}.lag.p99`]!));
      expect(cells.at(-2)).toBe(formatMs(r.metrics[`${op}.lag.p50`]!));
      const chart = new RegExp(`<svg[^>]*data-chart="spectrum ${op.replace('.', '\\.')}"[\\s\\S]*?</svg>`).exec(html)![0];
      expect(chart).toContain('<title>send lag (generator)</title>');
    }
    // A version-3 result has no lag: no such line, and "-" where its figures would be.
    expect(loadHtml(load())).not.toContain('send lag (generator)');
  });
});

describe('the spectrum grid', () => {
  fcTest.prop([fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 40 }), fc.subarray([...COMPARED_PERCENTILES])])(
    'ascending from 0, up to 1 - 1/count and no further, holding every asked percentile the data reaches',
    (count, perDecade, asked) => {
      const grid = spectrumPercentiles(count, perDecade, asked);
      expect(grid[0]).toBe(0);
      for (let i = 1; i < grid.length; i++) expect(grid[i]!).toBeGreaterThan(grid[i - 1]!);
      const top = count > 1 ? 100 * (1 - 1 / count) : 0;
      expect(Math.abs(grid[grid.length - 1]! - top)).toBeLessThan(1e-9);
      for (const p of asked) expect(grid.includes(p)).toBe(p <= top);
    },
  );
});

describe('comparisonHtml', () => {
  test('a slower run: the regression first, each run\'s spectrum in its band, and the chart\'s points are the table\'s figures', () => {
    const c = compareLoads(synthetic(RUN, 1), synthetic({ ...RUN, scale: 1.5 }, 2), ['base.json', 'new.json'], SETTINGS);
    comparisonResultSchema.parse(c);
    const html = comparisonHtml(c);
    expect(selfContainmentProblems(html)).toEqual([]);
    expect(html.indexOf('Regression (exit 6)')).toBeLessThan(html.indexOf('<h2'));
    const chart = /<svg[^>]*data-chart="comparison spectrum chat\.e2e"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(chart.match(/<polygon class="band"/g)).toHaveLength(2);
    expect(chart.match(/<polyline class="series"/g)).toHaveLength(2);
    const op = c.operations.find((o) => o.op === 'chat.e2e')!;
    for (const change of op.changes) {
      const point = op.spectrum!.find((p) => p.percentile === change.percentile);
      expect(point, `p${change.percentile} on the spectrum`).toBeDefined();
      expect(point!.base.ms).toBe(change.baseMs);
      expect(point!.new.ms).toBe(change.newMs);
      expect(point!.base.lowMs).toBeLessThanOrEqual(point!.base.highMs);
    }
    expect(html).toMatch(/<td>p50<\/td>.*?<span class="tag fail">regressed<\/span>/);
  });

  test('a comparison written before spectra were kept still renders, and says how to get them', () => {
    const c = compareLoads(synthetic(RUN, 1), synthetic(RUN, 2), ['base.json', 'new.json'], SETTINGS);
    for (const o of c.operations) delete o.spectrum;
    const html = comparisonHtml(comparisonResultSchema.parse(c));
    expect(html).toContain('carries no spectra');
    expect(html).not.toContain('polygon');
  });

  test(`fewer than ${MIN_SECONDS} seconds in a run: every verdict inconclusive, and the reason given, even for a large change`, () => {
    const c = compareLoads(synthetic({ ...RUN, seconds: MIN_SECONDS - 1 }, 1), synthetic({ ...RUN, seconds: MIN_SECONDS - 1, scale: 3 }, 2), ['base.json', 'new.json'], SETTINGS);
    const op = c.operations.find((o) => o.op === 'chat.e2e')!;
    expect(op.changes.map((ch) => ch.verdict)).toEqual(COMPARED_PERCENTILES.map(() => 'inconclusive'));
    expect(c.exitCode).toBe(0);
    expect(op.note).toBe(`too few seconds to judge: ${MIN_SECONDS - 1} in base and ${MIN_SECONDS - 1} in new, at least ${MIN_SECONDS} in each`);
    expect(comparisonSummary(c)).toContain(`note: chat.e2e: too few seconds to judge`);
    expect(comparisonHtml(c)).toContain('too few seconds to judge');
  });

  test('runs with no timed operation in common: "no regression" comes with the warning that no latency was compared', () => {
    const untimed = (seed: number): LoadResult => readLoadResult(JSON.stringify({ ...withSyntheticSeconds(recorded, RUN, seed), timeSeries: [] }), 'x.json');
    const c = compareLoads(untimed(1), untimed(2), ['base.json', 'new.json'], SETTINGS);
    expect(c.operations).toEqual([]);
    expect(comparisonSummary(c)).toMatch(/note: no latency was compared/);
    expect(comparisonHtml(c)).toMatch(/Read with care[\s\S]*no latency was compared/);
  });
});

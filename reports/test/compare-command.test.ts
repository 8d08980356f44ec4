// `talkbench report --compare BASE NEW` [D-COMPARE] on results built from a recorded one, with
// synthetic per-second histograms: a slower NEW exits 6 naming what regressed; the same distribution
// exits 0; a rise in errors or in delivery loss exits 6; an older baseline compares; different workloads are refused (exit 2) unless allowed; a check
// that newly fails exits 6; the comparison written with --out is a result of kind comparison.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { comparisonResultSchema } from '../schema/comparison-result.js';
import { initHistograms } from '../schema/histogram.js';
import { readLoadResult } from '../schema/read-result.js';
import { runTalkbench } from '../../test-support/talkbench-cli.js';
import { withSyntheticSeconds, type SyntheticRun } from './synthetic-runs.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const compare = (args: string[]) => runTalkbench(['report', '--compare', ...args]).done;
const RUN: SyntheticRun = { seconds: 30, perSecond: 300, medianUs: 1000, sigma: 0.4, secondSigma: 0.03 };

let dir = '';
beforeAll(async () => { await initHistograms(); dir = await mkdtemp(join(tmpdir(), 'tb-compare-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** The recorded load result with its measured seconds replaced: chat.e2e from a synthetic run. */
async function loadResult(name: string, run: SyntheticRun, seed: number, change: (r: Record<string, any>) => void = () => undefined): Promise<string> {
  const result = withSyntheticSeconds(JSON.parse(await readFile(fixture('v3-load.json'), 'utf8')), run, seed);
  change(result);
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(result));
  return file;
}

describe('talkbench report --compare: load runs', () => {
  test('NEW 50% slower: exit 6, each percentile regressed; the comparison file is of kind comparison', async () => {
    const base = await loadResult('base.json', RUN, 1);
    const slower = await loadResult('slower.json', { ...RUN, scale: 1.5 }, 2);
    const out = join(dir, 'cmp.json');
    const md = join(dir, 'cmp.md');
    const run = await compare([base, slower, '--out', out, '--md', md]);
    expect(run.code, run.stdout + run.stderr).toBe(6);
    expect(run.stdout).toMatch(/^chat\.e2e +p50 .* regressed/m);
    expect(run.stdout).toMatch(/result: regression \(exit 6\): chat\.e2e p50 regressed/);
    const written = comparisonResultSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    expect(written.operations[0]!.changes.every((c) => c.verdict === 'regressed')).toBe(true);
    expect((await readFile(md, 'utf8')).split('\n')[0]).toBe('## ❌ talkbench compare (load): regression');
    // The comparison file renders on its own.
    const again = await runTalkbench(['report', out]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/result: regression \(exit 6\)/);
  });

  test('the same distribution: exit 0, unchanged (~) at p50', async () => {
    const base = await loadResult('same-a.json', RUN, 3);
    const again = await loadResult('same-b.json', RUN, 4);
    const run = await compare([base, again]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^chat\.e2e +p50 .* ~/m);
  });

  test('errors rose: exit 6 even when no latency moved', async () => {
    const base = await loadResult('err-a.json', RUN, 5);
    const worse = await loadResult('err-b.json', RUN, 5, (r) => { r.metrics.errors = 3; });
    const run = await compare([base, worse]);
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/errors rose: 0 -> 3/);
  });

  test('more chats lost: exit 6, named, even when the error count is unchanged', async () => {
    const base = await loadResult('lost-a.json', RUN, 9);
    const lossy = await loadResult('lost-b.json', RUN, 9, (r) => { r.delivery.chat.lost = 4; r.delivery.chat.delivered -= 4; });
    const run = await compare([base, lossy]);
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/^chat lost: 0 of 60 -> 4 of 60 \(rose\)$/m);
    expect(run.stdout).toMatch(/result: regression \(exit 6\): chat lost rose: 0 -> 4/);
  });

  test('a baseline written by an older talkbench (schema version 2) still compares [D-SCHEMA]', async () => {
    // The same run read through its migration and written as version 3: one workload, two schemas.
    const older = fileURLToPath(new URL('../schema/test/fixtures/v2-load.json', import.meta.url));
    const migrated = join(dir, 'v2-as-v3.json');
    const read = await runTalkbench(['report', older]).done;
    expect(read.code, read.stderr).toBe(0);
    await writeFile(migrated, JSON.stringify(readLoadResult(await readFile(older, 'utf8'), older)));
    const run = await compare([older, migrated]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // Its two measured seconds are too few to judge, and the comparison says so rather than passing silently.
    expect(run.stdout).toMatch(/note: chat\.e2e: too few seconds to judge: 2 in base and 2 in new/);
    expect(run.stdout).toMatch(/result: no regression \(exit 0\); \d+ of \d+ percentiles inconclusive/);
  });

  test('different workloads: refused, exit 2, unless --allow-config-change', async () => {
    const base = await loadResult('cfg-a.json', RUN, 6);
    const other = await loadResult('cfg-b.json', RUN, 7, (r) => { r.config.users = 40; });
    const refused = await compare([base, other]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/different workloads.*users: 20 -> 40/);
    const allowed = await compare([base, other, '--allow-config-change']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/workloads differ \(compared as allowed\): users: 20 -> 40/);
  });

  test('bad settings and one file are usage errors', async () => {
    const base = await loadResult('x.json', RUN, 8);
    expect((await compare([base])).code).toBe(2);
    const bad = await compare([base, base, '--tolerance', '150%']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tolerance 150%/);
  });
});

describe('talkbench report --compare: conformance runs', () => {
  test('a check that newly fails: exit 6, named; one that newly passes is said too', async () => {
    const base = JSON.parse(await readFile(fixture('conformance-passing-chat.json'), 'utf8'));
    const next = JSON.parse(JSON.stringify(base));
    next.checks[0].outcome = 'FAIL';
    base.checks[1].outcome = 'TIMEOUT';
    const [a, b] = [join(dir, 'c-base.json'), join(dir, 'c-new.json')];
    await writeFile(a, JSON.stringify(base));
    await writeFile(b, JSON.stringify(next));
    const run = await compare([a, b]);
    expect(run.code, run.stdout + run.stderr).toBe(6);
    expect(run.stdout).toMatch(new RegExp(`checks newly failing: ${base.checks[0].id.replace(/\./g, '\\.')}`));
    expect(run.stdout).toMatch(new RegExp(`checks newly passing: ${base.checks[1].id.replace(/\./g, '\\.')}`));
  });
});

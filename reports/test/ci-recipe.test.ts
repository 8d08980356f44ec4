// The CI recipe users copy (docs/ci/github-actions.yml) cannot rot: its `run:` steps, in order, run
// as a script against the reference server, twice (the second run finds the first's baseline and
// compares), with the job summary written to a file. Steps that install talkbench are left out (this
// checkout is talkbench: `npx talkbench` is pointed at it); `uses:` steps are GitHub's own.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { TALKBENCH_BIN } from '../../test-support/talkbench-cli.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const run = promisify(execFile);
const RECIPE = fileURLToPath(new URL('../../docs/ci/github-actions.yml', import.meta.url));

interface Step { name?: string; run?: string; uses?: string; if?: string }

let server: TestServer;
let dir = '';
beforeAll(async () => {
  server = await startTestServer({ logLevel: 'error' });
  dir = await mkdtemp(join(tmpdir(), 'tb-recipe-'));
  // `npx talkbench ...` runs this checkout's CLI.
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin', 'npx'), `#!/bin/sh\nif [ "$1" = talkbench ]; then shift; exec "${process.execPath}" "${TALKBENCH_BIN}" "$@"; fi\necho "npx $1: not in the recipe test" >&2; exit 127\n`);
  await chmod(join(dir, 'bin', 'npx'), 0o755);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs every `run:` step of the job in `dir`; resolves with each step's exit code. */
async function runSteps(steps: Step[], env: Record<string, string>): Promise<{ name: string; code: number; output: string }[]> {
  const results = [];
  for (const step of steps) {
    if (step.run === undefined || /^Install/.test(step.name ?? '')) continue;
    const name = step.name ?? step.run.split('\n')[0]!;
    try {
      const { stdout, stderr } = await run('bash', ['-e', '-c', step.run], { cwd: dir, env: { ...process.env, ...env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` }, timeout: 120_000 });
      results.push({ name, code: 0, output: stdout + stderr });
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      results.push({ name, code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` });
    }
  }
  return results;
}

describe('the GitHub Actions recipe (docs/ci/github-actions.yml)', () => {
  test('its steps gate on conformance, run a load, write the job summary, keep a baseline, and compare the next run with it', async () => {
    const workflow = parse(await readFile(RECIPE, 'utf8')) as { env: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const summary = join(dir, 'summary.md');
    const env = { ...workflow.env, SERVER_START: 'true', TARGET: `127.0.0.1:${server.imPort}`, USERS: '20', DURATION: '2s', GITHUB_STEP_SUMMARY: summary };

    const first = await runSteps(steps, env);
    for (const s of first) expect(s.code, `${s.name}:\n${s.output}`).toBe(0);
    const once = await readFile(summary, 'utf8');
    expect(once).toMatch(/^## ✅ talkbench conform: IM/m);
    expect(once).toMatch(/^## ✅ talkbench load: passed/m);
    expect(once).not.toMatch(/talkbench compare/);
    await readFile(join(dir, 'baseline', 'load.json'), 'utf8');

    // A baseline with fewer errors than any run can have: the comparison must find a regression
    // (errors rose), so the step exits 6, and its summary must still be written (the step's bash -e
    // would end it at the failing command).
    const baselineFile = join(dir, 'baseline', 'load.json');
    const baseline = JSON.parse(await readFile(baselineFile, 'utf8'));
    baseline.metrics.errors = -1;
    await writeFile(baselineFile, JSON.stringify(baseline));
    const second = await runSteps(steps, env);
    for (const s of second) expect(s.code, `${s.name}:\n${s.output}`).toBe(s.name.startsWith('Compare') ? 6 : 0);
    expect(await readFile(summary, 'utf8')).toMatch(/^## ❌ talkbench compare \(load\): regression/m);
    JSON.parse(await readFile(join(dir, 'out', 'compare.json'), 'utf8'));
    // The artifact holds a page for each result, to open offline.
    for (const page of ['conform.html', 'load.html', 'compare.html']) expect((await readFile(join(dir, 'out', page), 'utf8')).startsWith('<!doctype html>'), page).toBe(true);
  }, 240_000);
});

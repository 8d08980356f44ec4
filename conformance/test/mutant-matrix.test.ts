// [D-MUTANTS] Every MUST and SHOULD check fails against at least one mutant; a check no mutant can
// fail is a bug of the suite. The reference server first passes every check of the catalogue; then
// each mutant (the reference server with one bug planted, conformance/test/mutants/) runs the checks
// of its area, and the matrix check × mutant, kept as pass / not-pass, must leave no check and no
// mutant uncaught. The mutating proxy with no hooks passes every check too, so that no mutant fails a
// check because of the proxy. Set MUTANT_MATRIX_PRINT=1 to print the matrix as Markdown.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readSection, writeSection } from '../catalogue/conformance-doc.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { CATALOGUE } from '../catalogue/catalogue.js';
import { protocolOf, type CheckDefinition } from '../catalogue/check.js';
import type { TargetProfile } from '../harness/context.js';
import type { ChecksRun } from '../run/run-checks.js';
import { explain, outcomes, runAgainst, testProfile } from './support.js';
import { CHAT_MUTANTS } from './mutants/chat-mutants.js';
import { IM_CONNECTION_MUTANTS } from './mutants/im-connection-mutants.js';
import { IM_MUTANTS } from './mutants/im-mutants.js';
import { startChatProxy, startImProxy } from './mutants/mutating-proxy.js';
import { checksFor, renderMatrix, renderMatrixByCheck, runMatrix, uncaughtChecks, uncaughtMutants, type Matrix } from './mutants/matrix.js';

export { renderMatrix, runMatrix } from './mutants/matrix.js';

/** The mutants of this folder's registries, each of which must have checks in its area. */
const OWN = [...IM_MUTANTS, ...CHAT_MUTANTS];
/**
 * With those of the HTTP and connection checks (judged one by one in im-connection-checks.test.ts),
 * once their checks are in the catalogue.
 */
const MUTANTS = [...OWN, ...IM_CONNECTION_MUTANTS.filter((m) => checksFor(m, CATALOGUE).length > 0)];
/** Examples per property: few, the matrix asks only whether a check can fail (a mutant may ask for more). */
const RUNS = 3;
/** Mutants run at once: most of their time is spent waiting on timeouts, not on the CPU. */
const AT_ONCE = 6;

let reference: TestServer;
beforeAll(async () => { reference = await startTestServer({ logLevel: 'error' }); });
afterAll(async () => { await reference?.close(); });

/** The idle timeout of the reference server that runs the checks which SKIP without one (they are told it). */
const TOLD_IDLE_MS = 1000;

/** Runs `checks` against `server`, or through a mutating proxy without hooks in front of it. */
async function runOn(server: TestServer, protocol: 'im' | 'chat', checks: readonly CheckDefinition[], profile: Partial<TargetProfile>, throughProxy: boolean): Promise<ChecksRun> {
  const port = protocol === 'im' ? server.imPort : server.chatPort;
  if (!throughProxy) return runAgainst({ port, protocol, profile }, checks, { runs: RUNS });
  const target = { host: '127.0.0.1', port };
  const proxy = protocol === 'im'
    ? await startImProxy({ target, layout: 'le', maxBodyBytes: testProfile({ port, protocol }).maxBodyBytes })
    : await startChatProxy({ target });
  try {
    return await runAgainst({ port: proxy.port, protocol, profile }, checks, { runs: RUNS });
  } finally {
    await proxy.close();
  }
}

/**
 * Every check of the catalogue PASSes against the reference server. A check that SKIPs for want of a
 * setting the checks are not told by default (the idle timeout) runs again against a reference server
 * with a short idle timeout, which it is told.
 */
async function expectEveryCheckPasses(throughProxy: boolean): Promise<void> {
  for (const protocol of ['im', 'chat'] as const) {
    const checks = CATALOGUE.filter((c) => protocolOf(c) === protocol);
    const first = await runOn(reference, protocol, checks, {}, throughProxy);
    const skipped = new Set(first.results.filter((r) => r.outcome === 'SKIP').map((r) => r.id));
    let got = outcomes(first);
    let why = explain(first);
    if (skipped.size > 0) {
      const idle = await startTestServer({ logLevel: 'error', idleTimeoutMs: TOLD_IDLE_MS });
      try {
        const again = await runOn(idle, protocol, checks.filter((c) => skipped.has(c.id)), { idleTimeoutMs: TOLD_IDLE_MS }, throughProxy);
        got = { ...got, ...outcomes(again) };
        why = `${why}\n${explain(again)}`;
      } finally {
        await idle.close();
      }
    }
    expect(got, why).toEqual(Object.fromEntries(checks.map((c) => [c.id, 'PASS'])));
  }
}

describe('the mutant matrix [D-MUTANTS]', () => {
  test('the reference server passes every check of the catalogue', () => expectEveryCheckPasses(false), 60_000);

  // Else a mutant could fail a check because of the proxy, not of its bug.
  test('the mutating proxy without hooks changes nothing: the reference server behind it passes every check', () => expectEveryCheckPasses(true), 60_000);

  test('every mutant has checks in its area, and each name is its own', () => {
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    const empty = OWN.filter((m) => checksFor(m, CATALOGUE).length === 0).map((m) => m.name);
    expect(empty, 'mutants whose area holds no check of the catalogue (a check renamed or removed?)').toEqual([]);
  });

  test('every MUST and SHOULD check fails against a mutant, and every mutant fails a check', async () => {
    const matrix: Matrix = await runMatrix(CATALOGUE, MUTANTS, { runs: RUNS, atOnce: AT_ONCE });
    if (process.env.MUTANT_MATRIX_PRINT) {
      console.log(renderMatrix(matrix));
      for (const m of matrix.mutants) console.log(`${m.name}: ${m.durationMs} ms\n${Object.entries(m.evidence).map(([id, e]) => `  ${id} ${e}`).join('\n')}`);
    }
    expect(uncaughtChecks(matrix), `MUST and SHOULD checks no mutant fails (a bug of the suite, or a mutant missing):\n${renderMatrix(matrix)}`).toEqual([]);
    expect(uncaughtMutants(matrix), `mutants no check of their area catches:\n${renderMatrix(matrix)}`).toEqual([]);

    // docs/CONFORMANCE.md keeps the matrix this measured; TALKBENCH_WRITE_MATRIX=1 rewrites it.
    const doc = new URL('../../docs/CONFORMANCE.md', import.meta.url);
    const text = await readFile(doc, 'utf8');
    const fresh = renderMatrixByCheck(matrix);
    if (process.env.TALKBENCH_WRITE_MATRIX) await writeFile(doc, writeSection(text, 'matrix', fresh));
    else expect(readSection(text, 'matrix'), 'the matrix in docs/CONFORMANCE.md is not what the mutants give: rerun with TALKBENCH_WRITE_MATRIX=1').toBe(fresh);
  }, 120_000);
});

// The HTTP and connection-handling IM checks judged both ways [D-MUTANTS]: the reference server
// (with a short idle timeout, which the checks are told) passes every one within a few seconds, and
// every mutant makes a check of its area FAIL or TIMEOUT, naming the requirement, never ERROR (that
// would blame the suite's own bug on the server); the mutants that break one part of a check must
// be caught by that part.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { IM_CONNECTION_CHECKS } from '../checks/im-connections.js';
import { IM_HTTP_CHECKS } from '../checks/im-http.js';
import { explain, outcomes, runAgainst } from './support.js';
import { IM_CONNECTION_MUTANTS } from './mutants/im-connection-mutants.js';
import { checksFor, inPool, notPassing, runMutant, type MutantColumn } from './mutants/matrix.js';

const CHECKS = [...IM_HTTP_CHECKS, ...IM_CONNECTION_CHECKS];
const IDLE_MS = 1000;

/**
 * What the verdict must say for the mutants that break one part of a check (the mid-header and the
 * talking connection of the idle check, the close after a half-close, a buffer in front of the
 * server), so that each part is shown to fail on its own.
 */
const PART_BROKEN: Record<string, [check: string, says: RegExp]> = {
  'im-idle-not-mid-frame': ['im.conn.idle-timeout', /middle of a header/],
  'im-idle-heartbeats-only': ['im.conn.idle-timeout', /every frame resets the idle clock/],
  'im-fin-never-closes': ['im.conn.half-close-replies', /close its side/],
  'im-unbounded-pipe': ['im.conn.slow-reader', /queued them all/],
  'im-http-head-not-looked-up': ['im.http.not-found', /HEAD/],
  'im-http-serves-client-path': ['im.http.no-path-traversal', /etc\/passwd/],
};

const describeColumn = (c: MutantColumn): string =>
  `${c.name}: ${JSON.stringify(c.outcomes)}\n${Object.entries(c.evidence).map(([id, e]) => `  ${id} ${e}`).join('\n')}`;

describe('the IM HTTP and connection checks', () => {
  test('ids are unique, im.http.* and im.conn.*, MUST, and name the requirements they cover', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of CHECKS) {
      expect(check.id).toMatch(/^im\.(http|conn)\.[a-z-]+$/);
      expect(check.level).toBe('MUST');
      expect(check.requirements.length).toBeGreaterThan(0);
    }
  });

  describe('against the reference server', () => {
    let server: TestServer;
    beforeAll(async () => { server = await startTestServer({ logLevel: 'warn', idleTimeoutMs: IDLE_MS }); });
    afterAll(async () => { await server.close(); });

    test('every check passes, each in about 3 s at most', async () => {
      const run = await runAgainst({ port: server.imPort, protocol: 'im', profile: { idleTimeoutMs: IDLE_MS } }, CHECKS);
      expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(CHECKS.map((c) => [c.id, 'PASS'])));
      expect(run.stoppedAfter).toBeNull();
      for (const r of run.results) expect(r.durationMs, r.id).toBeLessThan(r.id === 'im.conn.idle-timeout' ? 1.5 * IDLE_MS + 3000 : 3000);
      // The slow reader was cut off by the bound, not by the idle timeout (its heartbeats kept it).
      expect(server.logs.some((l) => /peer is not reading/.test(l)), server.logs.join('\n')).toBe(true);
    }, 60_000);

    test('downloads go to the profile\'s httpBase when it is set', async () => {
      const checks = CHECKS.filter((c) => c.id.startsWith('im.http.'));
      const run = await runAgainst({ port: server.imPort, protocol: 'im', profile: { httpBase: `http://127.0.0.1:${server.httpPort}/` } }, checks);
      expect(outcomes(run), explain(run)).toEqual(Object.fromEntries(checks.map((c) => [c.id, 'PASS'])));
    });

    test('the idle check is SKIP, saying why, when the idle timeout is not given', async () => {
      const check = CHECKS.filter((c) => c.id === 'im.conn.idle-timeout');
      const run = await runAgainst({ port: server.imPort, protocol: 'im' }, check);
      expect(run.results[0]?.outcome).toBe('SKIP');
      expect(run.results[0]?.message ?? '').toMatch(/--idle-timeout/);
    });
  });

  test('every mutant makes a check of its area fail or time out, naming a requirement of it; every check is caught', async () => {
    const mutants = IM_CONNECTION_MUTANTS;
    expect(new Set(mutants.map((m) => m.name)).size).toBe(mutants.length);
    for (const m of mutants) expect(checksFor(m, CHECKS).length, m.name).toBeGreaterThan(0);
    const columns = await inPool(mutants.map((m) => () => runMutant(m, CHECKS, 3)), 3);
    for (const column of columns) {
      const evidence = describeColumn(column);
      const failing = Object.entries(column.outcomes).filter(([, o]) => notPassing(o));
      expect(failing.length, evidence).toBeGreaterThan(0);
      for (const [id, outcome] of failing) {
        expect(['FAIL', 'TIMEOUT'], evidence).toContain(outcome);
        const requirements = CHECKS.find((c) => c.id === id)!.requirements;
        expect(requirements.some((r) => (column.evidence[id] ?? '').includes(r)), evidence).toBe(true);
      }
      const part = PART_BROKEN[column.name];
      if (part) expect(column.evidence[part[0]] ?? '', evidence).toMatch(part[1]);
    }
    const uncaught = CHECKS.filter((c) => !columns.some((m) => notPassing(m.outcomes[c.id]))).map((c) => c.id);
    expect(uncaught, columns.map(describeColumn).join('\n')).toEqual([]);
  }, 120_000);
});

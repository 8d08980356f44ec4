// The conformance suite as vitest tests, for teams that gate with vitest: one test per check, named by
// its id, run in the suite's order with its preflight and liveness rules (all checks run once, before
// the tests report them). A check that fails the run (a MUST, or a SHOULD with `strict`) fails its
// test with what was expected and what came; one that does not is skipped with its outcome as the
// note. Without a target (`TALKBENCH_TARGET` unset) the suite says so in one skipped test.
//
//   import { conformanceSuite } from 'talkbench/conformance/vitest';
//   conformanceSuite({ protocol: 'im' });   // TALKBENCH_TARGET=127.0.0.1:8999 npx vitest
import { randomInt } from 'node:crypto';
import { beforeAll, describe, test } from 'vitest';
import { parseTargets } from '../../client/target.js';
import { CATALOGUE } from '../catalogue/catalogue.js';
import type { UnansweredReply } from '../catalogue/check.js';
import { liveness, preflight } from '../run/preflight.js';
import { runChecks, type CheckResult } from '../run/run-checks.js';
import { selectChecks } from '../run/select-checks.js';
import { failingChecks } from '../run/suite-verdict.js';

export const TARGET_ENV = 'TALKBENCH_TARGET';

export interface ConformanceSuiteOptions {
  /** host:port; default: the TALKBENCH_TARGET environment variable. */
  target?: string;
  protocol?: 'im' | 'chat';
  layout?: 'le' | 'be';
  only?: string[];
  skip?: string[];
  runs?: number;
  seed?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxLineBytes?: number;
  unanswered?: UnansweredReply[];
  knownFailures?: string[];
  strict?: boolean;
}

export function conformanceSuite(options: ConformanceSuiteOptions = {}): void {
  const target = options.target ?? process.env[TARGET_ENV];
  const protocol = options.protocol ?? 'im';
  if (target === undefined || target === '') {
    describe(`talkbench conformance (${protocol})`, () => {
      test.skip(`${TARGET_ENV} is not set: no target to check (set it to host:port, e.g. ${TARGET_ENV}=127.0.0.1:8999)`, () => undefined);
    });
    return;
  }
  const endpoint = parseTargets(target)[0]!;
  const checks = selectChecks(CATALOGUE, protocol, options.only ?? [], options.skip ?? []);
  const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
  const layout = options.layout ?? 'le';
  const results = new Map<string, CheckResult>();
  let problem: string | null = null;

  describe(`talkbench conformance: ${protocol} ${endpoint.host}:${endpoint.port} (seed ${seed})`, () => {
    beforeAll(async () => {
      const probeOptions = { protocol, layout, timeoutMs: Math.max(options.timeoutMs ?? 2000, 2000) };
      const pre = await preflight(endpoint, probeOptions);
      problem = pre.problem;
      if (problem !== null) return;
      const run = await runChecks(checks, {
        profile: {
          host: endpoint.host, port: endpoint.port, protocol, layout, maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024, maxLineBytes: options.maxLineBytes ?? 4096,
          timeoutMs: Math.max(options.timeoutMs ?? 2000, pre.minimumWaitMs), httpBase: null, idleTimeoutMs: null, unanswered: options.unanswered ?? [],
        },
        settings: { seed, runs: options.runs ?? 25, nonce: randomInt(0, 2 ** 24).toString(16).padStart(6, '0') },
        knownFailures: new Set(options.knownFailures ?? []),
        unanswered: new Set(options.unanswered ?? []),
        liveness: () => liveness(endpoint, probeOptions),
      });
      for (const r of run.results) results.set(r.id, r);
    }, 10 * 60_000);

    for (const check of checks) {
      test(`${check.id} (${check.level})`, (context) => {
        if (problem !== null) throw new Error(`the target is unusable: ${problem}`);
        const r = results.get(check.id)!;
        const said = [r.expected !== null ? `expected ${r.expected}` : '', r.got !== null ? `got ${r.got}` : '', r.message ?? ''].filter(Boolean).join('; ');
        if (failingChecks([r], options.strict ?? false).length > 0) throw new Error(`${r.outcome}${r.stale ? ' (a known failure that passed: remove it from the list)' : ''}: ${said}`);
        if (r.outcome !== 'PASS') context.skip(`${r.outcome}: ${said}`);
      });
    }
  });
}

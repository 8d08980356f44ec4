// Runs checks of the catalogue against a server in the tests: the reference server (which must pass
// every one) or a mutant (which must fail some). Settings as `talkbench conform` defaults them, with
// few examples per property to keep the suite short.
import { probe } from '../../client/target-probe.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { TargetProfile } from '../harness/context.js';
import { runChecks, type ChecksRun } from '../run/run-checks.js';

export interface CheckTarget {
  port: number;
  protocol: 'im' | 'chat';
  profile?: Partial<TargetProfile>;
}

export function testProfile(target: CheckTarget, unanswered: readonly string[] = []): TargetProfile {
  return {
    host: '127.0.0.1', port: target.port, protocol: target.protocol, layout: 'le', maxBodyBytes: 16 * 1024 * 1024, maxLineBytes: 4096,
    timeoutMs: 2000, httpBase: null, idleTimeoutMs: null, unanswered, ...target.profile,
  };
}

export async function runAgainst(target: CheckTarget, checks: readonly CheckDefinition[], options: { runs?: number; seed?: number; unanswered?: string[]; knownFailures?: string[] } = {}): Promise<ChecksRun> {
  const profile = testProfile(target, options.unanswered ?? []);
  return runChecks(checks, {
    profile,
    settings: { seed: options.seed ?? 42, runs: options.runs ?? 5, nonce: Math.random().toString(36).slice(2, 8) },
    knownFailures: new Set(options.knownFailures ?? []),
    unanswered: new Set(options.unanswered ?? []),
    liveness: async () => {
      const outcome = await probe(profile, { protocol: profile.protocol, layout: profile.layout, timeoutMs: 2000 });
      return outcome.kind === 'answered' ? null : `the probe got ${outcome.kind}`;
    },
  });
}

/** A run's outcomes by check id, for `expect(...).toEqual`. */
export function outcomes(run: ChecksRun): Record<string, string> {
  return Object.fromEntries(run.results.map((r) => [r.id, r.outcome]));
}

/** The results that did not pass, with their evidence, for a failing assertion's message. */
export function explain(run: ChecksRun): string {
  return run.results.filter((r) => r.outcome !== 'PASS').map((r) => `${r.id} ${r.outcome}: ${r.expected ?? ''} | ${r.got ?? ''} ${r.message ?? ''}`).join('\n');
}

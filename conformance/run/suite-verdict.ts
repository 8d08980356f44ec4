// How a conformance run ends [D-CONFORM] [D-EXIT]: exit 4 when the target stopped answering part-way;
// 1 when a MUST check (with --strict, a SHOULD too) is FAIL, TIMEOUT or ERROR, when a known failure
// passed (the list is stale), or when no check reached a verdict; else 0. An empty selection (2) and
// an unusable target (3) are decided before any check runs.
import { EXIT, type ExitCode } from '../../util/exit-codes.js';
import type { Level, Outcome } from '../catalogue/check.js';

export interface JudgedCheck {
  id: string;
  level: Level;
  outcome: Outcome;
  /** Listed in --known-failures and passed: the list is out of date. */
  stale: boolean;
}

const NOT_PASSING: readonly Outcome[] = ['FAIL', 'TIMEOUT', 'ERROR'];

/** The checks that fail the run, each with why. */
export function failingChecks(results: readonly JudgedCheck[], strict: boolean): { id: string; why: string }[] {
  const out: { id: string; why: string }[] = [];
  for (const r of results) {
    const gating = r.level === 'MUST' || (strict && r.level === 'SHOULD');
    if (gating && NOT_PASSING.includes(r.outcome)) out.push({ id: r.id, why: `${r.level} check ${r.outcome}` });
    if (r.stale) out.push({ id: r.id, why: 'listed as a known failure but passed: remove it from the list' });
  }
  return out;
}

/** A verdict was reached: the check passed, failed or timed out (SKIP and ERROR say nothing of the server). */
const reachedVerdict = (r: JudgedCheck): boolean => r.outcome === 'PASS' || r.outcome === 'FAIL' || r.outcome === 'TIMEOUT' || r.outcome === 'XFAIL';

export function suiteExitCode(results: readonly JudgedCheck[], options: { strict: boolean; stoppedAfter: string | null }): ExitCode {
  if (options.stoppedAfter !== null) return EXIT.targetFailed;
  if (failingChecks(results, options.strict).length > 0) return EXIT.checkFailed;
  if (!results.some(reachedVerdict)) return EXIT.checkFailed;
  return EXIT.ok;
}

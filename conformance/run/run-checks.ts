// Runs the selected checks one after another against one target [D-CONFORM]. Each check gets its own
// context and transcript, a time budget, and its connections closed when it ends. After a check that
// sent malformed input, or one that did not pass, a liveness probe on a fresh connection tells a
// server that died: that check fails, and every check after it is ERROR naming it, instead of a wall
// of failures that blame the wrong checks. Known failures become XFAIL, and pass as stale.
import type { CheckDefinition, Outcome } from '../catalogue/check.js';
import { CheckContext, type FastCheckFailure, type RunSettings, type SuiteCounters, type TargetProfile } from '../harness/context.js';
import { monoMs } from '../../util/clock.js';
import type { TranscriptEvent } from '../harness/transcript.js';
import { CheckFailed, CheckSkipped, CheckTimedOut } from '../harness/verdicts.js';

export interface CheckResult {
  id: string;
  level: CheckDefinition['level'];
  requirements: readonly string[];
  description: string;
  outcome: Outcome;
  durationMs: number;
  /** FAIL and TIMEOUT: what the protocol asks for, and what came. */
  expected: string | null;
  got: string | null;
  /** ERROR: what went wrong; SKIP: why; INFO: what was found. */
  message: string | null;
  /** Listed in --known-failures. */
  knownFailure: boolean;
  /** Listed and passed. */
  stale: boolean;
  fastCheck: FastCheckFailure | null;
  /** Kept for every check that did not pass (the evidence, and what `replay` resends). */
  transcript: TranscriptEvent[] | null;
}

export interface RunChecksOptions {
  profile: TargetProfile;
  settings: RunSettings;
  knownFailures: ReadonlySet<string>;
  /** Replies the target is known not to send (`--unanswered`). */
  unanswered: ReadonlySet<string>;
  /** Null when the target answers a probe on a fresh connection; else what it did instead. */
  liveness(): Promise<string | null>;
  /** Told of each result as it is reached (the console prints it). */
  onResult?(result: CheckResult): void;
}

export interface ChecksRun {
  results: CheckResult[];
  /** The check after which the target stopped answering, if it did. */
  stoppedAfter: string | null;
  connectionsOpened: number;
}

const DEFAULT_BUDGET_MS = 30_000;

class OverBudget extends Error {}

async function withinBudget(run: Promise<void>, budgetMs: number, onOver: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { onOver(); reject(new OverBudget(`the check did not finish within its ${budgetMs / 1000} s budget`)); }, budgetMs);
  });
  try {
    await Promise.race([run, over]);
  } finally {
    clearTimeout(timer);
  }
}

type Verdict = Pick<CheckResult, 'outcome' | 'expected' | 'got' | 'message'>;

function verdictOf(err: unknown): Verdict {
  if (err instanceof CheckFailed) return { outcome: 'FAIL', expected: err.expected, got: err.got, message: null };
  if (err instanceof CheckTimedOut) return { outcome: 'TIMEOUT', expected: err.expected, got: err.got, message: null };
  if (err instanceof CheckSkipped) return { outcome: 'SKIP', expected: null, got: null, message: err.reason };
  const e = err as Error;
  return { outcome: 'ERROR', expected: null, got: null, message: err instanceof OverBudget ? e.message : `the harness failed: ${e?.message ?? String(err)}` };
}

async function runOne(check: CheckDefinition, options: RunChecksOptions, counters: SuiteCounters): Promise<{ verdict: Verdict; ctx: CheckContext }> {
  const ctx = new CheckContext(options.profile, options.settings, counters);
  if (check.needsReply !== undefined && options.unanswered.has(check.needsReply)) {
    return { verdict: { outcome: 'SKIP', expected: null, got: null, message: `--unanswered ${check.needsReply}: the target is known not to send this reply` }, ctx };
  }
  try {
    await withinBudget(check.run(ctx), check.budgetMs ?? DEFAULT_BUDGET_MS, () => ctx.closeAll());
    return { verdict: { outcome: 'PASS', expected: null, got: null, message: ctx.facts.length > 0 ? ctx.facts.join('; ') : null }, ctx };
  } catch (err) {
    return { verdict: verdictOf(err), ctx };
  } finally {
    ctx.closeAll();
  }
}

export async function runChecks(checks: readonly CheckDefinition[], options: RunChecksOptions): Promise<ChecksRun> {
  const counters: SuiteCounters = { connectionsOpened: 0, namesIssued: 0 };
  const results: CheckResult[] = [];
  let stoppedAfter: string | null = null;
  for (const check of checks) {
    const startMs = monoMs();
    let verdict: Verdict;
    let ctx: CheckContext | null = null;
    if (stoppedAfter !== null) {
      verdict = { outcome: 'ERROR', expected: null, got: null, message: `the target stopped answering after ${stoppedAfter}` };
    } else {
      ({ verdict, ctx } = await runOne(check, options, counters));
      if (check.malformed || verdict.outcome === 'FAIL' || verdict.outcome === 'TIMEOUT' || verdict.outcome === 'ERROR') {
        const dead = await options.liveness();
        if (dead !== null) {
          stoppedAfter = check.id;
          // The server died during this check: that is its verdict, whatever the check itself saw
          // (an ERROR here is a connection refused by a server that is gone, not a bug of the harness).
          if (verdict.outcome === 'PASS' || verdict.outcome === 'SKIP' || verdict.outcome === 'ERROR') {
            const during = verdict.outcome === 'ERROR' ? ` (during the check: ${verdict.message})` : '';
            verdict = { outcome: 'FAIL', expected: 'the target to keep answering during and after this check', got: `${dead}${during}`, message: null };
          }
        }
      }
    }
    const known = options.knownFailures.has(check.id);
    const failed = verdict.outcome === 'FAIL' || verdict.outcome === 'TIMEOUT' || verdict.outcome === 'ERROR';
    const result: CheckResult = {
      id: check.id, level: check.level, requirements: check.requirements, description: check.description,
      ...verdict,
      // A check that never ran (the target had stopped) or that stopped the target is not a known failure.
      outcome: known && failed && ctx !== null && stoppedAfter !== check.id ? 'XFAIL' : verdict.outcome,
      durationMs: Math.round(monoMs() - startMs),
      knownFailure: known,
      stale: known && verdict.outcome === 'PASS',
      fastCheck: ctx?.fastCheck ?? null,
      transcript: ctx !== null && verdict.outcome !== 'PASS' && verdict.outcome !== 'SKIP' ? ctx.transcript.events : null,
    };
    results.push(result);
    options.onResult?.(result);
  }
  return { results, stoppedAfter, connectionsOpened: counters.connectionsOpened };
}

// From what a run saw to its failures, status and exit code [D-EXIT]. Every fact that decides the
// exit is a structured failure of the result (reports/schema/load-result.ts); the status, the exit
// code and the reasons (the same failures in words, for people) follow from the failures alone, so a
// result judged again (the final probe, a merge) is judged the same way.
import { EXIT, worstExit, type ExitCode } from '../../util/exit-codes.js';
import type { LoadConfig } from '../config/load-config.js';
import { FAILURE_CODES } from '../../reports/schema/load-constants.js';
import type { Failure, FailureCode, RunStatus, ThresholdOutcome, WorkerHealth } from '../../reports/schema/load-result.js';

export interface RunFacts {
  /** False for a run that never started (nothing could connect): its thresholds are not judged. */
  started: boolean;
  /** What the run itself saw: an interrupt, targets unusable at the start or failing, parts missing. */
  failures: readonly Failure[];
  workers: readonly WorkerHealth[];
  thresholds: readonly ThresholdOutcome[];
}

export interface Outcome {
  status: RunStatus;
  exitCode: ExitCode;
  failures: Failure[];
  reasons: string[];
}

/** One exit code per failure code [D-EXIT]. */
export const FAILURE_EXIT: Readonly<Record<FailureCode, ExitCode>> = {
  interrupted: EXIT.interrupted,
  'part-missing': EXIT.interrupted,
  unreachable: EXIT.unreachable,
  'target-failed-mid-run': EXIT.targetFailed,
  'target-failed-late': EXIT.targetFailed,
  overloaded: EXIT.overloaded,
  'threshold-crossed': EXIT.thresholdCrossed,
};

const STATUS: Record<number, RunStatus> = {
  [EXIT.ok]: 'passed', [EXIT.interrupted]: 'interrupted', [EXIT.unreachable]: 'unreachable',
  [EXIT.targetFailed]: 'target-failed', [EXIT.overloaded]: 'overloaded', [EXIT.thresholdCrossed]: 'thresholds-crossed',
};

/** How each kind of failure reads among the reasons, before its message. */
const WORDING: Readonly<Record<FailureCode, string>> = {
  interrupted: '',
  'part-missing': '',
  unreachable: '',
  'target-failed-mid-run': 'the target failed mid-run: ',
  'target-failed-late': 'the target failed after the measured time (final probe): ',
  overloaded: 'generator overloaded: ',
  'threshold-crossed': 'threshold crossed: ',
};

/** A failure in words, for the reasons and the summary. */
export function failureReason(failure: Failure): string {
  return `${WORDING[failure.code]}${failure.shard ? `shard ${failure.shard}: ` : ''}${failure.message}`;
}

/**
 * Late starts count in the open model only (a closed-model generator waits on the server by design, so
 * lateness means nothing there); a worker's event-loop delay counts in both: its latencies include it.
 */
export function overloadFailures(config: Pick<LoadConfig, 'scenario' | 'inflight' | 'overload'>, workers: readonly WorkerHealth[]): Failure[] {
  const closed = config.scenario === 'ping' && config.inflight !== null;
  const failures: Failure[] = [];
  const scheduled = workers.reduce((n, w) => n + w.actionsScheduled, 0);
  const late = workers.reduce((n, w) => n + w.lateStarts, 0);
  // [D-OVERLOAD]: a handful of late actions says nothing (one of 69 is 1.4%); it takes both a count and a share.
  const { lateShare, minLateActions, lateStartMs } = config.overload;
  if (!closed && scheduled > 0 && late >= minLateActions && late / scheduled > lateShare) {
    const message = `${late} of ${scheduled} scheduled sends (${((late / scheduled) * 100).toFixed(1)}%) left over ${lateStartMs} ms after their due time (limits: ${minLateActions} sends and ${(lateShare * 100).toFixed(1)}%)`;
    failures.push({ code: 'overloaded', message });
  }
  for (const w of workers) {
    if (w.eventLoopDelay.p99 > config.overload.eventLoopP99Ms) {
      failures.push({ code: 'overloaded', worker: w.worker, message: `worker ${w.worker}: event-loop delay p99 ${w.eventLoopDelay.p99} ms over the ${config.overload.eventLoopP99Ms} ms limit` });
    }
  }
  return failures;
}

function thresholdFailures(thresholds: readonly ThresholdOutcome[]): Failure[] {
  return thresholds.filter((t) => !t.passed).map((t) => ({ code: 'threshold-crossed', threshold: t.threshold, message: `${t.threshold} (${t.note ?? `measured ${t.actual}`})` }));
}

const rank = (f: Failure): number => FAILURE_CODES.indexOf(f.code);
const sameFailure = (a: Failure, b: Failure): boolean =>
  a.code === b.code && a.message === b.message && a.target === b.target && a.shard === b.shard && a.threshold === b.threshold && a.worker === b.worker;

/**
 * The status, exit code and reasons of these failures: in [D-EXIT]'s order of precedence (stable
 * within a code), each fact once (the processes of one run all see the same interrupt).
 */
export function judge(failures: readonly Failure[]): Outcome {
  const distinct = failures.filter((f, i) => failures.findIndex((g) => sameFailure(f, g)) === i);
  const sorted = distinct.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  const exitCode = worstExit(sorted.map((f) => FAILURE_EXIT[f.code]));
  return { status: STATUS[exitCode] ?? 'passed', exitCode, failures: sorted, reasons: sorted.map(failureReason) };
}

export function decideOutcome(config: LoadConfig, facts: RunFacts): Outcome {
  // A run that never started measured nothing: its thresholds cannot hold, and saying so adds nothing.
  const crossed = facts.started ? thresholdFailures(facts.thresholds) : [];
  return judge([...facts.failures, ...overloadFailures(config, facts.workers), ...crossed]);
}

/** What a judged result holds of its outcome (a LoadResult has these four). */
type Judged = Pick<Outcome, 'status' | 'failures' | 'reasons'> & { exitCode: number };

/** A result judged again with more failures: they join the ones it has, and the worst code wins. */
export function withFailures<R extends Judged>(result: R, added: readonly Failure[]): R {
  return { ...result, ...judge([...result.failures, ...added]) };
}

/** A problem one target has, as the probes tell it. */
export interface TargetProblem {
  /** host:port */
  target: string;
  message: string;
}

/**
 * A result judged again after the final probe found targets dead [D-VERDICT]: exit 4 joins the
 * codes (and wins over 5 and 99, as [D-EXIT] orders them).
 */
export function withLateTargetFailure<R extends Judged>(result: R, problems: readonly TargetProblem[]): R {
  return withFailures(result, problems.map((p): Failure => ({ code: 'target-failed-late', target: p.target, message: p.message })));
}

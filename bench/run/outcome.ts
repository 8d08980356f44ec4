// From what a run saw to its status and exit code [D-EXIT].
import { EXIT, worstExit, type ExitCode } from '../../util/exit-codes.js';
import type { LoadConfig } from '../config/load-config.js';
import type { ThresholdOutcome } from '../metrics/thresholds.js';
import type { WorkerHealth } from '../worker/task.js';
import type { RunStatus } from './result.js';

export interface RunFacts {
  interrupted: boolean;
  /** Nothing could connect at the start. */
  unreachable: string | null;
  targetFailure: string | null;
  workers: readonly WorkerHealth[];
  thresholds: readonly ThresholdOutcome[];
}

const STATUS: Record<number, RunStatus> = {
  [EXIT.ok]: 'passed', [EXIT.interrupted]: 'interrupted', [EXIT.unreachable]: 'unreachable',
  [EXIT.targetFailed]: 'target-failed', [EXIT.overloaded]: 'overloaded', [EXIT.thresholdCrossed]: 'thresholds-crossed',
};

/**
 * Late starts count in the open model only (a closed-model generator waits on the server by design, so
 * lateness means nothing there); a worker's event-loop delay counts in both: its latencies include it.
 */
export function overloadReasons(config: Pick<LoadConfig, 'scenario' | 'inflight' | 'overload'>, workers: readonly WorkerHealth[]): string[] {
  const closed = config.scenario === 'ping' && config.inflight !== null;
  const reasons: string[] = [];
  const scheduled = workers.reduce((n, w) => n + w.actionsScheduled, 0);
  const late = workers.reduce((n, w) => n + w.lateStarts, 0);
  // [D-OVERLOAD]: a handful of late actions says nothing (one of 69 is 1.4%); it takes both a count and a share.
  const { lateShare, minLateActions, lateStartMs } = config.overload;
  if (!closed && scheduled > 0 && late >= minLateActions && late / scheduled > lateShare) {
    reasons.push(`${late} of ${scheduled} actions (${((late / scheduled) * 100).toFixed(1)}%) started over ${lateStartMs} ms late (limits: ${minLateActions} actions and ${(lateShare * 100).toFixed(1)}%)`);
  }
  for (const w of workers) {
    if (w.eventLoopDelay.p99 > config.overload.eventLoopP99Ms) {
      reasons.push(`worker ${w.worker}: event-loop delay p99 ${w.eventLoopDelay.p99} ms over the ${config.overload.eventLoopP99Ms} ms limit`);
    }
  }
  return reasons;
}

/**
 * How a target failure is worded in a result's reasons, mid-run and found by the final probe. merge
 * reads a part's failures back from these (until results record failures as fields, issue 11).
 */
export const MID_RUN_FAILURE = 'the target failed mid-run: ';
export const LATE_FAILURE = 'the target failed after the measured time (final probe): ';

export function decideOutcome(config: LoadConfig, facts: RunFacts): { status: RunStatus; exitCode: ExitCode; reasons: string[] } {
  const codes: ExitCode[] = [];
  const reasons: string[] = [];
  if (facts.interrupted) { codes.push(EXIT.interrupted); reasons.push('interrupted by a signal'); }
  if (facts.unreachable) { codes.push(EXIT.unreachable); reasons.push(facts.unreachable); }
  if (facts.targetFailure) { codes.push(EXIT.targetFailed); reasons.push(`${MID_RUN_FAILURE}${facts.targetFailure}`); }
  const overload = overloadReasons(config, facts.workers);
  if (overload.length > 0) { codes.push(EXIT.overloaded); reasons.push(...overload.map((r) => `generator overloaded: ${r}`)); }
  // A run that never started measured nothing: its thresholds cannot hold, and saying so adds nothing.
  const crossed = facts.unreachable ? [] : facts.thresholds.filter((t) => !t.passed);
  if (crossed.length > 0) { codes.push(EXIT.thresholdCrossed); reasons.push(...crossed.map((t) => `threshold crossed: ${t.threshold} (${t.note ?? `measured ${t.actual}`})`)); }
  const exitCode = worstExit(codes);
  return { status: STATUS[exitCode] ?? 'passed', exitCode, reasons };
}

/**
 * A result judged again after the final probe found the target dead [D-VERDICT]: exit 4 joins the
 * codes (and wins over 5 and 99, as [D-EXIT] orders them).
 */
export function withLateTargetFailure<R extends { status: RunStatus; exitCode: number; reasons: string[] }>(result: R, problem: string): R {
  const exitCode = worstExit([result.exitCode as ExitCode, EXIT.targetFailed]);
  return { ...result, exitCode, status: STATUS[exitCode] ?? result.status, reasons: [...result.reasons, `${LATE_FAILURE}${problem}`] };
}

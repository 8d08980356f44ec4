// `talkbench merge`: the results of the shards of one load run (`load --shard i/N`) made into one, exactly:
// histograms added, counters summed, time series added second by second; then the metrics, thresholds
// and outcome decided again on the whole, as if one process had run it [D-LOAD] [D-RESULT].
// Pure: results in, a result out; reading files and printing live in cli/merge-command.ts.
import { UsageError } from '../../util/errors.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LoadConfig } from '../config/load-config.js';
import { deriveMetrics } from '../metrics/derive.js';
import { evaluateThresholds, type Threshold } from '../metrics/thresholds.js';
import { combineSnapshots, combineTimeSeries } from './combine.js';
import { LATE_FAILURE, MID_RUN_FAILURE, decideOutcome } from './outcome.js';
import { LOAD_SCHEMA_VERSION, type LoadResult } from './result.js';

export type MergeErrorCode = 'BAD_RESULT_FILE' | 'MISMATCHED_RUNS' | 'DUPLICATE_SHARD' | 'NOTHING_TO_MERGE';

/** Every MergeError is a usage error (exit 2) [D-EXIT]: the inputs cannot make one run. */
export class MergeError extends UsageError {
  declare readonly code: MergeErrorCode;
  constructor(code: MergeErrorCode, message: string) {
    super(message, code);
  }
}

/** What makes results parts of the same run: the users a shard simulates follow from these. */
export const SAME_RUN_FIELDS = ['scenario', 'protocol', 'users', 'durationMs', 'seed', 'groupSize'] as const;

// Only what merging reads is checked: a file that passes can be merged without a TypeError, and a
// file that does not gets a message naming the field instead of a stack trace.
const count = z.number().int().nonnegative();
const tally = z.record(z.string(), count);
const encodedOp = z.object({
  sent: z.number().int(), ok: count, failed: count, timeouts: count, unanswered: count,
  failedBy: tally, failureSamples: z.record(z.string(), z.array(z.string())),
  span: z.object({ firstMs: z.number(), lastMs: z.number() }).nullable(),
  corrected: z.string(), uncorrected: z.string(),
});
const intervalOp = z.object({ sent: z.number().int(), ok: count, failed: count, timeouts: count, unanswered: count, histogram: z.string() });
const resultShape = z.object({
  runId: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  environment: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
  finishedAt: z.string(),
  config: z.object({
    scenario: z.enum(['users', 'ping']), targets: z.array(z.object({ host: z.string(), port: z.number() })), protocol: z.enum(['im', 'chat']), users: count, durationMs: z.number(),
    seed: z.string(), groupSize: count, inflight: z.number().nullable(), workers: count, processes: count,
    overload: z.object({ lateStartMs: z.number(), lateShare: z.number(), minLateActions: z.number(), eventLoopP99Ms: z.number() }),
    shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }),
  }),
  targetScryptCost: z.number().nullable(),
  measuredMs: z.number().nonnegative(),
  status: z.enum(['passed', 'thresholds-crossed', 'interrupted', 'target-failed', 'overloaded', 'unreachable']),
  reasons: z.array(z.string()),
  ops: z.record(z.string(), encodedOp),
  delivery: z.record(z.string(), z.object({ delivered: count, lost: count, duplicated: count, reordered: count, corrupted: count })),
  disconnects: tally,
  unexpectedFrames: tally,
  notices: tally,
  badLines: tally,
  usersFailed: tally,
  downloadBytes: count,
  timeSeries: z.array(z.object({ second: z.number().int(), ops: z.record(z.string(), intervalOp) })),
  generator: z.object({
    workers: z.array(z.object({
      worker: z.number().int(), eventLoopDelay: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
      utilization: z.number(), actionsScheduled: count, lateStarts: count,
    })),
    cpu: z.object({ userMs: z.number(), systemMs: z.number(), wallMs: z.number() }),
    peakRssBytes: z.number(), actionsScheduled: count, lateStarts: count,
  }),
  shards: z.array(z.object({ runId: z.string(), shard: z.string() })),
});

/** Checks that a parsed JSON value is a load result this code can merge; `source` names it in errors. */
export function checkLoadResult(value: unknown, source: string): LoadResult {
  const bad = (what: string): MergeError => new MergeError('BAD_RESULT_FILE', `${source}: ${what}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a talkbench result (a JSON object with "kind" and "schemaVersion")');
  const { kind, schemaVersion } = value as { kind?: unknown; schemaVersion?: unknown };
  if (kind === undefined) throw bad('has no "kind": not a talkbench result file');
  if (kind !== 'load') throw bad(`is a ${JSON.stringify(kind)} result; merge takes the results of load --out`);
  if (schemaVersion !== LOAD_SCHEMA_VERSION) {
    throw bad(`has schemaVersion ${JSON.stringify(schemaVersion)}; this talkbench reads load results of version ${LOAD_SCHEMA_VERSION} (written by another talkbench version?)`);
  }
  const parsed = resultShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw bad(`is not a valid load result: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const { index, count: shards } = parsed.data.config.shard;
  if (index > shards) throw bad(`is not a valid load result: config.shard is ${index}/${shards}`);
  return value as LoadResult;
}

const shardName = (r: LoadResult): string => `${r.config.shard.index}/${r.config.shard.count}`;

/** Refuses inputs that are not distinct shards of one run (exit 2, saying which and why). */
function checkParts(parts: readonly LoadResult[], names: readonly string[]): void {
  if (parts.length === 0) throw new MergeError('NOTHING_TO_MERGE', 'no result to merge: give the result files of the shards');
  parts.forEach((part, i) => {
    // A merge's config no longer says which shard it was, so merging it again could count users twice.
    if (part.shards.length > 0) {
      throw new MergeError('MISMATCHED_RUNS', `${names[i]} is already a merge of ${part.shards.length} shard(s) (${part.shards.map((s) => s.shard).join(', ')}): merge the shard files themselves`);
    }
  });
  const first = parts[0]!;
  parts.forEach((part, i) => {
    for (const field of SAME_RUN_FIELDS) {
      if (part.config[field] !== first.config[field]) {
        throw new MergeError('MISMATCHED_RUNS', `${names[i]} and ${names[0]} differ in ${field} (${JSON.stringify(part.config[field])} vs ${JSON.stringify(first.config[field])}): the shards of one run share ${SAME_RUN_FIELDS.join(', ')}`);
      }
    }
    if (part.config.shard.count !== first.config.shard.count) {
      throw new MergeError('MISMATCHED_RUNS', `${names[i]} is shard ${shardName(part)} but ${names[0]} is shard ${shardName(first)}: the parts must come from one run split into the same number of shards`);
    }
  });
  const seen = new Map<number, number>();
  parts.forEach((part, i) => {
    const earlier = seen.get(part.config.shard.index);
    if (earlier !== undefined) {
      throw new MergeError('DUPLICATE_SHARD', `${names[earlier]} and ${names[i]} are both shard ${shardName(part)} (runs ${parts[earlier]!.runId} and ${part.runId}): each shard may be merged once`);
    }
    seen.set(part.config.shard.index, i);
  });
}

/** Shards of the run that are not among the parts, as "i/N" (a partial merge covers fewer users). */
export function missingShards(parts: readonly LoadResult[]): string[] {
  const total = parts[0]?.config.shard.count ?? 0;
  const present = new Set(parts.map((p) => p.config.shard.index));
  return Array.from({ length: total }, (_, i) => i + 1).filter((i) => !present.has(i)).map((i) => `${i}/${total}`);
}

/** Milliseconds between the first and the last shard's start: their seconds line up only when this is small. */
export function startSpreadMs(parts: readonly LoadResult[]): number {
  const starts = parts.map((p) => Date.parse(p.startedAt)).filter((t) => Number.isFinite(t));
  return starts.length > 0 ? Math.max(...starts) - Math.min(...starts) : 0;
}

// A part's status may hide a target failure (an interrupted run that also saw the target fail is
// 'interrupted'), so its reasons are where to find it: mid-run, or by the final probe after the run.
const TARGET_FAILED = [MID_RUN_FAILURE, LATE_FAILURE];

function targetFailures(parts: readonly LoadResult[], label: (p: LoadResult) => string): string | null {
  const found: string[] = [];
  const allUnreachable = parts.every((p) => p.status === 'unreachable');
  for (const part of parts) {
    for (const reason of part.reasons) {
      const prefix = TARGET_FAILED.find((p) => reason.startsWith(p));
      if (prefix) found.push(`${label(part)}: ${reason.slice(prefix.length)}`);
    }
    // One part that could not connect while others could: the target failed that part's users, and
    // the whole covers only some of the run, so it must not pass.
    if (part.status === 'unreachable' && !allUnreachable) found.push(`${label(part)} could not connect: ${part.reasons[0] ?? 'unreachable'}`);
  }
  return found.length > 0 ? found.join('; ') : null;
}

/**
 * Adds parts that ran side by side into one result, judged by `config` (its thresholds and overload
 * limits). Shared by `merge` (shards, maybe on several machines) and --processes (slices of a shard).
 */
function combineResults(parts: readonly LoadResult[], config: LoadConfig, label: (p: LoadResult) => string): Omit<LoadResult, 'runId' | 'shards'> {
  const first = parts[0]!;
  const measured = combineSnapshots(parts);
  // The parts ran at the same time: the run lasted as long as the longest, and rates are per second of that.
  const measuredMs = Math.max(...parts.map((p) => p.measuredMs));
  const metrics = deriveMetrics(measured, measuredMs);
  const thresholds = evaluateThresholds(config.thresholds, metrics);

  // Renumbered across parts so that "worker 3" in an overload reason names one worker, not one per part.
  const workers = parts.flatMap((p) => p.generator.workers).map((w, i) => ({ ...w, worker: i }));
  const allUnreachable = parts.every((p) => p.status === 'unreachable');
  const outcome = decideOutcome(config, {
    interrupted: parts.some((p) => p.status === 'interrupted'),
    unreachable: allUnreachable ? [...new Set(parts.map((p) => p.reasons[0] ?? 'unreachable'))].join('; ') : null,
    targetFailure: targetFailures(parts, label),
    workers,
    thresholds,
  });

  const costs = new Set(parts.map((p) => p.targetScryptCost));
  const sum = (pick: (p: LoadResult) => number): number => parts.reduce((n, p) => n + pick(p), 0);
  return {
    kind: 'load',
    schemaVersion: LOAD_SCHEMA_VERSION,
    tool: first.tool,
    startedAt: parts.map((p) => p.startedAt).sort()[0]!,
    finishedAt: parts.map((p) => p.finishedAt).sort().at(-1)!,
    config: { ...config, thresholds: config.thresholds.map((t) => t.source) },
    // The first part's machine: shards on other machines keep their own description in their files.
    environment: first.environment,
    targetScryptCost: costs.size === 1 ? first.targetScryptCost : null,
    measuredMs,
    status: outcome.status,
    exitCode: outcome.exitCode,
    reasons: outcome.reasons,
    ...measured,
    metrics,
    timeSeries: combineTimeSeries(parts.map((p) => p.timeSeries)),
    generator: {
      workers,
      // CPU time adds up; wall time does not (the parts ran at the same time), so the summary's
      // "CPU n cores" is what all the generators used together.
      cpu: { userMs: sum((p) => p.generator.cpu.userMs), systemMs: sum((p) => p.generator.cpu.systemMs), wallMs: Math.max(...parts.map((p) => p.generator.cpu.wallMs)) },
      peakRssBytes: Math.max(...parts.map((p) => p.generator.peakRssBytes)),
      actionsScheduled: sum((p) => p.generator.actionsScheduled),
      lateStarts: sum((p) => p.generator.lateStarts),
      overloaded: outcome.status === 'overloaded',
    },
    thresholds,
  };
}

export interface MergeOptions {
  /** The merge's own --threshold flags, parsed; the shards' thresholds are not carried over. */
  thresholds: readonly Threshold[];
  /** How to name each part in errors (file names); defaults to its runId. */
  names?: readonly string[];
}

/** `talkbench merge`: the shards of one run into one result for the whole run. */
export function mergeLoadResults(inputs: readonly LoadResult[], options: MergeOptions): LoadResult {
  checkParts(inputs, options.names ?? inputs.map((r) => `run ${r.runId}`));
  // In shard order, whatever the order of the arguments, so the same shards always merge the same.
  const parts = [...inputs].sort((a, b) => a.config.shard.index - b.config.shard.index);
  const first = parts[0]!;
  const config: LoadConfig = {
    ...first.config,
    thresholds: [...options.thresholds],
    // The merge stands for the whole run; `shards` says what it was made of.
    shard: { index: 1, count: 1 },
    workers: parts.reduce((n, p) => n + p.config.workers, 0),
    processes: parts.reduce((n, p) => n + p.config.processes, 0),
  };
  return {
    // Derived from the parts, so merging the same shards twice gives the same id (and the function stays pure).
    runId: `${first.startedAt.replace(/[-:T]/g, '').slice(0, 14)}-merged-${createHash('sha256').update(parts.map((p) => p.runId).join('\n')).digest('hex').slice(0, 8)}`,
    ...combineResults(parts, config, (p) => `shard ${shardName(p)}`),
    shards: parts.map((p) => ({ runId: p.runId, shard: shardName(p) })),
  };
}

/**
 * --processes N: the results of the generator processes of one shard (config.slice i/N each) into the
 * shard's result, as one process would have written it: `config` is the shard's, with its thresholds.
 */
export function mergeProcessResults(inputs: readonly LoadResult[], config: LoadConfig): LoadResult {
  if (inputs.length === 0) throw new MergeError('NOTHING_TO_MERGE', 'no generator process returned a result');
  const parts = [...inputs].sort((a, b) => a.config.slice.index - b.config.slice.index);
  return {
    runId: parts[0]!.runId,
    ...combineResults(parts, config, (p) => `process ${p.config.slice.index}`),
    shards: [],
  };
}

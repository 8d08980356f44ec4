// `talkbench merge`: the results of the shards of one load run (`load --shard i/N`) made into one, exactly:
// histograms added, counters summed, time series added second by second; then the metrics, thresholds
// and outcome decided again on the whole, as if one process had run it [D-LOAD] [D-RESULT]. Each
// part's failures are read as data (never from its reasons), and each shard keeps a summary of its
// own. Pure: results in, a result out; reading files and printing live in cli/merge-command.ts.
import { UsageError } from '../../util/errors.js';
import { createHash } from 'node:crypto';
import type { LoadConfig } from '../config/load-config.js';
import { decodeHistogram, summarize } from '../../reports/schema/histogram.js';
import { readLoadResult, ResultFileError } from '../../reports/schema/read-result.js';
import type { Failure, LatencyFigures, ShardSummary } from '../../reports/schema/load-result.js';
import { errorCount } from '../metrics/derive.js';
import type { Threshold } from '../metrics/thresholds.js';
import { combineSnapshots, combineTimeSeries } from './combine.js';
import { assembleResult, targetName, type LoadResult } from './result.js';

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

/**
 * A part to merge, from its file's text (or parsed JSON): any readable version, brought up to the
 * current one (reports/schema/read-result.ts); what is wrong with it is a usage error, exit 2.
 */
export function readPart(input: unknown, fileName: string): LoadResult {
  try {
    return readLoadResult(input, fileName);
  } catch (err) {
    if (err instanceof ResultFileError) throw new MergeError('BAD_RESULT_FILE', err.message);
    throw err;
  }
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

/** What a part saw that the whole run saw too; overload and thresholds are judged again on the whole. */
const CARRIED: ReadonlySet<Failure['code']> = new Set(['interrupted', 'part-missing', 'unreachable', 'target-failed-mid-run', 'target-failed-late']);

const neverStarted = (p: LoadResult): boolean => p.failures.some((f) => f.code === 'unreachable');

/**
 * The parts' own failures as the whole run's, each marked with its shard (`shard` given). A part's
 * status may hide a target failure (an interrupted run that also saw its target fail is
 * 'interrupted'): its failures do not.
 */
function carriedFailures(parts: readonly LoadResult[], shard: ((p: LoadResult) => string) | null): Failure[] {
  const allUnreachable = parts.every(neverStarted);
  return parts.flatMap((part) => part.failures.filter((f) => CARRIED.has(f.code)).map((f): Failure => {
    const from = shard ? { ...f, shard: shard(part) } : f;
    // One part that could not connect while others could: the target failed that part's users, and
    // the whole covers only some of the run, so it must not pass.
    return f.code === 'unreachable' && !allUnreachable ? { ...from, code: 'target-failed-mid-run', message: `could not connect: ${f.message}` } : from;
  }));
}

/**
 * Adds parts that ran side by side into one result, judged by `config` (its thresholds and overload
 * limits). Shared by `merge` (shards, maybe on several machines) and --processes (slices of a shard).
 */
function combineResults(parts: readonly LoadResult[], config: LoadConfig, shard: ((p: LoadResult) => string) | null, runId: string, shards: ShardSummary[]): LoadResult {
  const first = parts[0]!;
  const costs = new Set(parts.map((p) => p.targetScryptCost));
  const sum = (pick: (p: LoadResult) => number): number => parts.reduce((n, p) => n + pick(p), 0);
  return assembleResult({
    runId,
    version: first.tool.version,
    startedAt: parts.map((p) => p.startedAt).sort()[0]!,
    finishedAt: parts.map((p) => p.finishedAt).sort().at(-1)!,
    config,
    // The first part's machine: shards on other machines keep their own description in their files.
    environment: first.environment,
    targetScryptCost: costs.size === 1 ? first.targetScryptCost : null,
    // The parts ran at the same time: the run lasted as long as the longest, and rates are per second of that.
    measuredMs: Math.max(...parts.map((p) => p.measuredMs)),
    measured: combineSnapshots(parts),
    timeSeries: combineTimeSeries(parts.map((p) => p.timeSeries)),
    // Renumbered across parts so that "worker 3" in an overload reason names one worker, not one per part.
    workers: parts.flatMap((p) => p.generator.workers).map((w, i) => ({ ...w, worker: i })),
    // CPU time adds up; wall time does not (the parts ran at the same time), so the summary's
    // "CPU n cores" is what all the generators used together.
    cpu: { userMs: sum((p) => p.generator.cpu.userMs), systemMs: sum((p) => p.generator.cpu.systemMs), wallMs: Math.max(...parts.map((p) => p.generator.cpu.wallMs)) },
    peakRssBytes: Math.max(...parts.map((p) => p.generator.peakRssBytes)),
    started: !parts.every(neverStarted),
    failures: carriedFailures(parts, shard),
    shards,
  });
}

function latencyFigures(encoded: string): LatencyFigures | null {
  const histogram = decodeHistogram(encoded);
  const { count, ...figures } = summarize(histogram);
  histogram.destroy();
  return count > 0 ? figures : null;
}

/** A shard on its own, beside the others: its targets, outcome, counts and percentiles per operation. */
export function shardSummary(part: LoadResult): ShardSummary {
  const ops: NonNullable<ShardSummary['summary']>['ops'] = {};
  for (const [name, op] of Object.entries(part.ops)) {
    ops[name] = { sent: op.sent, ok: op.ok, failed: op.failed, timeouts: op.timeouts, unanswered: op.unanswered, latency: latencyFigures(op.corrected) };
  }
  return {
    runId: part.runId,
    shard: shardName(part),
    summary: {
      targets: part.config.targets.map(targetName),
      startedAt: part.startedAt,
      measuredMs: part.measuredMs,
      status: part.status,
      exitCode: part.exitCode,
      errors: errorCount(part).errors,
      ops,
      delivery: structuredClone(part.delivery),
    },
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
  // Derived from the parts, so merging the same shards twice gives the same id (and the function stays pure).
  const runId = `${first.startedAt.replace(/[-:T]/g, '').slice(0, 14)}-merged-${createHash('sha256').update(parts.map((p) => p.runId).join('\n')).digest('hex').slice(0, 8)}`;
  return combineResults(parts, config, shardName, runId, parts.map(shardSummary));
}

/**
 * --processes N: the results of the generator processes of one shard (config.slice i/N each) into the
 * shard's result, as one process would have written it: `config` is the shard's, with its thresholds.
 */
export function mergeProcessResults(inputs: readonly LoadResult[], config: LoadConfig): LoadResult {
  if (inputs.length === 0) throw new MergeError('NOTHING_TO_MERGE', 'no generator process returned a result');
  const parts = [...inputs].sort((a, b) => a.config.slice.index - b.config.slice.index);
  // The processes of one shard all target its targets and see the same interrupt: the same failure
  // seen by several is one (judge keeps each once), and no part needs naming.
  return combineResults(parts, config, null, parts[0]!.runId, []);
}

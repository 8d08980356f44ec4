// `talkbench merge`: one result from the shards of a load run (`load --shard i/N --out ...`), merged
// exactly, with thresholds checked on the whole [D-LOAD]. Exit codes follow [D-EXIT]: 2 for a bad flag
// or file, else the merged result's own code.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { initHistograms } from '../reports/schema/histogram.js';
import { parseThreshold, withDefaultThreshold, type Threshold } from '../bench/metrics/thresholds.js';
import { MergeError, mergeLoadResults, missingShards, readPart, startSpreadMs } from '../bench/run/merge.js';
import type { LoadResult } from '../bench/run/result.js';
import { formatSummary } from '../reports/render/load-summary.js';
import { EXIT } from '../util/exit-codes.js';
import { UsageError } from '../util/errors.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Above this, the shards' second k were not the same second of the run, and the time series blurs. */
const START_SPREAD_WARN_MS = 2000;

export function mergeCommand(): Command {
  return new Command('merge')
    .description('merge the results of the shards of one load run (load --shard i/N --out FILE) into one')
    .argument('<files...>', 'result files written by load --out, one per shard')
    .option('--out <file>', 'write the merged result (JSON) here')
    .option('--threshold <expr>', "fail the merge (exit 99) unless it holds on the whole run, e.g. 'chat.e2e.p99<50ms' (repeatable); one on errors or errors.ratio replaces the default errors==0", collect, [] as string[])
    .option('--no-default-thresholds', 'drop the default threshold errors==0, as on load')
    .action(async (files: string[], flags: Record<string, unknown>) => {
      process.exitCode = await runMergeCommand(files, flags);
    });
}

/** A shard's result file, of any schema version this talkbench reads [D-SCHEMA]. */
async function readResult(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new MergeError('BAD_RESULT_FILE', `cannot read ${file}: ${why}`);
  }
  return readPart(text, file);
}

async function runMergeCommand(files: string[], flags: Record<string, unknown>): Promise<number> {
  const fail = (message: string): number => {
    process.stderr.write(`talkbench merge: ${message}\n`);
    return EXIT.usage;
  };
  // Thresholds first: a typo exits 2 whatever the files hold [D-METRICS].
  let thresholds: Threshold[];
  try {
    // The whole run is judged as one load run would be [D-VERDICT]: errors==0 unless told otherwise.
    thresholds = withDefaultThreshold((flags.threshold as string[]).map(parseThreshold), flags.defaultThresholds !== false);
  } catch (err) {
    // A malformed threshold is the user's to fix; anything else is a bug (exit 70, cli/main.ts).
    if (!(err instanceof UsageError)) throw err;
    return fail(err.message);
  }
  await initHistograms();
  let merged: LoadResult;
  let parts: LoadResult[];
  try {
    parts = [];
    for (const file of files) parts.push(await readResult(file));
    merged = mergeLoadResults(parts, { thresholds, names: files });
  } catch (err) {
    if (err instanceof MergeError) return fail(err.message);
    throw err;
  }

  const missing = missingShards(parts);
  if (missing.length > 0) {
    process.stderr.write(`talkbench merge: warning: shard(s) ${missing.join(', ')} missing; the merged result covers only part of the ${merged.config.users} users\n`);
  }
  const spread = startSpreadMs(parts);
  if (spread > START_SPREAD_WARN_MS) {
    process.stderr.write(`talkbench merge: warning: the shards started up to ${(spread / 1000).toFixed(1)} s apart; their per-second time series are added second by second as if they had started together\n`);
  }

  if (flags.out) {
    const out = flags.out as string;
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(merged, null, 1) + '\n');
  }
  process.stdout.write(`merged ${merged.shards.length} shard(s): ${merged.shards.map((s) => `${s.shard} (${s.runId})`).join(', ')}\n`);
  process.stdout.write(formatSummary(merged) + '\n');
  if (flags.out) process.stdout.write(`result written to ${flags.out as string}\n`);
  return merged.exitCode;
}

// Older load results, brought up to the current schema version one step at a time [D-SCHEMA]: a
// baseline kept in CI survives an upgrade of talkbench. Each step checks its input against the schema
// of the version it reads (so a broken old file names its own field) and returns the next version.
// Adding version 5: freeze version 4's schema beside the older ones below, add a step { from: 4 }.
import { z } from 'zod';
import { intervalOpSchema, loadResultSchema, LOAD_SCHEMA_VERSION, type Failure, type LoadResult, type SecondSample } from './load-result.js';

/**
 * Version 3, as written before the generator measured its send lag: version 4 without `lag` (which
 * version 4 makes optional, so the shapes are otherwise the same) and with late starts counted per
 * scheduled action rather than per send.
 */
export const loadResultV3Schema = loadResultSchema.extend({ schemaVersion: z.literal(3) });
type LoadResultV3 = z.infer<typeof loadResultV3Schema>;

/**
 * Version 2, as written by talkbench before results recorded failures as fields: the same as
 * version 3 but for the three parts below (nothing else changed between them).
 */
export const loadResultV2Schema = loadResultSchema.omit({ schemaVersion: true, failures: true, timeSeries: true, shards: true }).extend({
  schemaVersion: z.literal(2),
  timeSeries: z.array(z.object({ second: z.number().int().positive(), ops: z.record(z.string(), intervalOpSchema) })),
  shards: z.array(z.object({ runId: z.string(), shard: z.string().regex(/^\d+\/\d+$/, 'expected i/N') })),
});
export type LoadResultV2 = z.infer<typeof loadResultV2Schema>;

export interface Migration {
  from: number;
  /** Its input, checked before `migrate` sees it. */
  schema: z.ZodType;
  migrate(value: unknown): unknown;
}

/** A step whose `migrate` gets what its schema parsed, typed. */
function step<S extends z.ZodType>(from: number, schema: S, migrate: (value: z.infer<S>) => unknown): Migration {
  return { from, schema, migrate: (value) => migrate(value as z.infer<S>) };
}

/**
 * How version 2 worded its reasons (bench/run/outcome.ts and processes.ts of that version): the only
 * record a version-2 file keeps of why it failed. Frozen here; nothing else reads reasons back.
 */
const V2_WORDING: readonly { test: (reason: string) => string | null; code: Failure['code'] }[] = [
  { test: (r) => (r === 'interrupted by a signal' ? r : null), code: 'interrupted' },
  { test: (r) => (/^generator process \d+ of \d+ ended without its result/.test(r) ? r : null), code: 'part-missing' },
  { test: after('the target failed mid-run: '), code: 'target-failed-mid-run' },
  { test: after('the target failed after the measured time (final probe): '), code: 'target-failed-late' },
  { test: after('generator overloaded: '), code: 'overloaded' },
  { test: after('threshold crossed: '), code: 'threshold-crossed' },
];

function after(prefix: string): (reason: string) => string | null {
  return (reason) => (reason.startsWith(prefix) ? reason.slice(prefix.length) : null);
}

/**
 * A version-2 run's reasons as failures. Any other reason is what made the run unreachable (the
 * preflight's words, or "no connection to the target could be opened"). The target is named as data
 * only when the run had one target and was not a merge (a merge's config lists its first shard's).
 */
export function failuresOfV2(result: LoadResultV2): Failure[] {
  const only = result.config.targets.length === 1 && result.shards.length === 0 ? result.config.targets[0]! : null;
  const target = only ? { target: `${only.host}:${only.port}` } : {};
  return result.reasons.map((reason): Failure => {
    for (const wording of V2_WORDING) {
      const message = wording.test(reason);
      if (message === null) continue;
      if (wording.code === 'threshold-crossed') {
        const crossed = result.thresholds.find((t) => !t.passed && message.startsWith(`${t.threshold} (`));
        return { code: wording.code, ...(crossed ? { threshold: crossed.threshold } : {}), message };
      }
      const concernsTarget = wording.code === 'target-failed-mid-run' || wording.code === 'target-failed-late';
      return { code: wording.code, ...(concernsTarget ? target : {}), message };
    }
    return { code: 'unreachable', ...target, message: reason };
  });
}

/** Version 2 kept only the measured seconds; a merge kept only each shard's runId and position. */
function v2ToV3(result: LoadResultV2): LoadResultV3 {
  const { timeSeries, shards, ...rest } = result;
  return {
    ...rest,
    schemaVersion: 3,
    failures: failuresOfV2(result),
    timeSeries: timeSeries.map((s): SecondSample => ({ second: s.second, phase: 'measured', ops: s.ops })),
    shards: shards.map((s) => ({ ...s, summary: null })),
  };
}

/** Step by step from the oldest readable version; the last step's output is the current version. */
export const MIGRATIONS: readonly Migration[] = [
  step(2, loadResultV2Schema, v2ToV3),
  // Its operations have no lag histogram: they stay without one (unknown), never an empty one (zero).
  step(3, loadResultV3Schema, (result): LoadResult => ({ ...result, schemaVersion: LOAD_SCHEMA_VERSION })),
];

export const OLDEST_READABLE_VERSION = Math.min(...MIGRATIONS.map((m) => m.from), LOAD_SCHEMA_VERSION);

/**
 * Versions that cannot be brought up faithfully, and why. Version 1 recorded neither `unanswered`
 * nor spans, failure samples, unexpected frames, notices, bad lines or users given up on: making its
 * counts add up as later versions require would mean inventing them.
 */
export const UNREADABLE_VERSIONS: Readonly<Record<number, string>> = {
  1: 'the first talkbench load recorded no unanswered requests, spans of setup operations, failure samples, '
    + 'unexpected frames, notices, bad lines or users given up on, so its counts cannot be made to add up '
    + '(sent = ok + failed + timeouts + unanswered) without inventing them: run the load again with this talkbench',
};

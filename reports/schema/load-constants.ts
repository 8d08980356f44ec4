// The plain values of the load result's schema (its version, phases, statuses, failure codes), apart
// from the zod schema (load-result.ts) so that a generator process, which writes none of it through
// zod, does not load zod (about 15 MiB of memory and 90 ms of start-up per process, measured).

/**
 * 4: each operation's send-lag histogram (`ops.<op>.lag`), and late starts read from it [D-OVERLOAD].
 * 3: failures as structured entries (`failures`), every second of every phase in the time series
 * (each marked with its phase), a summary of each shard of a merge. 2 and 3 are read through
 * migrations (migrations.ts).
 */
export const LOAD_SCHEMA_VERSION = 4;

export const PHASES = ['ramp-up', 'warmup', 'measured', 'grace'] as const;

export const RUN_STATUSES = ['passed', 'thresholds-crossed', 'interrupted', 'target-failed', 'overloaded', 'unreachable'] as const;

/**
 * Why a run is not a plain pass, one entry per fact, in the order of [D-EXIT]'s precedence. Each code
 * has one exit code: interrupted and part-missing 130, unreachable 3, target-failed-* 4, overloaded 5,
 * threshold-crossed 99.
 */
export const FAILURE_CODES = [
  'interrupted', 'part-missing', 'unreachable', 'target-failed-mid-run', 'target-failed-late', 'overloaded', 'threshold-crossed',
] as const;

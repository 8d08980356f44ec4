// The load result file, schema version 3 [D-RESULT] [D-SCHEMA]: one zod schema of everything
// `talkbench load --out` and `talkbench merge --out` write. Every type of the result (LoadResult, the
// per-operation records, the per-second samples, deliveries, tallies, threshold outcomes, the
// generator's health, failures, shard summaries) is inferred from it, so the writer, the readers and
// docs/schema/load.schema.json cannot drift apart. A leaf [D-LAYOUT-REPO]: zod and its siblings only.
import { z } from 'zod';
import { DELIVERY_COUNTERS, REQUEST_OPS } from './metric-names.js';
import { FAILURE_CODES, LOAD_SCHEMA_VERSION, PHASES, RUN_STATUSES } from './load-constants.js';

export * from './load-constants.js';



const count = z.number().int().nonnegative();
/** `sent` may dip below zero in an interval: a request taken back (retractSent) after its interval closed. */
const signedCount = z.number().int();
const ms = z.number().nonnegative();

export const tallySchema = z.record(z.string(), count).meta({ id: 'Tally', description: 'Counts by a key: reason, message id, kind of bad line.' });

/** The compressed base64 of an HdrHistogram (histogram.ts): its cookie always encodes as "HISTF". */
export const encodedHistogramSchema = z.string()
  .regex(/^HISTF[A-Za-z0-9+/]*={0,2}$/, 'expected an encoded HdrHistogram (compressed base64, starting "HISTF")')
  .meta({ id: 'EncodedHistogram', description: 'An HdrHistogram of latencies in microseconds, compressed and base64-encoded (encodeIntoCompressedBase64).' });

const counters = {
  sent: signedCount,
  ok: count,
  failed: count,
  timeouts: count,
  unanswered: count.meta({ description: 'Sent, neither answered nor timed out when its connection or the run ended [D-METRICS].' }),
};

export const encodedOpSchema = z.object({
  ...counters,
  failedBy: tallySchema.meta({ description: "Failures by the server's result code name (or a local reason)." }),
  failureSamples: z.record(z.string(), z.array(z.string())).meta({ description: 'A few distinct messages the server gave with each failure reason (Result.Msg).' }),
  span: z.object({ firstMs: z.number(), lastMs: z.number() }).nullable()
    .meta({ description: 'From the first request sent to the last success, on the monotonic clock (ms): setup operations get their rate over it.' }),
  corrected: encodedHistogramSchema.meta({ description: 'Latency from the scheduled time (coordinated omission corrected).' }),
  uncorrected: encodedHistogramSchema.meta({ description: 'Latency from the actual send.' }),
  lag: encodedHistogramSchema.optional().meta({
    description: "The generator's own send lag: from each request's scheduled time to its actual send, one value per `sent`. "
      + "Corrected latency is uncorrected latency plus this lag, so it tells how much of each percentile is the generator's. Absent in results of schema version 3 and older.",
  }),
}).meta({ id: 'EncodedOp', description: 'One operation over the whole run: counters, failures and its two histograms.' });

export const intervalOpSchema = z.object({
  ...counters,
  histogram: encodedHistogramSchema.meta({ description: 'Corrected latencies of this interval.' }),
}).meta({ id: 'IntervalOp', description: "One operation's counts and latencies within one second." });


export const secondSampleSchema = z.object({
  second: z.number().int().meta({
    description: 'Counted from the start of the measured window: 1 is its first second; 0 and below come before it (ramp-up, warm-up), past its last the grace window and logout.',
  }),
  phase: z.enum(PHASES).meta({ description: 'Only measured seconds are what the totals measure (warm-up is left out of them; setup operations are recorded in every phase).' }),
  ops: z.record(z.string(), intervalOpSchema),
}).meta({ id: 'SecondSample', description: 'One second of the run, every worker of every process added.' });

export const deliveryCountsSchema = z.record(z.enum(DELIVERY_COUNTERS), count).meta({ id: 'DeliveryCounts' });

/** What one or several recorders measured: the part of a result that merges add up exactly. */
export const measurementsSchema = z.object({
  ops: z.record(z.string(), encodedOpSchema),
  delivery: z.record(z.string(), deliveryCountsSchema).meta({ description: 'Chats, CHAT/1.0 lines and files: delivered, lost, duplicated, reordered, corrupted.' }),
  disconnects: tallySchema.meta({ description: 'Connections the target closed or reset while the run still used them, by reason.' }),
  unexpectedFrames: tallySchema.meta({ description: 'Frames that were neither an awaited reply nor a known notice, by message id.' }),
  notices: tallySchema.meta({ description: 'Known notices received (8, 10, 14), by message id.' }),
  badLines: tallySchema.meta({ description: 'CHAT/1.0 lines from the server that did not parse, by kind.' }),
  usersFailed: tallySchema.meta({ description: 'Users given up on, by reason.' }),
  downloadBytes: count.meta({ description: 'Bytes of completed downloads of files sent in the measured window.' }),
});

export const thresholdOutcomeSchema = z.object({
  threshold: z.string().meta({ description: 'As the user wrote it (or the default, errors==0).' }),
  metric: z.string(),
  actual: z.number().nullable().meta({ description: 'The measured value (latencies in ms), or null when the run produced no such figure.' }),
  passed: z.boolean(),
  isDefault: z.boolean().optional().meta({ description: 'The default threshold of [D-VERDICT], not one the user gave.' }),
  note: z.string().optional().meta({ description: 'Why a threshold could not hold: "nothing was measured for login".' }),
}).meta({ id: 'ThresholdOutcome' });

export const workerHealthSchema = z.object({
  worker: z.number().int().nonnegative(),
  eventLoopDelay: z.object({ p50: ms, p99: ms, max: ms }).meta({ description: 'Event-loop delay over the measured window, ms.' }),
  utilization: z.number().min(0).max(1).meta({ description: 'Share of the measured window the event loop was busy.' }),
  actionsScheduled: count.meta({ description: 'Requests this worker sent in the measured window on a schedule (counted from its lag histograms).' }),
  lateStarts: count.meta({ description: 'Of those, the ones whose send lag passed overload.lateStartMs.' }),
}).meta({ id: 'WorkerHealth' });

export const generatorSchema = z.object({
  workers: z.array(workerHealthSchema),
  cpu: z.object({ userMs: ms, systemMs: ms, wallMs: ms }).meta({ description: 'CPU of the generator process(es) over the whole run; user and system add up over processes, wall is the longest.' }),
  peakRssBytes: count,
  actionsScheduled: count,
  lateStarts: count,
  overloaded: z.boolean(),
}).meta({ id: 'GeneratorHealth', description: "The generator's own health [D-OVERLOAD]." });


/** `host:port`, as the result names a target everywhere. */
const targetName = z.string().regex(/^.+:\d{1,5}$/, 'expected host:port');
/** `i/N`, a shard of a run split in N. */
const shardName = z.string().regex(/^\d+\/\d+$/, 'expected i/N');


export const failureSchema = z.object({
  code: z.enum(FAILURE_CODES).meta({
    description: 'interrupted: by a signal; part-missing: a generator process ended without its result after an interrupt; unreachable: the target was unusable at the start; '
      + 'target-failed-mid-run / -late: it failed during the run / was found dead by the final probe; overloaded: the generator was [D-OVERLOAD]; threshold-crossed.',
  }),
  target: targetName.optional().meta({ description: 'The target it concerns, when known (host:port).' }),
  shard: shardName.optional().meta({ description: 'In a merged result: the shard whose run saw it.' }),
  threshold: z.string().optional().meta({ description: 'threshold-crossed: the threshold, as in `thresholds`.' }),
  worker: z.number().int().nonnegative().optional().meta({ description: 'overloaded: the worker whose event-loop delay passed the limit.' }),
  message: z.string().meta({ description: 'What happened, in words a person can act on.' }),
}).meta({ id: 'Failure' });

const latencySummarySchema = z.object({ p50: ms, p90: ms, p99: ms, p999: ms, max: ms, mean: ms }).meta({ description: 'Milliseconds, of the corrected histogram.' });

export const shardSummarySchema = z.object({
  runId: z.string(),
  shard: shardName,
  summary: z.object({
    targets: z.array(targetName),
    startedAt: z.iso.datetime(),
    measuredMs: ms,
    status: z.enum(RUN_STATUSES),
    exitCode: z.number().int(),
    errors: count.meta({ description: 'The shard\'s own `errors` [D-VERDICT].' }),
    ops: z.record(z.string(), z.object({ ...counters, latency: latencySummarySchema.nullable().meta({ description: 'Null when nothing succeeded.' }) })),
    delivery: z.record(z.string(), deliveryCountsSchema),
  }).nullable().meta({ description: 'The shard on its own, to show shards side by side; null in a merge written by schema version 2, which kept only runId and shard.' }),
}).meta({ id: 'ShardSummary' });

const span = z.object({ index: z.number().int().positive(), count: z.number().int().positive() })
  .refine((s) => s.index <= s.count, 'expected i/N with i <= N');

/** The run's settings as recorded: every setting resolved, durations in ms, thresholds as written. */
export const recordedConfigSchema = z.object({
  scenario: z.enum(['users', 'ping']),
  protocol: z.enum(['im', 'chat']),
  targets: z.array(z.object({ host: z.string(), port: z.number().int().min(0).max(65535) })),
  users: count.meta({ description: 'Simulated users (ping: connections).' }),
  rampUpMs: ms,
  warmupMs: ms,
  durationMs: ms,
  timeoutMs: ms,
  graceMs: ms,
  rate: z.number().nullable().meta({ description: 'Ping, open model: requests/s in all.' }),
  inflight: z.number().int().nullable().meta({ description: 'Ping, closed model: requests in flight per connection.' }),
  heartbeatIntervalMs: ms,
  bodyBytes: count,
  groupSize: count,
  rates: z.object({ chat: z.number(), upload: z.number(), status: z.number(), userInfo: z.number(), fileList: z.number(), broadcast: z.number() })
    .meta({ description: 'Actions per user per second.' }),
  chatBytes: count,
  uploadBytes: z.object({ min: count, max: count }),
  unanswered: z.array(z.enum(REQUEST_OPS)).meta({ description: 'Requests the target is not expected to answer: counted as sent, never timed.' }),
  fileListIntervalMs: ms,
  httpBase: z.string().nullable(),
  reconnect: z.object({ rate: z.number(), awayMs: ms }),
  workers: count,
  processes: count,
  layout: z.enum(['le', 'be']),
  maxBodyBytes: count,
  seed: z.string(),
  sourceAddresses: z.array(z.string()),
  thresholds: z.array(z.string()).meta({ description: 'The thresholds the run was judged by, as written.' }),
  overload: z.object({ lateStartMs: ms, lateShare: z.number(), minLateActions: count, eventLoopP99Ms: ms }),
  shard: span,
  slice: span.meta({ description: "This process's slice of the shard when --processes split it (1/1 otherwise)." }),
}).meta({ id: 'LoadConfig' });

export const environmentSchema = z.object({
  node: z.string(),
  platform: z.string(),
  cpuModel: z.string(),
  cpus: count,
  memoryBytes: count,
  loadAverage: z.object({ start: z.array(z.number()), end: z.array(z.number()) }),
  openFileLimit: count.nullable(),
}).meta({ id: 'Environment', description: 'The machine of the (first) generator process.' });

export const loadResultSchema = z.object({
  kind: z.literal('load'),
  schemaVersion: z.literal(LOAD_SCHEMA_VERSION),
  runId: z.string(),
  tool: z.object({ name: z.literal('talkbench'), version: z.string() }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  config: recordedConfigSchema,
  environment: environmentSchema,
  targetScryptCost: count.nullable().meta({ description: 'scrypt cost of the target, when the run knows it [D-HASH].' }),
  measuredMs: ms.meta({ description: 'Length of the measured window actually run (shorter when stopped early).' }),
  status: z.enum(RUN_STATUSES),
  exitCode: z.number().int().meta({ description: "[D-EXIT]: the first of the failures' exit codes in its order of precedence, 0 when there are none." }),
  failures: z.array(failureSchema).meta({ description: 'Why the status is what it is, as data.' }),
  reasons: z.array(z.string()).meta({ description: 'The failures in words, for people; nothing reads them back.' }),
  ...measurementsSchema.shape,
  metrics: z.record(z.string(), z.number()).meta({ description: 'Flat metric values [D-METRICS], what thresholds are checked against.' }),
  timeSeries: z.array(secondSampleSchema),
  generator: generatorSchema,
  thresholds: z.array(thresholdOutcomeSchema),
  shards: z.array(shardSummarySchema).meta({ description: 'The shards a merged result was made of; empty for a run.' }),
}).meta({
  title: 'talkbench load result',
  description: 'Written by talkbench load --out and talkbench merge --out [D-RESULT]. Older schema versions are read through migrations [D-SCHEMA].',
});

export type LoadResult = z.infer<typeof loadResultSchema>;
export type Measurements = z.infer<typeof measurementsSchema>;
export type EncodedOp = z.infer<typeof encodedOpSchema>;
/** An operation's counters without its histograms: what a recorder counts as it goes. */
export type OpCounters = Omit<EncodedOp, 'corrected' | 'uncorrected'>;
export type IntervalOp = z.infer<typeof intervalOpSchema>;
export type Phase = (typeof PHASES)[number];
export type SecondSample = z.infer<typeof secondSampleSchema>;
export type Tally = z.infer<typeof tallySchema>;
export type ThresholdOutcome = z.infer<typeof thresholdOutcomeSchema>;
export type WorkerHealth = z.infer<typeof workerHealthSchema>;
export type GeneratorHealth = z.infer<typeof generatorSchema>;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type FailureCode = (typeof FAILURE_CODES)[number];
export type Failure = z.infer<typeof failureSchema>;
export type ShardSummary = z.infer<typeof shardSummarySchema>;
export type RecordedConfig = z.infer<typeof recordedConfigSchema>;
export type Environment = z.infer<typeof environmentSchema>;
export type LatencyFigures = z.infer<typeof latencySummarySchema>;

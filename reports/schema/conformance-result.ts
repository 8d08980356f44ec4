// The conformance result file, schema version 1 [D-RESULT] [D-CONFORM]: what `talkbench conform --json`
// writes. Every check's outcome with its level, requirement ids and evidence (what was expected, what
// came, the fast-check seed and path, and for a check that did not pass its transcript), and what a
// rerun needs: suite version, seed, target, layout, selection. A leaf [D-LAYOUT-REPO]: zod only.
import { z } from 'zod';

export const CONFORMANCE_SCHEMA_VERSION = 1;

export const CHECK_LEVELS = ['MUST', 'SHOULD', 'INFO'] as const;
export const CHECK_OUTCOMES = ['PASS', 'FAIL', 'TIMEOUT', 'ERROR', 'SKIP', 'XFAIL'] as const;

const count = z.number().int().nonnegative();

export const transcriptEventSchema = z.object({
  atMs: z.number().nonnegative().meta({ description: 'Milliseconds since the check (or its smallest failing example) began.' }),
  connection: z.string().meta({ description: 'The connection, as the check named it; empty for a note.' }),
  direction: z.enum(['sent', 'received', 'closed', 'note']),
  hex: z.string().regex(/^(?:[0-9a-f]{2})*$/).meta({ description: 'The bytes, in hex (large writes cut; the text says so).' }),
  text: z.string().meta({ description: 'The bytes read as protobuf JSON or CHAT/1.0 lines, or what happened.' }),
}).meta({ id: 'TranscriptEvent' });

export const checkResultSchema = z.object({
  id: z.string(),
  level: z.enum(CHECK_LEVELS),
  requirements: z.array(z.string()).meta({ description: 'Requirement ids of docs/PROTOCOL.md.' }),
  description: z.string(),
  outcome: z.enum(CHECK_OUTCOMES),
  durationMs: count,
  expected: z.string().nullable(),
  got: z.string().nullable(),
  message: z.string().nullable().meta({ description: 'ERROR: what failed; SKIP: why; INFO: what was found.' }),
  knownFailure: z.boolean(),
  stale: z.boolean().meta({ description: 'Listed as a known failure and passed: fails the run.' }),
  fastCheck: z.object({
    seed: z.number().int(),
    path: z.string(),
    counterexample: z.string(),
    shrinks: count,
    reproduced: z.boolean(),
  }).nullable(),
  rerun: z.string().meta({ description: 'The command that runs this check alone, as this run did.' }),
  transcriptFile: z.string().nullable().meta({ description: 'Where the transcript of a check that did not pass was saved.' }),
  transcript: z.array(transcriptEventSchema).nullable(),
}).meta({ id: 'CheckResult' });

export const conformanceResultSchema = z.object({
  kind: z.literal('conformance'),
  schemaVersion: z.literal(CONFORMANCE_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('talkbench'), version: z.string() }),
  suiteVersion: z.string().meta({ description: 'Changes whenever a check is added, removed or changes meaning.' }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  target: z.object({ host: z.string(), port: z.number().int() }),
  protocol: z.enum(['im', 'chat']),
  layout: z.enum(['le', 'be']),
  settings: z.object({
    seed: z.number().int(),
    runs: count,
    timeoutMs: count.meta({ description: 'The wait per expected frame or line, after the preflight raised it to several round trips.' }),
    maxBodyBytes: count,
    maxLineBytes: count,
    strict: z.boolean(),
    unanswered: z.array(z.string()),
    nonce: z.string().meta({ description: 'Part of every name this run registered.' }),
  }),
  selection: z.object({ only: z.array(z.string()), skip: z.array(z.string()), knownFailures: z.array(z.string()) }),
  preflight: z.object({
    problem: z.string().nullable().meta({ description: 'Why the target was unusable at the start (exit 3), or null.' }),
    roundTripMs: z.number().nonnegative().nullable(),
  }),
  stoppedAfter: z.string().nullable().meta({ description: 'The check after which the target stopped answering (exit 4).' }),
  connectionsOpened: count,
  totals: z.record(z.enum(CHECK_OUTCOMES), count),
  exitCode: z.number().int(),
  failing: z.array(z.object({ id: z.string(), why: z.string() })).meta({ description: 'What fails the run, as data.' }),
  checks: z.array(checkResultSchema),
}).meta({ id: 'ConformanceResult', title: 'talkbench conformance result' });

/**
 * The transcript of one check that did not pass, saved beside the result: the evidence for a person,
 * and what `talkbench replay` reruns (the check, its seed and its fast-check path).
 */
export const conformanceTranscriptSchema = z.object({
  kind: z.literal('conformance-transcript'),
  schemaVersion: z.literal(CONFORMANCE_SCHEMA_VERSION),
  suiteVersion: z.string(),
  check: z.string(),
  level: z.enum(CHECK_LEVELS),
  requirements: z.array(z.string()),
  outcome: z.enum(CHECK_OUTCOMES),
  expected: z.string().nullable(),
  got: z.string().nullable(),
  message: z.string().nullable(),
  target: z.object({ host: z.string(), port: z.number().int() }),
  protocol: z.enum(['im', 'chat']),
  layout: z.enum(['le', 'be']),
  settings: z.object({ seed: z.number().int(), runs: count, timeoutMs: count, maxBodyBytes: count, maxLineBytes: count, unanswered: z.array(z.string()), nonce: z.string() }),
  fastCheck: checkResultSchema.shape.fastCheck,
  rerun: z.string(),
  events: z.array(transcriptEventSchema),
}).meta({ id: 'ConformanceTranscript', title: 'talkbench conformance transcript' });

export type ConformanceResult = z.infer<typeof conformanceResultSchema>;
export type ConformanceTranscript = z.infer<typeof conformanceTranscriptSchema>;
export type ConformanceCheckResult = z.infer<typeof checkResultSchema>;

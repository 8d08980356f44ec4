// The comparison result file, schema version 1 [D-RESULT] [D-COMPARE]: what `talkbench report
// --compare BASE NEW --out FILE` writes. For load runs, each operation's percentiles with their
// change, its interval and the verdict, and the error counts; for conformance runs, the checks that
// newly fail and newly pass. A leaf [D-LAYOUT-REPO]: zod only.
import { z } from 'zod';

export const COMPARISON_SCHEMA_VERSION = 1;
export const CHANGE_VERDICTS = ['regressed', 'improved', 'unchanged', 'inconclusive'] as const;

const ratio = z.number().nullable().meta({ description: 'NEW / BASE; null where it cannot be computed (no data).' });

export const percentileChangeSchema = z.object({
  percentile: z.number(),
  baseMs: z.number().nullable(),
  newMs: z.number().nullable(),
  ratio,
  low: ratio.meta({ description: 'Lower end of the interval of the resampled ratios.' }),
  high: ratio.meta({ description: 'Upper end.' }),
  verdict: z.enum(CHANGE_VERDICTS),
}).meta({ id: 'PercentileChange' });

const bandSchema = z.object({ ms: z.number(), lowMs: z.number(), highMs: z.number() })
  .meta({ description: "A run's percentile (ms) and the interval of its resamples of whole seconds at the comparison's confidence." });

export const spectrumPointSchema = z.object({ percentile: z.number(), base: bandSchema, new: bandSchema }).meta({ id: 'SpectrumPoint' });

export const comparisonResultSchema = z.object({
  kind: z.literal('comparison'),
  schemaVersion: z.literal(COMPARISON_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('talkbench'), version: z.string() }),
  compared: z.enum(['load', 'conformance']),
  base: z.object({ file: z.string(), id: z.string().meta({ description: 'run id (load) or suite and seed (conformance)' }) }),
  new: z.object({ file: z.string(), id: z.string() }),
  settings: z.object({ tolerance: z.number(), confidence: z.number(), resamples: z.number().int(), seed: z.number().int(), failOnInconclusive: z.boolean() }),
  configDifferences: z.array(z.string()).meta({ description: 'Workload settings that differ; the comparison ran only if allowed (--allow-config-change).' }),
  operations: z.array(z.object({
    op: z.string().meta({ description: 'Judged over its measured seconds; a setup operation (connect, register, login...) over every second it occurred in.' }), baseSeconds: z.number().int(), newSeconds: z.number().int(), changes: z.array(percentileChangeSchema),
    note: z.string().optional().meta({ description: 'Why every verdict of the operation is inconclusive, when the data is too thin to judge.' }),
    spectrum: z.array(spectrumPointSchema).optional().meta({ description: 'Both runs\' percentile spectra with their bands, for the HTML; absent in a comparison written before it was added.' }),
  })),
  errors: z.object({ base: z.number(), new: z.number(), rose: z.boolean() }).nullable(),
  delivery: z.array(z.object({
    what: z.string().meta({ description: 'chat, line, file: what was delivered.' }),
    base: z.object({ delivered: z.number(), lost: z.number() }),
    new: z.object({ delivered: z.number(), lost: z.number() }),
    rose: z.boolean().meta({ description: 'More were lost in NEW than in BASE: a regression.' }),
  })).optional().meta({ description: 'Delivery loss of each kind both runs delivered; absent in a comparison written before it was added.' }),
  checks: z.object({ newlyFailing: z.array(z.string()), newlyPassing: z.array(z.string()) }).nullable(),
  regressions: z.array(z.string()).meta({ description: 'What makes the comparison exit 6, in words.' }),
  exitCode: z.number().int(),
}).meta({ id: 'ComparisonResult', title: 'talkbench comparison result' });

export type ComparisonResult = z.infer<typeof comparisonResultSchema>;

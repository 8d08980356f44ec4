// Scenario files (`load --scenario-file FILE`): JSON or YAML holding what the flags hold, and the
// rates the flags leave out. Validated against one schema (docs/SCENARIO.md); a mistake is reported
// with the file and the field, e.g. "run.yaml: rates.chat: must be a number ≥ 0".
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseBytes, parseDuration } from '../../util/units.js';

const duration = z.union([z.number().nonnegative(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    try { return parseDuration(v); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
  })
  .describe('a duration: "500ms", "10s", "2m", or milliseconds as a number');
const bytes = z.union([z.number().int().nonnegative(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    try { return parseBytes(v); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
  })
  .describe('a size: 4096, "64KiB", "16MiB"');
const rate = z.number().nonnegative().describe('actions per user per second');
const count = z.number().int().positive();

export const SCENARIO_SCHEMA = z.strictObject({
  target: z.union([z.string(), z.array(z.string()).nonempty()]).optional().describe('host:port, or a list'),
  protocol: z.enum(['im', 'chat']).optional(),
  scenario: z.enum(['users', 'ping']).optional(),
  users: count.optional(),
  rampUp: duration.optional(),
  warmup: duration.optional(),
  duration: duration.optional(),
  heartbeatInterval: duration.optional(),
  timeout: duration.optional(),
  grace: duration.optional(),
  groupSize: count.optional(),
  chatSize: bytes.optional(),
  uploadSize: z.union([bytes, z.strictObject({ min: bytes, max: bytes })]).optional().describe('a size, or { min, max } for a uniform range'),
  rates: z.strictObject({
    chat: rate.optional(),
    upload: rate.optional(),
    status: rate.optional(),
    userInfo: rate.optional(),
    fileList: rate.optional(),
    broadcast: rate.optional(),
    reconnect: rate.optional().describe('IM: logouts per user per second, each followed by a login after awayTime'),
  }).optional(),
  fileListInterval: duration.optional(),
  http: z.string().optional().describe('base URL to download files from instead of the server\'s'),
  awayTime: duration.optional(),
  unanswered: z.array(z.string()).optional().describe('requests the target does not answer: heartbeat, userinfo, filelist'),
  defaultThresholds: z.boolean().optional().describe('false drops the default threshold errors==0'),
  ping: z.strictObject({
    rate: z.number().positive().optional().describe('requests per second in all (open model)'),
    inflight: count.optional().describe('requests in flight per connection (closed model)'),
    bodyBytes: bytes.optional(),
  }).optional(),
  workers: count.optional(),
  processes: count.optional(),
  sourceAddresses: z.union([count, z.array(z.string()).nonempty()]).optional(),
  layout: z.enum(['le', 'be']).optional(),
  maxBody: bytes.optional(),
  seed: z.string().min(1).optional(),
  thresholds: z.array(z.string()).optional(),
  overload: z.strictObject({
    lateStartMs: z.number().positive().optional(),
    lateShare: z.number().min(0).max(1).optional(),
    minLateActions: z.number().int().nonnegative().optional(),
    eventLoopP99Ms: z.number().positive().optional(),
  }).optional(),
});

export type ScenarioFile = z.output<typeof SCENARIO_SCHEMA>;

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${issue.message}`;
}

/** Parses and validates a scenario file; throws an Error whose message names the file and each bad field. */
export function parseScenarioFile(text: string, source: string): ScenarioFile {
  let data: unknown;
  try {
    data = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`${source}: not valid ${/\.json$/i.test(source) ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const parsed = SCENARIO_SCHEMA.safeParse(data ?? {});
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
  return parsed.data;
}

export async function readScenarioFile(path: string): Promise<ScenarioFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read scenario file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseScenarioFile(text, path);
}

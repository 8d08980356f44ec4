// Reading result files [D-RESULT] [D-SCHEMA]. A load result: JSON text (or a value already parsed) in, a
// current-version LoadResult out, older versions brought up through migrations.ts. Whatever is wrong
// (not JSON, another kind, a newer or unreadable version, a field of the wrong type) is one
// ResultFileError naming the file, the field and the versions.
import type { z } from 'zod';
import { UsageError } from '../../util/errors.js';
import { COMPARISON_SCHEMA_VERSION, comparisonResultSchema, type ComparisonResult } from './comparison-result.js';
import { CONFORMANCE_SCHEMA_VERSION, conformanceResultSchema, type ConformanceResult } from './conformance-result.js';
import { loadResultSchema, LOAD_SCHEMA_VERSION, type LoadResult } from './load-result.js';
import { MIGRATIONS, OLDEST_READABLE_VERSION, UNREADABLE_VERSIONS } from './migrations.js';

/**
 * A result file this talkbench cannot read: a usage error, exit 2 [D-EXIT]. The error base is the one
 * thing of util/ a schema imports (it imports only the exit-code table) [D-LAYOUT-REPO].
 */
export class ResultFileError extends UsageError {
  constructor(message: string) {
    super(message, 'BAD_RESULT_FILE');
  }
}

const VERSIONS = OLDEST_READABLE_VERSION === LOAD_SCHEMA_VERSION ? `version ${LOAD_SCHEMA_VERSION}` : `versions ${OLDEST_READABLE_VERSION} to ${LOAD_SCHEMA_VERSION}`;
/** What this talkbench reads, as every version error says it. */
const READS = `this talkbench reads load results of schema ${VERSIONS}`;

/** `ops["chat.e2e"].ok`, `timeSeries[3].phase`: a field as a person would look it up. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

function problem(error: z.ZodError): string {
  const [first, ...more] = error.issues;
  const extra = more.length > 0 ? ` (and ${more.length} more problem${more.length > 1 ? 's' : ''})` : '';
  return `${fieldPath(first!.path)}: ${first!.message}${extra}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The load result in `input` (a file's text when a string, else its parsed JSON), at the current
 * schema version; `fileName` names it in errors.
 */
export function readLoadResult(input: unknown, fileName: string): LoadResult {
  const bad = (what: string): ResultFileError => new ResultFileError(`${fileName}: ${what}`);
  const value = parsedObject(input, bad);
  const { kind, schemaVersion, tool } = value;
  if (kind === undefined) throw bad('kind: missing: not a talkbench result file');
  if (kind !== 'load') throw bad(`kind: is ${JSON.stringify(kind)}, not "load": this is not the result of talkbench load or merge`);
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion)) {
    throw bad(`schemaVersion: ${schemaVersion === undefined ? 'missing' : `${JSON.stringify(schemaVersion)} is not a version number`}; ${READS}`);
  }
  if (schemaVersion > LOAD_SCHEMA_VERSION) {
    const writer = isObject(tool) && typeof tool.version === 'string' ? ` (written by talkbench ${tool.version})` : '';
    throw bad(`schemaVersion: ${schemaVersion}${writer} is too new: ${READS}; read it with a newer talkbench`);
  }
  const refused = UNREADABLE_VERSIONS[schemaVersion];
  if (refused) throw bad(`schemaVersion: ${schemaVersion} cannot be read: ${refused} (${READS})`);
  if (schemaVersion < OLDEST_READABLE_VERSION) throw bad(`schemaVersion: ${schemaVersion} is too old: ${READS}`);

  let current: unknown = value;
  for (const step of MIGRATIONS.filter((m) => m.from >= schemaVersion).sort((a, b) => a.from - b.from)) {
    const parsed = step.schema.safeParse(current);
    if (!parsed.success) throw bad(`${problem(parsed.error)} (the file is a load result of version ${step.from}; ${READS})`);
    current = step.migrate(parsed.data);
  }
  const parsed = loadResultSchema.safeParse(current);
  if (!parsed.success) {
    // A migrated file that fails here is a bug of its migration, not of the file: say which version it came from.
    const from = schemaVersion === LOAD_SCHEMA_VERSION ? '' : `, as migrated from version ${schemaVersion}`;
    throw bad(`${problem(parsed.error)} (the file is a load result of version ${LOAD_SCHEMA_VERSION}${from}; ${READS})`);
  }
  return parsed.data;
}

const CONFORMANCE_READS = `this talkbench reads conformance results of schema version ${CONFORMANCE_SCHEMA_VERSION}`;

/** The conformance result in `input` (text or parsed JSON); `fileName` names it in errors. */
export function readConformanceResult(input: unknown, fileName: string): ConformanceResult {
  const bad = (what: string): ResultFileError => new ResultFileError(`${fileName}: ${what}`);
  const value = parsedObject(input, bad);
  if (value.kind !== 'conformance') throw bad(`kind: is ${JSON.stringify(value.kind)}, not "conformance": this is not the result of talkbench conform`);
  const { schemaVersion, tool } = value;
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion)) {
    throw bad(`schemaVersion: ${schemaVersion === undefined ? 'missing' : `${JSON.stringify(schemaVersion)} is not a version number`}; ${CONFORMANCE_READS}`);
  }
  if (schemaVersion > CONFORMANCE_SCHEMA_VERSION) {
    const writer = isObject(tool) && typeof tool.version === 'string' ? ` (written by talkbench ${tool.version})` : '';
    throw bad(`schemaVersion: ${schemaVersion}${writer} is too new: ${CONFORMANCE_READS}; read it with a newer talkbench`);
  }
  if (schemaVersion < CONFORMANCE_SCHEMA_VERSION) throw bad(`schemaVersion: ${schemaVersion} is too old: ${CONFORMANCE_READS}`);
  const parsed = conformanceResultSchema.safeParse(value);
  if (!parsed.success) throw bad(`${problem(parsed.error)} (${CONFORMANCE_READS})`);
  return parsed.data;
}

/** A comparison result (`report --compare --out`), of the one schema version there is. */
export function readComparisonResult(value: Record<string, unknown>, fileName: string): ComparisonResult {
  const bad = (what: string): ResultFileError => new ResultFileError(`${fileName}: ${what}`);
  const reads = `this talkbench reads comparison results of schema version ${COMPARISON_SCHEMA_VERSION}`;
  if (value.schemaVersion !== COMPARISON_SCHEMA_VERSION) throw bad(`schemaVersion: ${JSON.stringify(value.schemaVersion)}: ${reads}`);
  const parsed = comparisonResultSchema.safeParse(value);
  if (!parsed.success) throw bad(`${problem(parsed.error)} (${reads})`);
  return parsed.data;
}

export type AnyResult = { kind: 'load'; result: LoadResult } | { kind: 'conformance'; result: ConformanceResult } | { kind: 'comparison'; result: ComparisonResult };

/** A result file of any kind this talkbench reads, by its `kind` [D-RESULT]. */
export function readAnyResult(input: unknown, fileName: string): AnyResult {
  const value = parsedObject(input, (what) => new ResultFileError(`${fileName}: ${what}`));
  if (value.kind === 'conformance') return { kind: 'conformance', result: readConformanceResult(value, fileName) };
  if (value.kind === 'comparison') return { kind: 'comparison', result: readComparisonResult(value, fileName) };
  if (value.kind === 'load' || value.kind === undefined) return { kind: 'load', result: readLoadResult(value, fileName) };
  throw new ResultFileError(`${fileName}: kind: ${JSON.stringify(value.kind)} is not a kind this talkbench reads (load, conformance, comparison)`);
}

function parsedObject(input: unknown, bad: (what: string) => ResultFileError): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw bad(`not JSON (${(err as Error).message})`);
    }
  }
  if (!isObject(value)) throw bad('not a talkbench result (a JSON object with "kind" and "schemaVersion")');
  return value;
}

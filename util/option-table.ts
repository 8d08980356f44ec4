// Options tables: one entry per option of a command (its flag, its scenario-file field, the kind of
// value, the default and the help text) and one resolver that reads every source, flags over the
// file over the defaults, and reports every mistake at once, each naming its flag (`--users 0`) or
// its file and field (`run.yaml: rates.chat`). A mistake is the user's to fix: exit 2 [D-EXIT].
// Anything else thrown while resolving is a bug, and goes on to cli/main.ts as one (exit 70).
// The kinds of values (counts, times, sizes...) are in option-kinds.ts.
import { z } from 'zod';
import { UsageError } from './errors.js';

/** A value a person has to fix; the resolver names where it was. */
export class BadValue extends UsageError {
  constructor(message: string) {
    super(message, 'BAD_VALUE');
  }
}

/** What the resolver reports: `where` is `--users 0` or `run.yaml: rates.chat`. */
export interface ConfigIssue {
  /** The flag (`--users`) or the file's field (`rates.chat`, `thresholds[1]`); '' for the file as a whole. */
  field: string;
  where: string;
  message: string;
}

export const issueText = (issue: ConfigIssue): string => `${issue.where}: ${issue.message}`;

/** Every mistake in a command's settings, found before anything starts [D-EXIT 2]. */
export class ConfigError extends UsageError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.length === 1 ? issueText(issues[0]!) : `${issues.length} settings to fix:\n${issues.map((i) => `  ${issueText(i)}`).join('\n')}`, 'BAD_CONFIG');
  }
}

/**
 * One kind of value, read from a command-line word (a string; a list of them for a repeatable flag;
 * a boolean for a switch) or from a scenario file (whatever JSON or YAML gives).
 */
export interface ValueKind<T> {
  /** How help names the value (`<duration>`); null for a switch, which takes none. */
  placeholder: string | null;
  word: z.ZodType<T>;
  file: z.ZodType<T>;
  /** The value as a person writes it, for the default shown in help. */
  format(value: T): string;
}

export interface OptionSpec<T, D extends T | undefined> {
  /** `--users`, `--no-default-thresholds`; null: the scenario file alone sets it. */
  flag: string | null;
  /** Overrides the kind's placeholder in help (`<host:port,...>`). */
  placeholder?: string;
  /** The scenario file's field, dotted (`rates.chat`); null: the command line alone sets it. */
  file: string | null;
  kind: ValueKind<T>;
  default: D;
  /** For help, when the default is not one value (`one per core`). */
  defaultText?: string;
  doc: string;
  /** A repeatable flag: its words are collected, and added to the file's (thresholds from both apply). */
  combine?(fromFile: T, fromFlags: T): T;
}

/** For the loops over a table: entries of any value type (the methods above are bivariant). */
export type AnyOptionSpec = OptionSpec<unknown, unknown>;
export type OptionTable = Readonly<Record<string, AnyOptionSpec>>;

/** Infers an entry's value type from its kind, and whether it always has a value from its default. */
export function option<T, const D extends T | undefined>(spec: OptionSpec<T, D>): OptionSpec<T, D> {
  return spec;
}

export type ValueOf<S> = S extends OptionSpec<infer T, infer D> ? (D extends undefined ? T | undefined : T) : never;
export type Values<Tb extends OptionTable> = { [K in keyof Tb]: ValueOf<Tb[K]> };

/** Where an option's value came from. */
export type Origin = 'flag' | 'file' | 'default';

/** A scenario file's content, parsed from JSON or YAML but not yet checked. */
export interface FileData {
  /** As the user named it: `run.yaml`. */
  source: string;
  data: unknown;
}

export interface Resolution<Tb extends OptionTable> {
  values: Values<Tb>;
  origins: { [K in keyof Tb]: Origin };
  issues: ConfigIssue[];
  /** Options whose value is not what the user meant (it failed): rules about them are not checked. */
  failed: ReadonlySet<keyof Tb>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fieldPath(field: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`), field);
}

function flagIssues(flag: string, word: unknown, error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    const index = issue.path[0];
    const shown = Array.isArray(word) && typeof index === 'number' ? word[index] : word;
    // The word is shown unless the message quotes it already (`"soon" is not a duration`).
    const where = typeof shown === 'string' && !issue.message.includes(`"${shown}"`) ? `${flag} ${shown}` : flag;
    return { field: flag, where, message: issue.message };
  });
}

function fileIssues(source: string, field: string, error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    const at = fieldPath(field, issue.path);
    return { field: at, where: `${source}: ${at}`, message: issue.message };
  });
}

/** The edit distance of two names, for "did you mean": small names, so the plain table is enough. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

interface FieldTree { [name: string]: FieldTree | true }

function fieldTree(table: OptionTable): FieldTree {
  const root: FieldTree = {};
  for (const spec of Object.values(table)) {
    if (spec.file === null) continue;
    const names = spec.file.split('.');
    let node = root;
    for (const name of names.slice(0, -1)) {
      const child = node[name];
      node = child === undefined || child === true ? (node[name] = {}) : child;
    }
    node[names.at(-1)!] = true;
  }
  return root;
}

/** Fields the table does not know, and groups (`rates`) that are not mappings. */
function shapeIssues(tree: FieldTree, data: Record<string, unknown>, source: string, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, value] of Object.entries(data)) {
    const field = at === '' ? name : `${at}.${name}`;
    const node = tree[name];
    if (node === undefined) {
      const near = Object.keys(tree).filter((known) => distance(known.toLowerCase(), name.toLowerCase()) <= 2);
      const hint = near.length > 0 ? `: did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
      issues.push({ field, where: at === '' ? source : `${source}: ${at}`, message: `unknown field "${name}"${hint}` });
    } else if (node !== true) {
      if (isRecord(value)) issues.push(...shapeIssues(node, value, source, field));
      else if (value !== null && value !== undefined) {
        issues.push({ field, where: `${source}: ${field}`, message: `give a mapping of ${Object.keys(node).join(', ')} (for example ${name}: { ${Object.keys(node)[0]}: ... })` });
      }
    }
  }
  return issues;
}

/** The file's value at a dotted field; undefined when absent (a null is kept: `duration:` with nothing is a mistake). */
function fileValue(data: unknown, field: string): unknown {
  let value = data;
  for (const name of field.split('.')) value = isRecord(value) ? value[name] : undefined;
  return value;
}

/**
 * Every option of `table` from the words the user gave on the command line (`given`: only those,
 * keyed by the table's keys), else from the scenario file, else its default. Values that fail are
 * reported in `issues` and keep their default, so the caller can go on checking the others.
 * A file's wrong field is reported even when a flag overrides it: the file is checked whole.
 */
export function resolveOptions<Tb extends OptionTable>(table: Tb, given: Readonly<Record<string, unknown>>, file: FileData | null): Resolution<Tb> {
  const values: Record<string, unknown> = {};
  const origins: Record<string, Origin> = {};
  const issues: ConfigIssue[] = [];
  const failed = new Set<keyof Tb>();
  if (file !== null && file.data !== null && file.data !== undefined) {
    if (isRecord(file.data)) issues.push(...shapeIssues(fieldTree(table), file.data, file.source, ''));
    else issues.push({ field: '', where: file.source, message: 'give a mapping of settings (users: 100, duration: 10s ...), not a single value or a list' });
  }
  for (const [key, spec] of Object.entries(table)) {
    let value: unknown = spec.default;
    let origin: Origin = 'default';
    let bad = false;
    const raw = file !== null && spec.file !== null ? fileValue(file.data, spec.file) : undefined;
    if (raw !== undefined && spec.file !== null && file !== null) {
      const parsed = spec.kind.file.safeParse(raw);
      if (parsed.success) { value = parsed.data; origin = 'file'; } else { issues.push(...fileIssues(file.source, spec.file, parsed.error)); bad = true; }
    }
    const word = given[key];
    if (word !== undefined && spec.flag !== null) {
      const parsed = spec.kind.word.safeParse(word);
      if (parsed.success) {
        value = spec.combine && origin === 'file' ? spec.combine(value, parsed.data) : parsed.data;
        origin = 'flag';
        bad = false;
      } else {
        issues.push(...flagIssues(spec.flag, word, parsed.error));
        value = spec.default;
        bad = true;
      }
    }
    if (bad) failed.add(key);
    values[key] = value;
    origins[key] = origin;
  }
  // Each value was parsed by its own entry's kind just above: the one place the table's types meet
  // the loop that cannot spell them.
  return { values: values as Values<Tb>, origins: origins as { [K in keyof Tb]: Origin }, issues, failed };
}

/** `--inflight`, or `run.yaml: ping.inflight`: where the value of `key` came from, for a rule's issue. */
export function whereOf<Tb extends OptionTable>(table: Tb, resolution: Resolution<Tb>, key: keyof Tb & string, fileSource: string | null): { field: string; where: string } {
  const spec = table[key]!;
  if (resolution.origins[key] === 'file' && spec.file !== null && fileSource !== null) return { field: spec.file, where: `${fileSource}: ${spec.file}` };
  const field = spec.flag ?? spec.file ?? key;
  return { field, where: field };
}

// Kinds of values for the options tables (option-table.ts): counts, rates, times, sizes, choices...
// Each reads a command-line word and a scenario file's value, and says what to write instead of a
// bad one (the resolver says where). A bad value throws a UsageError; anything else is a bug.
import { z } from 'zod';
import { UsageError } from './errors.js';
import { BadValue, type ValueKind } from './option-table.js';
import * as units from './units.js';

/** Runs `parse`; a UsageError it throws becomes an issue, anything else is a bug and goes through. */
function guarded<I, T>(parse: (value: I) => T): (value: I, ctx: z.core.$RefinementCtx<I>) => T {
  return (value, ctx) => {
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  };
}

/** A schema from a parse function that throws a UsageError for a bad value (BadValue, UnitError, ThresholdError...). */
export function parsing<T>(parse: (value: unknown) => T): z.ZodType<T> {
  return z.unknown().transform(guarded(parse));
}

/** `base`, then a further check of its value (a power of two, a range) that throws a BadValue. */
export function checked<T>(base: ValueKind<T>, check: (value: T) => T): ValueKind<T> {
  return { ...base, word: base.word.transform(guarded(check)), file: base.file.transform(guarded(check)) };
}

const wordOf = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new BadValue(`give ${what}`);
  return value.trim();
};

/** The same kind for both places: a file may write a number where the command line writes its digits. */
function kind<T>(placeholder: string | null, parseWord: (value: unknown) => T, parseFile: (value: unknown) => T, format: (value: T) => string): ValueKind<T> {
  return { placeholder, word: parsing(parseWord), file: parsing(parseFile), format };
}

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** A whole number ≥ `min` (1 unless said), as digits or a file's number. */
export function count(min = 1, placeholder = '<n>'): ValueKind<number> {
  const fix = `give a whole number ≥ ${min}`;
  const check = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < min) throw new BadValue(fix);
    return n;
  };
  return kind(placeholder,
    (v) => { const w = wordOf(v, fix); if (!WHOLE.test(w)) throw new BadValue(fix); return check(Number(w)); },
    (v) => { if (typeof v !== 'number') throw new BadValue(fix); return check(v); },
    String);
}

/** A number ≥ 0 (or > 0 with `positive`, ≤ `max` when given), in decimal. */
export function decimal(what: string, options: { positive?: boolean; max?: number; placeholder?: string } = {}): ValueKind<number> {
  const range = options.positive ? '> 0' : '≥ 0';
  const fix = `give ${what}, a number ${range}${options.max === undefined ? '' : ` and ≤ ${options.max}`} (e.g. 0.5 or 2)`;
  const check = (n: number): number => {
    if (!Number.isFinite(n) || n < 0 || (options.positive && n === 0) || (options.max !== undefined && n > options.max)) throw new BadValue(fix);
    return n;
  };
  return kind(options.placeholder ?? '<n>',
    (v) => { const w = wordOf(v, fix); if (!DECIMAL.test(w)) throw new BadValue(fix); return check(Number(w)); },
    (v) => { if (typeof v !== 'number') throw new BadValue(fix); return check(v); },
    String);
}

/** A time with its unit (`10s`), in milliseconds; only 0 needs no unit. */
export function duration(options: { positive?: boolean } = {}): ValueKind<number> {
  const check = (ms: number): number => {
    if (options.positive && ms <= 0) throw new BadValue('give a time longer than 0, e.g. 500ms or 1s');
    return ms;
  };
  const fix = 'give a time with its unit, e.g. 500ms, 10s or 2m';
  // A bare number meant seconds on the command line and milliseconds in a scenario file: the fix
  // shows each its old meaning, so nothing changes by a factor of 1000 on the way [D-LOAD].
  return kind('<duration>',
    (v) => check(units.parseDuration(wordOf(v, fix), 's')),
    (v) => { if (typeof v !== 'number' && typeof v !== 'string') throw new BadValue(fix); return check(units.parseDuration(v, 'ms')); },
    units.formatDuration);
}

/** A size in bytes: bare (`4096`) or with a unit (`64KiB`, `16MiB`). */
export function bytes(placeholder = '<bytes>'): ValueKind<number> {
  const fix = 'give a size: bytes, or a number and a unit (4096, 64KiB, 16MiB)';
  return kind(placeholder,
    (v) => units.parseBytes(wordOf(v, fix)),
    (v) => { if (typeof v !== 'number' && typeof v !== 'string') throw new BadValue(fix); return units.parseBytes(v); },
    units.formatBytes);
}

/** One of `choices`, written as is. */
export function choice<C extends string>(choices: readonly C[]): ValueKind<C> {
  const fix = `give one of ${choices.join(', ')}`;
  const pick = (v: unknown): C => {
    const found = choices.find((c) => c === v);
    if (found === undefined) throw new BadValue(typeof v === 'string' ? `"${v}" is not one of ${choices.join(', ')}` : fix);
    return found;
  };
  return kind(`<${choices.join('|')}>`, pick, pick, String);
}

/** Any text that is not empty. */
export function text(placeholder: string): ValueKind<string> {
  const fix = 'give a text that is not empty';
  const read = (v: unknown): string => {
    const w = wordOf(v, fix);
    if (w === '') throw new BadValue(fix);
    return w;
  };
  return kind(placeholder, read, read, String);
}

/** A flag without a value (`--quiet`, `--no-default-thresholds`): commander gives a boolean; a file writes true or false. */
export function toggle(): ValueKind<boolean> {
  const read = (v: unknown): boolean => {
    if (typeof v !== 'boolean') throw new BadValue('give true or false');
    return v;
  };
  return kind(null, read, read, String);
}

/** A TCP port, 0 to 65535 (0 picks a free one). */
export function port(): ValueKind<number> {
  const fix = 'give a port, 0 to 65535 (0 picks a free port)';
  const check = (n: number): number => {
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new BadValue(fix);
    return n;
  };
  return kind('<port>',
    (v) => { const w = wordOf(v, fix); if (!WHOLE.test(w)) throw new BadValue(fix); return check(Number(w)); },
    (v) => { if (typeof v !== 'number') throw new BadValue(fix); return check(v); },
    String);
}

/** An http:// or https:// URL, kept as URL.href. */
export function httpUrl(example: string): ValueKind<string> {
  const read = (v: unknown): string => {
    const w = wordOf(v, `give a URL such as ${example}`);
    let url: URL;
    try { url = new URL(w); } catch { throw new BadValue(`"${w}" is not a URL: give one such as ${example}`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadValue(`"${w}": use an http:// or https:// URL`);
    return url.href;
  };
  return kind('<url>', read, read, String);
}

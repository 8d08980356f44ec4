// Times and sizes as people write them: the one table of units read by the command line, scenario
// files and thresholds, so `10s` or `64KiB` means the same wherever it is written.
//
// A time always carries its unit (`500ms`, `10s`, `2m`), except 0, which needs none. A bare number
// once meant seconds on the command line and milliseconds in a scenario file; refusing it, with the
// fix, means an old file or script can never silently run 1000 times longer or shorter [D-LOAD].
// A bare size is bytes. Times are kept in milliseconds, sizes in bytes.
import { UsageError } from './errors.js';

export type Quantity = 'time' | 'size';

export interface Unit {
  name: string;
  quantity: Quantity;
  /** In the quantity's smallest unit: microseconds for times (so 1500us is exactly 1.5 ms), bytes for sizes. */
  factor: number;
  /** Read, never written: formatting uses the first unit of its factor. */
  alias?: true;
}

export const UNITS: readonly Unit[] = [
  { name: 'us', quantity: 'time', factor: 1 },
  { name: 'ms', quantity: 'time', factor: 1000 },
  { name: 's', quantity: 'time', factor: 1_000_000 },
  { name: 'm', quantity: 'time', factor: 60_000_000 },
  { name: 'h', quantity: 'time', factor: 3_600_000_000 },
  { name: 'B', quantity: 'size', factor: 1 },
  { name: 'KiB', quantity: 'size', factor: 1024 },
  { name: 'MiB', quantity: 'size', factor: 1024 ** 2 },
  { name: 'GiB', quantity: 'size', factor: 1024 ** 3 },
  // Accepted since the first release, and binary like the others (kB is 1024 bytes here, not 1000):
  // reading them as SI now would change what an existing setting means.
  { name: 'k', quantity: 'size', factor: 1024, alias: true },
  { name: 'kB', quantity: 'size', factor: 1024, alias: true },
  { name: 'M', quantity: 'size', factor: 1024 ** 2, alias: true },
  { name: 'MB', quantity: 'size', factor: 1024 ** 2, alias: true },
  { name: 'G', quantity: 'size', factor: 1024 ** 3, alias: true },
  { name: 'GB', quantity: 'size', factor: 1024 ** 3, alias: true },
];

const MICROS_PER_MS = 1000;
const TIME_UNITS = UNITS.filter((u) => u.quantity === 'time');
const SIZE_UNITS = UNITS.filter((u) => u.quantity === 'size');

/** `us, ms, s, m or h`: for messages. */
export const TIME_UNIT_NAMES = `${TIME_UNITS.slice(0, -1).map((u) => u.name).join(', ')} or ${TIME_UNITS.at(-1)!.name}`;

/** A unit of this quantity by name: times exactly (`m` is a minute, `M` nothing), sizes in any case (`mib`). */
export function unitNamed(quantity: Quantity, name: string): Unit | undefined {
  return quantity === 'time'
    ? TIME_UNITS.find((u) => u.name === name)
    : SIZE_UNITS.find((u) => u.name.toLowerCase() === name.toLowerCase());
}

/** A value the user has to fix: which value, and how (the caller names the flag or field). */
export class UnitError extends UsageError {
  constructor(message: string) {
    super(message, 'BAD_UNIT');
  }
}

const NUMBER_AND_UNIT = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/;

/**
 * `n` of the time unit `name`, in milliseconds; null when `name` is no time unit. `n` with no unit is
 * refused unless it is 0: the caller says how.
 */
export function timeInMs(n: number, name: string): number | null {
  const unit = unitNamed('time', name);
  // Scaled through microseconds so that 1500us is exactly 1.5 ms and 0.5s exactly 500 ms.
  return unit === undefined ? null : (n * unit.factor) / MICROS_PER_MS;
}

/**
 * `500ms`, `10s`, `2m`, `1h`, `250us` (or 0, as a number or a word) to milliseconds. A bare number is
 * refused, and the fix shows it with `bareUnit`: what a bare number used to mean where it was written.
 */
export function parseDuration(value: string | number, bareUnit: 'ms' | 's' = 's'): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = NUMBER_AND_UNIT.exec(text);
  if (!match) throw new UnitError(`"${text}" is not a duration: give a number and a unit, e.g. 500ms, 10s or 2m (${TIME_UNIT_NAMES})`);
  const n = Number(match[1]);
  if (match[2] === '') {
    if (n === 0) return 0;
    throw new UnitError(`give a unit, e.g. ${text}${bareUnit} (a time takes ${TIME_UNIT_NAMES}; only 0 needs none)`);
  }
  const ms = timeInMs(n, match[2]!);
  if (ms === null) throw new UnitError(`"${text}" is not a duration: its unit is one of ${TIME_UNIT_NAMES}, e.g. 500ms, 10s or 2m`);
  return ms;
}

/**
 * Milliseconds as the largest unit that holds them whole (90000 is `90s`, 1.5 is `1500us`), `0s` for 0:
 * what help shows as a default. parseDuration(formatDuration(ms)) === ms for every ms ≥ 0 that
 * JavaScript prints without an exponent (1e-7 and 1e21 have none of these forms).
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const micros = ms * MICROS_PER_MS;
  for (const unit of [...TIME_UNITS].reverse()) {
    const n = micros / unit.factor;
    // Kept only when it reads back exactly: a float scaled twice may not.
    if (Number.isInteger(n) && NUMBER_AND_UNIT.test(String(n)) && timeInMs(n, unit.name) === ms) return `${n}${unit.name}`;
  }
  return `${ms}ms`;
}

/** `4096`, `64KiB`, `16MiB`, `1.5k`... (a bare number is bytes) to whole bytes. */
export function parseBytes(value: string | number): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = NUMBER_AND_UNIT.exec(text);
  const unit = match?.[2] === '' ? SIZE_UNITS[0] : unitNamed('size', match?.[2] ?? '');
  if (!match || unit === undefined) throw new UnitError(`"${text}" is not a size: give bytes, or a number and a unit (4096, 64KiB, 16MiB)`);
  return Math.round(Number(match[1]) * unit.factor);
}

/** Bytes as the largest binary unit that holds them whole (`16MiB`), else bare bytes (`1500`). */
export function formatBytes(bytes: number): string {
  for (const unit of SIZE_UNITS.filter((u) => !u.alias).reverse()) {
    if (unit.factor > 1 && bytes > 0 && bytes % unit.factor === 0) return `${bytes / unit.factor}${unit.name}`;
  }
  return String(bytes);
}

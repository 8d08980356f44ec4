// Parsers for command-line values. Each throws InvalidArgumentError with a message naming the value,
// which commander prints and turns into exit code 2 [D-EXIT].
import { InvalidArgumentError } from 'commander';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `10s`, `2m`, `1h` (or a bare number of seconds) to milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`"${value}" is not a duration: use a number with ms, s, m or h (10s, 500ms, 2m)`);
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!);
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `4096`, `64k`, `16MiB`... to bytes (binary units). */
export function parseBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError(`"${value}" is not a size: use bytes or a unit (4096, 64KiB, 16MiB)`);
  return Math.round(Number(match[1]) * unit);
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError(`"${value}" is not a port: use 0 to 65535 (0 picks a free port)`);
  return port;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return n;
}

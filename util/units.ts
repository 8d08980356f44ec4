// Durations and sizes as people type them. Pure parsers shared by the CLI, scenario files and thresholds.

const DURATION_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `10s`, `2m`, `1h`, `250us` (a bare number is seconds) to milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(us|ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a duration: use a number with ms, s, m or h (10s, 500ms, 2m)`);
  return Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!;
}

export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

/** `4096`, `64k`, `16MiB`... to bytes (binary units). */
export function parseBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`"${value}" is not a size: use bytes or a unit (4096, 64KiB, 16MiB)`);
  return Math.round(Number(match[1]) * unit);
}

// The one table of units: times always carry theirs (only 0 needs none), sizes are bytes when bare,
// and what formatting writes, parsing reads back exactly.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { UNITS, UnitError, formatBytes, formatDuration, parseBytes, parseDuration, timeInMs, unitNamed } from '../units.js';

function refusal(parse: () => unknown): UnitError {
  try {
    parse();
  } catch (err) {
    if (err instanceof UnitError) return err;
    throw err;
  }
  throw new Error('it parsed');
}

describe('parseDuration', () => {
  test.each([
    ['250us', 0.25], ['1500us', 1.5], ['500ms', 500], ['0.5ms', 0.5], ['10s', 10_000], ['1.5s', 1500], ['2m', 120_000],
    ['1h', 3_600_000], [' 30s ', 30_000], ['10 s', 10_000], ['0', 0], ['0.0', 0], ['0s', 0], [0, 0],
  ] as const)('%j is %s ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    ['10', 's', 'give a unit, e.g. 10s'],
    ['10', 'ms', 'give a unit, e.g. 10ms'],
    [250, 'ms', 'give a unit, e.g. 250ms'],
    ['0.5', 's', 'give a unit, e.g. 0.5s'],
  ] as const)('a bare %j is refused, and the fix shows it with its old unit (%s)', (value, bareUnit, fix) => {
    const err = refusal(() => parseDuration(value, bareUnit));
    expect(err.code).toBe('BAD_UNIT');
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(fix);
    expect(err.message).toContain('only 0 needs none');
  });

  test.each([['soon'], ['-5s'], ['10 seconds'], ['1min'], ['10S'], ['5d'], [''], ['1e3ms'], ['.5s']])('%j is not a duration', (text) => {
    expect(refusal(() => parseDuration(text)).message).toMatch(/is not a duration/);
  });
});

describe('parseBytes', () => {
  test.each([
    ['4096', 4096], [4096, 4096], ['0', 0], ['100B', 100], ['64KiB', 65536], ['16MiB', 16 * 2 ** 20], ['1GiB', 2 ** 30],
    ['1.5KiB', 1536], ['64k', 65536], ['64kB', 65536], ['2M', 2 * 2 ** 20], ['2MB', 2 * 2 ** 20], ['1g', 2 ** 30], ['16mib', 16 * 2 ** 20],
  ] as const)('%j is %i bytes', (text, n) => {
    expect(parseBytes(text)).toBe(n);
  });

  test.each([['big'], ['-1'], ['4 KB per chat'], ['1TiB'], ['']])('%j is not a size', (text) => {
    expect(refusal(() => parseBytes(text)).message).toMatch(/is not a size/);
  });
});

describe('the table', () => {
  test('times are exact: m is a minute and M no time at all; sizes read in any case', () => {
    expect(unitNamed('time', 'm')?.factor).toBe(60_000_000);
    expect(unitNamed('time', 'M')).toBeUndefined();
    expect(unitNamed('size', 'kib')?.name).toBe('KiB');
    expect(timeInMs(3, 'us')).toBe(0.003);
    expect(timeInMs(3, 'd')).toBeNull();
  });

  test('every unit has one name, and every written unit reads back as itself', () => {
    const names = UNITS.map((u) => `${u.quantity}:${u.name.toLowerCase()}`);
    expect(new Set(names).size).toBe(names.length);
    for (const unit of UNITS) expect(unitNamed(unit.quantity, unit.name)).toBe(unit);
  });

  test('defaults as help shows them', () => {
    expect([0, 1000, 2000, 10_000, 30_000, 90_000, 120_000, 3_600_000, 1.5, 0.25].map(formatDuration))
      .toEqual(['0s', '1s', '2s', '10s', '30s', '90s', '2m', '1h', '1500us', '250us']);
    expect([0, 64, 1024, 4096, 16 * 1024, 8 * 2 ** 20, 16 * 2 ** 20, 2 ** 30, 1500].map(formatBytes))
      .toEqual(['0', '64', '1KiB', '4KiB', '16KiB', '8MiB', '16MiB', '1GiB', '1500']);
  });
});

describe('round trips', () => {
  // Whole microseconds up to about 11 days, and whole milliseconds up to a year: every time a
  // setting or threshold can hold.
  const micros = fc.integer({ min: 0, max: 1e12 }).map((n) => n / 1000);
  const millis = fc.integer({ min: 0, max: 365 * 24 * 3_600_000 });

  test.prop([fc.oneof(micros, millis)])('parseDuration(formatDuration(ms)) is ms', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  test.prop([fc.oneof(micros, millis)])('formatting is canonical: what it writes, it writes again', (ms) => {
    const text = formatDuration(ms);
    expect(formatDuration(parseDuration(text))).toBe(text);
  });

  test.prop([fc.integer({ min: 0, max: 1e15 }), fc.constantFrom(...UNITS.filter((u) => u.quantity === 'time'))])(
    'n of any time unit reads as n times its factor',
    (n, unit) => {
      expect(parseDuration(`${n}${unit.name}`)).toBe((n * unit.factor) / 1000);
    },
  );

  test.prop([fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 2 ** 20 }).map((n) => n * 1024))])(
    'parseBytes(formatBytes(n)) is n',
    (n) => {
      expect(parseBytes(formatBytes(n))).toBe(n);
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 30 }), fc.constantFrom(...UNITS.filter((u) => u.quantity === 'size'))])(
    'n of any size unit is n times its factor, in any case',
    (n, unit) => {
      expect(parseBytes(`${n}${unit.name}`)).toBe(n * unit.factor);
      expect(parseBytes(`${n}${unit.name.toUpperCase()}`)).toBe(n * unit.factor);
    },
  );
});

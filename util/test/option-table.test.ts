// The options tables' resolver: flags over the file over the defaults, every mistake at once with
// where it was, and a bug inside a kind left a bug: it goes through, never a usage error [D-EXIT].
import { describe, expect, test } from 'vitest';
import { UsageError } from '../errors.js';
import { ConfigError, issueText, option, resolveOptions, type ValueKind } from '../option-table.js';
import { count, duration, parsing } from '../option-kinds.js';

const TABLE = {
  users: option({ flag: '--users', file: 'users', kind: count(), default: 100, doc: 'users' }),
  timeout: option({ flag: '--timeout', file: 'limits.timeout', kind: duration({ positive: true }), default: 5000, doc: 'timeout' }),
  only: option({ flag: null, file: 'limits.only', kind: count(0), default: 0, doc: 'file only' }),
};

describe('resolveOptions', () => {
  test('a flag given wins over the file, which wins over the default; each value says where it came from', () => {
    const r = resolveOptions(TABLE, { users: '7' }, { source: 'f.yaml', data: { users: 3, limits: { timeout: '1s' } } });
    expect(r.issues).toEqual([]);
    expect(r.values).toEqual({ users: 7, timeout: 1000, only: 0 });
    expect(r.origins).toEqual({ users: 'flag', timeout: 'file', only: 'default' });
  });

  test('every mistake, with its flag and word or its file and field; the failed keep their default', () => {
    const r = resolveOptions(TABLE, { users: 'x', timeout: '3' }, { source: 'f.yaml', data: { limits: { only: -1, tiemout: 1 }, extra: true } });
    expect(r.issues.map(issueText)).toEqual([
      'f.yaml: limits: unknown field "tiemout": did you mean "timeout"?',
      'f.yaml: unknown field "extra"',
      '--users x: give a whole number ≥ 1',
      '--timeout 3: give a unit, e.g. 3s (a time takes us, ms, s, m or h; only 0 needs none)',
      'f.yaml: limits.only: give a whole number ≥ 0',
    ]);
    expect(r.values).toEqual({ users: 100, timeout: 5000, only: 0 });
    expect([...r.failed]).toEqual(['users', 'timeout', 'only']);
  });

  test('a ConfigError is a usage error (exit 2) carrying every issue', () => {
    const err = new ConfigError([{ field: '--users', where: '--users x', message: 'give a whole number ≥ 1' }, { field: 'a', where: 'f.yaml: a', message: 'b' }]);
    expect(err).toBeInstanceOf(UsageError);
    expect([err.code, err.exitCode]).toEqual(['BAD_CONFIG', 2]);
    expect(err.message).toBe('2 settings to fix:\n  --users x: give a whole number ≥ 1\n  f.yaml: a: b');
  });
});

describe('a bug is not a bad value', () => {
  const buggy: ValueKind<number> = {
    placeholder: '<n>',
    word: parsing(() => { throw new TypeError('a planted bug'); }),
    file: parsing(() => { throw new RangeError('a planted bug'); }),
    format: String,
  };
  const table = { n: option({ flag: '--n', file: 'n', kind: buggy, default: 1, doc: 'n' }) };

  test('what a kind throws that is not a UsageError goes through resolveOptions as it is', () => {
    expect(() => resolveOptions(table, { n: '1' }, null)).toThrow(TypeError);
    expect(() => resolveOptions(table, {}, { source: 'f.yaml', data: { n: 1 } })).toThrow(RangeError);
  });
});

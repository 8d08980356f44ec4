// The conform options table: each key is its flag in camel case (commander's name for it), and the
// README documents every flag.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CONFORM_OPTIONS, resolveConformOptions } from '../run/conform-options.js';
import { ConfigError } from '../../util/option-table.js';

describe('talkbench conform options', () => {
  test('each key is its flag in camel case, and the README names every flag', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [key, spec] of Object.entries(CONFORM_OPTIONS)) {
      expect(spec.flag).toBe(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      expect(readme, spec.flag!).toContain(`\`${spec.flag}`);
    }
  });

  test('defaults, and a seed chosen when none is given', () => {
    const config = resolveConformOptions({ target: '127.0.0.1:8999' });
    expect(config).toMatchObject({ protocol: 'im', layout: 'le', timeoutMs: 2000, runs: 25, only: [], skip: [], strict: false, unanswered: [] });
    expect(Number.isInteger(config.seed)).toBe(true);
  });

  test('every mistake at once, each naming its flag', () => {
    let error: unknown;
    try { resolveConformOptions({ target: 'a:b:c', runs: '0', timeout: '5', layout: 'xx' }); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['--layout', '--runs', '--target', '--timeout']);
  });

  test('no target is a usage error unless --list', () => {
    expect(() => resolveConformOptions({})).toThrow(/no target/);
    expect(resolveConformOptions({ list: true }).target).toBeNull();
  });
});

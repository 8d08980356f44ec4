// `talkbench serve`'s flags from one table: defaults, units, and every bad flag at once (exit 2).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SERVER_OPTIONS, SERVE_OPTIONS, resolveServeOptions } from '../options.js';
import { ConfigError, issueText } from '../../util/option-table.js';

// The words as commander gives them, keyed as SERVE_OPTIONS (cli/parse-values.ts reads them so;
// bench/test/unit/load-options.test.ts checks that reading).
function issues(given: Record<string, unknown>): string[] {
  try {
    resolveServeOptions(given);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(issueText);
    throw err;
  }
  throw new Error('the flags were accepted');
}

describe('serve options', () => {
  test('no flag: the documented defaults', () => {
    expect(resolveServeOptions({})).toEqual(DEFAULT_SERVER_OPTIONS);
  });

  test('flags with their units', () => {
    expect(resolveServeOptions({
      imPort: '0', memory: true, logLevel: 'warn', layout: 'be', maxBody: '64KiB', maxLine: '1k',
      idleTimeout: '1.5s', scryptCost: '1024', maxOutbound: '1MiB', publicUrl: 'http://files.example:81',
    })).toMatchObject({
      imPort: 0, memory: true, logLevel: 'warn', layout: 'be', maxBodyBytes: 65536, maxLineBytes: 1024, idleTimeoutMs: 1500,
      scryptCost: 1024, maxOutboundBytes: 2 ** 20, publicUrl: 'http://files.example:81/',
    });
  });

  test('every bad flag at once, each named with its word', () => {
    expect(issues({
      imPort: '70000', chatPort: 'x', logLevel: 'loud', layout: 'middle', maxBody: 'huge',
      idleTimeout: '30', scryptCost: '1000', maxUserList: '0', publicUrl: 'files.example',
    })).toEqual([
      '--im-port 70000: give a port, 0 to 65535 (0 picks a free port)',
      '--chat-port x: give a port, 0 to 65535 (0 picks a free port)',
      '--log-level: "loud" is not one of error, warn, info, debug',
      '--layout: "middle" is not one of le, be',
      '--max-body: "huge" is not a size: give bytes, or a number and a unit (4096, 64KiB, 16MiB)',
      '--idle-timeout 30: give a unit, e.g. 30s (a time takes us, ms, s, m or h; only 0 needs none)',
      '--scrypt-cost 1000: give a power of two from 2 to 1048576 (1024, 16384)',
      '--max-user-list 0: give a whole number ≥ 1',
      '--public-url: "files.example" is not a URL: give one such as http://files.example:8080',
    ]);
  });

  test('an idle timeout of 0 would close every connection at once: refused', () => {
    expect(issues({ idleTimeout: '0' })).toEqual(['--idle-timeout 0: give a time longer than 0, e.g. 500ms or 1s']);
  });

  test('each key is its flag in camel case (commander’s name for it), and the README names every flag', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [key, spec] of Object.entries(SERVE_OPTIONS)) {
      expect(spec.flag).toBe(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      expect(readme, spec.flag!).toContain(`\`${spec.flag}`);
    }
  });
});

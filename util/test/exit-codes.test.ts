// Exit-code precedence [D-EXIT]: when several codes apply, the first of 70, 2, 130, 3, 4, 5, 99, 1, 6
// wins. The order is read from the decision itself and from the README's table, so code and documents
// cannot drift apart; then worstExit is checked as the "maximum under that order" it must be.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { EXIT, worstExit, type ExitCode } from '../exit-codes.js';

const read = (path: string): string => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

/** "When several apply, the first of this order wins: 70, 2, ..." from a document. */
function documentedOrder(text: string): number[] {
  const line = /the first of this order wins: ([\d, ]+)\./.exec(text)?.[1];
  expect(line, 'the precedence sentence').toBeDefined();
  return line!.split(',').map((s) => Number(s.trim()));
}

/** The codes of a `| code | meaning |` table. */
function documentedCodes(text: string): number[] {
  return [...text.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
}

const DECISION = read('../../docs/DECISIONS.md').split('## [D-EXIT]')[1]!.split('\n## ')[0]!;
const README = read('../../README.md').split('## Exit codes')[1]!.split('\n## ')[0]!;

/** The order of [D-EXIT], written out: the test's own copy, checked against both documents below. */
const ORDER: readonly ExitCode[] = [70, 2, 130, 3, 4, 5, 99, 1, 6];
const CODES: readonly ExitCode[] = [0, ...ORDER];
const rank = (code: ExitCode): number => (code === 0 ? ORDER.length : ORDER.indexOf(code));

describe('the documents and the code agree [D-EXIT]', () => {
  test('the decision and the README give this order, and every code they list but 0 is in it', () => {
    expect(documentedOrder(DECISION)).toEqual(ORDER);
    expect(documentedOrder(README)).toEqual(ORDER);
    for (const table of [DECISION, README]) {
      expect([...documentedCodes(table)].sort((a, b) => a - b)).toEqual([...CODES].sort((a, b) => a - b));
    }
    expect(Object.values(EXIT).sort((a, b) => a - b)).toEqual([...CODES].sort((a, b) => a - b));
  });
});

describe('worstExit: the table', () => {
  test.each<[string, ExitCode[], ExitCode]>([
    ['nothing applies', [], 0],
    ['only success', [0, 0], 0],
    // Each code against the one after it in the order.
    ['a bug hides a usage error', [2, 70], 70],
    ['a usage error hides an interruption', [130, 2], 2],
    ['an interruption hides an unusable target', [3, 130], 130],
    ['an unusable target hides one that failed mid-run', [4, 3], 3],
    ['a target failed mid-run hides an overloaded generator', [5, 4], 4],
    ['an overloaded generator outranks the thresholds it measured', [99, 5], 5],
    ['a crossed threshold hides a failed check', [1, 99], 99],
    ['a failed check hides a regression', [6, 1], 1],
    // The decision's reasons, one row each.
    ['a bug hides everything', [6, 1, 99, 5, 4, 3, 130, 2, 70], 70],
    ['a usage error hides everything but a bug', [6, 1, 99, 5, 4, 3, 130, 2], 2],
    ['an untrustworthy run (4) outranks what it measured', [99, 1, 4], 4],
    ['an untrustworthy run (5) outranks what it measured', [1, 99, 5, 6], 5],
    ['repeats count once', [99, 99, 1, 1], 99],
  ])('%s: %j gives %s', (_, codes, expected) => {
    expect(worstExit(codes)).toBe(expected);
  });

  test('every pair: the one earlier in the order wins, in either position', () => {
    for (const [i, a] of ORDER.entries()) {
      for (const b of ORDER.slice(i + 1)) {
        expect([worstExit([a, b]), worstExit([b, a])]).toEqual([a, a]);
      }
      expect([worstExit([a, 0]), worstExit([0, a])]).toEqual([a, a]);
    }
  });
});

describe('worstExit: properties', () => {
  const arbCode = fc.constantFrom(...CODES);
  const arbCodes = fc.array(arbCode, { maxLength: 12 });

  test.prop([arbCodes])('the result is one of the codes given, or 0 when none but 0 is', (codes) => {
    const worst = worstExit(codes);
    if (codes.some((c) => c !== 0)) expect(codes).toContain(worst);
    else expect(worst).toBe(0);
    // Nothing given outranks it.
    for (const c of codes) expect(rank(worst)).toBeLessThanOrEqual(rank(c));
  });

  test.prop([arbCodes.chain((codes) => fc.tuple(fc.constant(codes), fc.shuffledSubarray(codes, { minLength: codes.length })))])(
    'the order the codes come in does not matter',
    ([codes, shuffled]) => {
      expect(worstExit(shuffled)).toBe(worstExit(codes));
    },
  );

  test.prop([arbCodes, arbCode, fc.nat()])('a code added anywhere wins exactly when it ranks higher; otherwise nothing changes', (codes, added, at) => {
    const before = worstExit(codes);
    const i = codes.length === 0 ? 0 : at % (codes.length + 1);
    const after = worstExit([...codes.slice(0, i), added, ...codes.slice(i)]);
    expect(after).toBe(rank(added) < rank(before) ? added : before);
  });

  test.prop([arbCodes, fc.nat(4)])('adding 0s changes nothing', (codes, zeros) => {
    expect(worstExit([...codes, ...Array<ExitCode>(zeros).fill(EXIT.ok)])).toBe(worstExit(codes));
  });

  test.prop([arbCodes, arbCodes])('combining in steps is combining at once (a merged result with its own code)', (a, b) => {
    // outcome.ts and processes.ts combine an already-combined code with another.
    expect(worstExit([worstExit(a), worstExit(b)])).toBe(worstExit([...a, ...b]));
    expect(worstExit([worstExit(a)])).toBe(worstExit(a));
  });
});

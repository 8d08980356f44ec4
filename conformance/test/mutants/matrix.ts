// The mutant matrix [D-MUTANTS]: every mutant run against the checks of its area, each result kept
// as PASS or not, and the two questions asked of it: which MUST and SHOULD checks no mutant fails
// (a check nothing can fail is a bug of the suite), and which mutants no check catches. Rendered as a
// Markdown table for docs/CONFORMANCE.md. A cell is pass / not-pass only (PASS against FAIL, TIMEOUT,
// ERROR...), so a loaded machine turning a FAIL into a TIMEOUT changes nothing.
import fc from 'fast-check';
import type { CheckDefinition, Level, Outcome } from '../../catalogue/check.js';
import { protocolOf } from '../../catalogue/check.js';
import { runAgainst } from '../support.js';
import { inArea, type Mutant } from './mutant.js';

export interface MutantColumn {
  name: string;
  bug: string;
  /** Outcome by check id, for the checks of its area. */
  outcomes: Record<string, Outcome>;
  /** Why each not-passing check did not pass (expected / got, or the error), for messages. */
  evidence: Record<string, string>;
  durationMs: number;
}

export interface Matrix {
  checks: { id: string; level: Level }[];
  mutants: MutantColumn[];
}

/** The checks of `catalogue` a mutant runs: its protocol, its area. */
export function checksFor(mutant: Mutant, catalogue: readonly CheckDefinition[]): CheckDefinition[] {
  return catalogue.filter((c) => protocolOf(c) === mutant.protocol && inArea(mutant, c.id));
}

/** Runs one mutant against the checks of its area, with few examples per property (`runs`, unless the mutant says how many). */
export async function runMutant(mutant: Mutant, catalogue: readonly CheckDefinition[], runs = 3): Promise<MutantColumn> {
  const checks = checksFor(mutant, catalogue);
  const startMs = performance.now();
  const running = await mutant.start();
  try {
    const run = await runAgainst({ port: running.port, protocol: mutant.protocol, profile: running.profile }, checks, { runs: mutant.runs ?? runs });
    return {
      name: mutant.name,
      bug: mutant.bug,
      outcomes: Object.fromEntries(run.results.map((r) => [r.id, r.outcome])),
      evidence: Object.fromEntries(run.results.filter((r) => r.outcome !== 'PASS').map((r) => [r.id, `${r.outcome}: ${r.expected ?? r.message ?? ''}${r.got ? ` | got ${r.got}` : ''}`.slice(0, 300)])),
      durationMs: Math.round(performance.now() - startMs),
    };
  } finally {
    await running.close();
  }
}

/** Runs `tasks` with at most `limit` at a time, results in the order of `tasks`. */
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export interface MatrixOptions {
  /** Examples per property (a mutant may ask for more). */
  runs: number;
  /** Mutants run at once: most of their time is spent waiting on timeouts, not on the CPU. */
  atOnce: number;
}

/**
 * Every mutant against the checks of its area. The matrix asks only whether a check fails, not for
 * its smallest counterexample, so a property stops at its first failing example instead of shrinking
 * it (each try can wait out a timeout).
 */
export async function runMatrix(catalogue: readonly CheckDefinition[], mutants: readonly Mutant[], options: MatrixOptions): Promise<Matrix> {
  const global = fc.readConfigureGlobal();
  fc.configureGlobal({ ...global, endOnFailure: true });
  try {
    const columns = await inPool(mutants.map((m) => () => runMutant(m, catalogue, options.runs)), options.atOnce);
    return { checks: catalogue.map((c) => ({ id: c.id, level: c.level })), mutants: columns };
  } finally {
    fc.configureGlobal(global);
  }
}

export const notPassing = (outcome: Outcome | undefined): boolean => outcome !== undefined && outcome !== 'PASS';

/** MUST and SHOULD checks that no mutant makes not-pass (INFO checks are exempt). */
export function uncaughtChecks(matrix: Matrix): string[] {
  return matrix.checks
    .filter((c) => c.level !== 'INFO' && !matrix.mutants.some((m) => notPassing(m.outcomes[c.id])))
    .map((c) => c.id);
}

/** Mutants that make no check not-pass. */
export function uncaughtMutants(matrix: Matrix): string[] {
  return matrix.mutants.filter((m) => !Object.values(m.outcomes).some(notPassing)).map((m) => m.name);
}

const cell = (outcome: Outcome | undefined): string => (outcome === undefined ? '' : notPassing(outcome) ? '**not-pass**' : 'pass');

/**
 * The matrix as Markdown: a row per check (its level, then one cell per mutant: `pass`, `not-pass`,
 * or empty when the check is outside the mutant's area), a column per mutant, a last column counting
 * the mutants each check does not pass against ("none" for a MUST or SHOULD check: a bug of the
 * suite), a last row counting the checks each mutant makes not pass, then the mutants' bugs. Only pass / not-pass is
 * shown, never the outcome: a loaded machine may turn a FAIL into a TIMEOUT, and the table must not
 * change with it.
 */
export function renderMatrix(matrix: Matrix): string {
  const names = matrix.mutants.map((m) => m.name);
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const lines = [
    row(['check', 'level', ...names.map((n) => `\`${n}\``), 'not-pass']),
    row(['---', '---', ...names.map(() => ':-:'), ':-:']),
  ];
  for (const check of matrix.checks) {
    const outcomes = matrix.mutants.map((m) => m.outcomes[check.id]);
    const caught = outcomes.filter(notPassing).length;
    lines.push(row([`\`${check.id}\``, check.level, ...outcomes.map(cell), check.level !== 'INFO' && caught === 0 ? '**none**' : String(caught)]));
  }
  lines.push(row(['**not-pass**', '', ...matrix.mutants.map((m) => String(Object.values(m.outcomes).filter(notPassing).length)), '']));
  lines.push('', ...matrix.mutants.map((m) => `- \`${m.name}\`: ${m.bug}`));
  return lines.join('\n');
}

/**
 * The matrix for docs/CONFORMANCE.md, a row per check: the mutants of its area it does not pass
 * against, and how many it passes against (a 70-column table is unreadable); then each mutant's
 * bug. Pass / not-pass only, as in renderMatrix.
 */
export function renderMatrixByCheck(matrix: Matrix): string {
  const lines = ['| check | level | not-pass against | passes against |', '|---|---|---|---|'];
  for (const check of matrix.checks) {
    const inArea = matrix.mutants.filter((m) => m.outcomes[check.id] !== undefined);
    const caught = inArea.filter((m) => notPassing(m.outcomes[check.id])).map((m) => `\`${m.name}\``);
    const none = check.level === 'INFO' ? '(INFO: exempt)' : '**none**';
    lines.push(`| \`${check.id}\` | ${check.level} | ${caught.length > 0 ? caught.join(', ') : none} | ${inArea.length - caught.length} |`);
  }
  lines.push('', `${matrix.mutants.length} mutants:`, '', ...matrix.mutants.map((m) => `- \`${m.name}\`: ${m.bug}`));
  return lines.join('\n');
}

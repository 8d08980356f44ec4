// What a person reads in the terminal: a header naming what was checked and how to rerun it, one
// line per check as it ends (outcome, level, id, time), each check that did not pass with what was
// expected, what came, the command that reruns it and where its transcript is; then the totals.
import type { ConformanceCheckResult, ConformanceResult } from '../schema/conformance-result.js';

type Outcome = ConformanceCheckResult['outcome'];
/** What a check's lines show: a result as the runner gives it or as a result file holds it. */
export type CheckLine = Pick<ConformanceCheckResult, 'id' | 'level' | 'outcome' | 'durationMs' | 'expected' | 'got' | 'message' | 'stale' | 'fastCheck'>;

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export interface CheckLineExtras {
  rerun: string;
  transcriptFile: string | null;
}

/** The line (and, when it did not pass, the lines under it) for one check. */
export function formatCheck(result: CheckLine, extras: CheckLineExtras, options: { gating: boolean }): string[] {
  const stale = result.stale ? '  (known failure, but it passed: remove it from the list)' : '';
  const lines = [`${result.outcome.padEnd(7)} ${result.level.padEnd(6)} ${result.id.padEnd(40)} ${seconds(result.durationMs).padStart(8)}${stale}`];
  const indent = ' '.repeat(15);
  if (result.outcome === 'PASS' && result.message !== null) lines.push(`${indent}${result.message}`);
  if (result.outcome === 'PASS' || result.outcome === 'SKIP') {
    if (result.outcome === 'SKIP') lines.push(`${indent}${result.message ?? ''}`);
    return lines;
  }
  if (result.expected !== null) lines.push(`${indent}expected ${result.expected}`);
  if (result.got !== null) lines.push(`${indent}got      ${result.got}`);
  if (result.message !== null) lines.push(`${indent}${result.message}`);
  if (result.fastCheck !== null) {
    const f = result.fastCheck;
    lines.push(`${indent}smallest example (seed ${f.seed}, path ${f.path}, ${f.shrinks} shrinks${f.reproduced ? '' : ', did not fail again when rerun'}): ${f.counterexample.slice(0, 300)}`);
  }
  if (!options.gating && result.outcome !== 'XFAIL') lines.push(`${indent}(${result.level}: does not fail the run${result.level === 'SHOULD' ? ' without --strict' : ''})`);
  lines.push(`${indent}rerun    ${extras.rerun}`);
  if (extras.transcriptFile !== null) lines.push(`${indent}transcript ${extras.transcriptFile}`);
  return lines;
}

export function formatTotals(totals: Readonly<Record<Outcome, number>>, connections: number, durationMs: number): string {
  const parts = (Object.entries(totals) as [Outcome, number][]).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`);
  const checks = Object.values(totals).reduce((a, b) => a + b, 0);
  return `${checks} checks: ${parts.join(', ')}; ${connections} connections opened; ${seconds(Math.round(durationMs))}`;
}

/** A conformance result file as the terminal shows it (`talkbench report`): as `conform` printed it. */
export function conformanceSummary(result: ConformanceResult): string {
  const head = `talkbench conform ${result.tool.version} (suite ${result.suiteVersion}): ${result.protocol === 'im' ? `IM, layout ${result.layout}` : 'CHAT/1.0'} at ${result.target.host}:${result.target.port}; seed ${result.settings.seed}, ${result.settings.runs} examples per property; ${result.checks.length} checks`;
  const lines = [head];
  if (result.preflight.problem !== null) lines.push(`preflight: ${result.preflight.problem}`);
  const gating = new Set(result.failing.map((f) => f.id));
  for (const c of result.checks) lines.push(...formatCheck(c, { rerun: c.rerun, transcriptFile: c.transcriptFile }, { gating: gating.has(c.id) }));
  lines.push('', formatTotals(result.totals as Record<Outcome, number>, result.connectionsOpened, Date.parse(result.finishedAt) - Date.parse(result.startedAt)));
  if (result.stoppedAfter !== null) lines.push(`the target stopped answering after ${result.stoppedAfter}: the checks after it are ERROR`);
  const why = result.failing.length > 0 ? `: ${result.failing.map((f) => `${f.id} (${f.why})`).join('; ')}` : '';
  lines.push(`result: ${result.exitCode === 0 ? 'passed' : 'failed'} (exit ${result.exitCode})${why}`);
  return lines.join('\n');
}

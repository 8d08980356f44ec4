// Markdown reports, for pull-request comments and GitHub job summaries ($GITHUB_STEP_SUMMARY): the
// verdict first, then compact tables. Cells are escaped so a server's message cannot break a table.
import { lateSendsText, opFigures } from './op-figures.js';
import type { ConformanceResult } from '../schema/conformance-result.js';
import type { LoadResult } from '../schema/load-result.js';
import { formatCount as int, formatMs as ms } from './number-format.js';

const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
const row = (cells: readonly (string | number)[]): string => `| ${cells.map((c) => cell(String(c))).join(' | ')} |`;
const header = (names: readonly string[], numeric: readonly boolean[]): string[] =>
  [row(names), `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`];

export function loadMarkdown(result: LoadResult): string {
  const c = result.config;
  const ok = result.exitCode === 0;
  const lines = [
    `## ${ok ? '✅' : '❌'} talkbench load: ${result.status} (exit ${result.exitCode})`, '',
    `${c.scenario} (${c.protocol}) against ${c.targets.map((t) => `\`${t.host}:${t.port}\``).join(', ')}: ${int(c.users)} ${c.scenario === 'ping' ? 'connections' : 'users'}, ${(result.measuredMs / 1000).toFixed(1)} s measured; run \`${result.runId}\`, talkbench ${result.tool.version}`,
  ];
  if (result.reasons.length > 0) lines.push('', ...result.reasons.map((r) => `- ${cell(r)}`));
  if (result.thresholds.length > 0) {
    lines.push('', '### Thresholds', '', ...header(['', 'threshold', 'measured'], [false, false, true]));
    for (const t of result.thresholds) lines.push(row([t.passed ? '✅' : '❌', `${t.threshold}${t.isDefault ? ' (default)' : ''}`, t.note ?? (t.actual === null ? '-' : String(t.actual))]));
  }
  const ops = opFigures(result);
  if (ops.length > 0) {
    lines.push('', '### Operations (latency in ms, from the scheduled time)', '', ...header(['operation', 'sent', 'ok', 'failed', 'timeouts', 'unanswered', 'p50', 'p99', 'p99.9', 'max'], [false, true, true, true, true, true, true, true, true, true]));
    for (const { op, record: r, corrected: s } of ops) {
      const lat = (v: number | undefined): string => (v === undefined ? '-' : ms(v));
      lines.push(row([op, int(r.sent), int(r.ok), int(r.failed), int(r.timeouts), int(r.unanswered), lat(s?.p50), lat(s?.p99), lat(s?.p999), lat(s?.max)]));
    }
  }
  const deliveries = Object.entries(result.delivery);
  if (deliveries.length > 0) {
    lines.push('', '### Deliveries', '', ...header(['', 'delivered', 'lost', 'duplicated', 'reordered', 'corrupted'], [false, true, true, true, true, true]));
    for (const [op, d] of deliveries) lines.push(row([op, int(d.delivered), int(d.lost), int(d.duplicated), int(d.reordered), int(d.corrupted)]));
  }
  const g = result.generator;
  const cores = g.cpu.wallMs > 0 ? (g.cpu.userMs + g.cpu.systemMs) / g.cpu.wallMs : 0;
  lines.push('', `Generator: ${g.workers.length} worker(s), ${cores.toFixed(2)} cores, peak RSS ${(g.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${lateSendsText(result, int)}${g.overloaded ? ' — **overloaded: its latencies are not the server\'s**' : ''}. Errors: ${int(result.metrics.errors ?? 0)}.`);
  return `${lines.join('\n')}\n`;
}

export function conformanceMarkdown(result: ConformanceResult): string {
  const ok = result.exitCode === 0;
  const t = result.totals;
  const counts = (Object.entries(t) as [string, number][]).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`).join(', ');
  const lines = [
    `## ${ok ? '✅' : '❌'} talkbench conform: ${result.protocol === 'im' ? `IM (layout ${result.layout})` : 'CHAT/1.0'} at \`${result.target.host}:${result.target.port}\`: exit ${result.exitCode}`, '',
    `${result.checks.length} checks: ${counts}. Suite ${result.suiteVersion}, seed ${result.settings.seed}${result.selection.only.length ? `, only ${result.selection.only.join(',')}` : ''}${result.selection.skip.length ? `, skip ${result.selection.skip.join(',')}` : ''}.`,
  ];
  if (result.preflight.problem !== null) lines.push('', `**The target was unusable:** ${cell(result.preflight.problem)}`);
  if (result.stoppedAfter !== null) lines.push('', `**The target stopped answering after \`${result.stoppedAfter}\`**: the checks after it are ERROR.`);
  if (result.failing.length > 0) lines.push('', 'Failing the run:', '', ...result.failing.map((f) => `- \`${f.id}\`: ${cell(f.why)}`));
  const notPassing = result.checks.filter((c) => c.outcome !== 'PASS' && c.outcome !== 'SKIP');
  if (notPassing.length > 0) {
    lines.push('', '### Checks that did not pass', '', ...header(['check', 'level', 'outcome', 'expected', 'got', 'rerun'], [false, false, false, false, false, false]));
    for (const c of notPassing) lines.push(row([`\`${c.id}\``, c.level, c.outcome, c.expected ?? c.message ?? '', c.got ?? '', `\`${c.rerun}\``]));
  }
  lines.push('', '<details><summary>Every check</summary>', '', ...header(['check', 'level', 'requirements', 'outcome', 'ms'], [false, false, false, false, true]));
  for (const c of result.checks) lines.push(row([`\`${c.id}\``, c.level, c.requirements.join(' '), c.outcome + (c.stale ? ' (stale known failure)' : ''), c.durationMs]));
  lines.push('', '</details>');
  return `${lines.join('\n')}\n`;
}

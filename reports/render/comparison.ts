// A comparison for people, in the terminal and in Markdown, read like benchstat: per operation and
// percentile, BASE and NEW, the change with its interval, and the verdict (`~` where nothing changed
// for sure, `?` where the data cannot tell).
import type { ComparisonResult } from '../schema/comparison-result.js';
import { formatTable } from '../../util/text-table.js';
import { formatMs } from './number-format.js';

const ms = (v: number | null): string => (v === null ? '-' : formatMs(v));
export const pct = (r: number | null): string => (r === null ? '-' : `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`);
const mark = { regressed: 'regressed', improved: 'improved', unchanged: '~', inconclusive: '? (cannot tell)' } as const;

function rows(c: ComparisonResult): string[][] {
  return c.operations.flatMap((o) => o.changes.map((ch) => [
    o.op, `p${ch.percentile}`, ms(ch.baseMs), ms(ch.newMs), pct(ch.ratio), ch.low === null ? '-' : `[${pct(ch.low)}, ${pct(ch.high)}]`, mark[ch.verdict],
  ]));
}

const HEAD = ['operation', 'pct', 'base ms', 'new ms', 'change', `interval`, 'verdict'];

/**
 * What a reader must know before trusting "no regression": that no latency could be compared at all
 * (runs that timed nothing both measured), or that the workloads differ.
 */
export function comparisonCaveats(c: ComparisonResult): string[] {
  const out: string[] = [];
  if (c.compared === 'load' && c.operations.length === 0) out.push('no latency was compared: no operation has timed requests in the measured seconds of both runs; only the error counts were');
  for (const o of c.operations) if (o.note) out.push(`${o.op}: ${o.note}`);
  if (c.configDifferences.length > 0) out.push(`the workloads differ (compared as allowed): ${c.configDifferences.join('; ')}`);
  return out;
}

/** "3 of 16 percentiles could not be judged": what a bare "no regression" would hide. */
export function inconclusiveText(c: ComparisonResult): string | null {
  const all = c.operations.flatMap((o) => o.changes);
  const open = all.filter((ch) => ch.verdict === 'inconclusive').length;
  return open === 0 ? null : `${open} of ${all.length} percentiles inconclusive: the data cannot tell${c.settings.failOnInconclusive ? '' : ' (--fail-on-inconclusive fails on them)'}`;
}

/** Each kind of delivery, base -> new. */
const deliveryText = (c: ComparisonResult): string[] =>
  (c.delivery ?? []).map((d) => `${d.what} lost: ${d.base.lost} of ${d.base.lost + d.base.delivered} -> ${d.new.lost} of ${d.new.lost + d.new.delivered}${d.rose ? ' (rose)' : ''}`);

function verdictLine(c: ComparisonResult): string {
  const open = inconclusiveText(c);
  return c.exitCode === 0 ? `result: no regression (exit 0)${open ? `; ${open}` : ''}` : `result: regression (exit ${c.exitCode}): ${c.regressions.join('; ')}`;
}

export function comparisonSummary(c: ComparisonResult): string {
  const lines = [`talkbench compare (${c.compared}): base ${c.base.file} (${c.base.id}), new ${c.new.file} (${c.new.id}); tolerance ${(c.settings.tolerance * 100).toFixed(0)}%, confidence ${(c.settings.confidence * 100).toFixed(0)}%, ${c.settings.resamples} resamples of whole seconds`];
  lines.push(...comparisonCaveats(c).map((w) => `note: ${w}`));
  if (c.operations.length > 0) {
    lines.push('', formatTable(HEAD.map((header, i) => ({ header, align: i < 2 || i === 6 ? 'left' as const : 'right' as const })), rows(c)));
  }
  if (c.errors) lines.push(`errors: ${c.errors.base} -> ${c.errors.new}${c.errors.rose ? ' (rose)' : ''}`);
  lines.push(...deliveryText(c));
  if (c.checks) {
    lines.push(`checks newly failing: ${c.checks.newlyFailing.join(', ') || 'none'}`);
    lines.push(`checks newly passing: ${c.checks.newlyPassing.join(', ') || 'none'}`);
  }
  lines.push(verdictLine(c));
  return lines.join('\n');
}

export function comparisonMarkdown(c: ComparisonResult): string {
  const esc = (t: string): string => t.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const lines = [`## ${c.exitCode === 0 ? '✅' : '❌'} talkbench compare (${c.compared}): ${c.exitCode === 0 ? 'no regression' : 'regression'}`, ''];
  lines.push(`Base \`${c.base.id}\`, new \`${c.new.id}\`; tolerance ${(c.settings.tolerance * 100).toFixed(0)}%, confidence ${(c.settings.confidence * 100).toFixed(0)}%; \`~\` unchanged, \`?\` cannot tell.`);
  if (c.regressions.length > 0) lines.push('', ...c.regressions.map((r) => `- ${esc(r)}`));
  const caveats = comparisonCaveats(c);
  if (caveats.length > 0) lines.push('', ...caveats.map((w) => `> **Note:** ${esc(w)}.`));
  if (c.operations.length > 0) {
    lines.push('', `| ${HEAD.join(' | ')} |`, '|---|---|---:|---:|---:|---:|---|');
    for (const r of rows(c)) lines.push(`| ${r.map(esc).join(' | ')} |`);
  }
  if (c.errors) lines.push('', `Errors: ${c.errors.base} → ${c.errors.new}${c.errors.rose ? ' (rose)' : ''}.`);
  const delivery = deliveryText(c);
  if (delivery.length > 0) lines.push('', `Deliveries: ${delivery.join('; ')}.`);
  const open = inconclusiveText(c);
  if (open && c.exitCode === 0) lines.push('', `${open}.`);
  if (c.checks) lines.push('', `Newly failing: ${c.checks.newlyFailing.map((id) => `\`${id}\``).join(', ') || 'none'}. Newly passing: ${c.checks.newlyPassing.map((id) => `\`${id}\``).join(', ') || 'none'}.`);
  return `${lines.join('\n')}\n`;
}

// `talkbench conform --list` and docs/CONFORMANCE.md, from the one catalogue: a document that cannot
// drift from the checks (a test compares the committed file with what this generates).
import type { CheckDefinition } from './check.js';
import { protocolOf } from './check.js';

/** The catalogue as the terminal shows it: id, level, requirements, and the description under it. */
export function formatCatalogue(checks: readonly CheckDefinition[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.id.padEnd(40)} ${c.level.padEnd(6)} ${c.requirements.join(' ')}`);
    lines.push(`    ${c.description}`);
  }
  lines.push('', `${checks.length} checks (${checks.filter((c) => c.level === 'MUST').length} MUST, ${checks.filter((c) => c.level === 'SHOULD').length} SHOULD, ${checks.filter((c) => c.level === 'INFO').length} INFO)`);
  return lines;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The catalogue section of docs/CONFORMANCE.md. */
export function catalogueMarkdown(checks: readonly CheckDefinition[]): string {
  const out: string[] = [];
  for (const [protocol, title] of [['im', 'IM'], ['chat', 'CHAT/1.0']] as const) {
    const mine = checks.filter((c) => protocolOf(c) === protocol);
    out.push(`### ${title} (${mine.length} checks)`, '', '| id | level | requirements | checks | the requirement | allowed |', '|---|---|---|---|---|---|');
    for (const c of mine) {
      out.push(`| \`${c.id}\` | ${c.level} | ${c.requirements.map((r) => `[${r}]`).join(' ')} | ${cell(c.description)} | ${cell(c.requirement)} | ${cell(c.allows ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

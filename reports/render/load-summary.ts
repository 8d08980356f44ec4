// The human summary printed at the end of a run: one row per operation whose counts add up, the
// deliveries, and then why the run went as it did: failures with the server's own words, frames and
// lines nobody asked for, disconnects, users given up on; the generator's health beside the errors
// (an overload verdict never hides them), thresholds and the verdict.
import { errorCount } from '../schema/error-count.js';
import type { LoadResult, Tally } from '../schema/load-result.js';
import { formatTable, type TextColumn } from '../../util/text-table.js';
import { formatCount as fmtInt, formatMs as fmtMs } from './number-format.js';
import { lateSendsText, opFigures } from './op-figures.js';

const tallyText = (t: Tally, label: (key: string) => string = (k) => k): string =>
  Object.entries(t).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${label(k)} ${fmtInt(n)}`).join(', ');

/** The first row is the header; the first column (the operation) is a name, the others numbers. */
function table(rows: string[][]): string {
  const [header, ...body] = rows;
  return formatTable(header!.map((name, c): TextColumn => ({ header: name, align: c === 0 ? 'left' : 'right' })), body);
}

function opRows(result: LoadResult): string[][] {
  const rows = [['operation', 'sent', 'ok', 'failed', 'timeouts', 'unanswered', 'rate/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p99 uncorr', 'lag p99']];
  for (const { op, record, sentOnly, rate, corrected: c, uncorrected: u, lag } of opFigures(result)) {
    const n = (v: number): string => (sentOnly ? '-' : fmtInt(v));
    const lat = (v: number | undefined): string => (v === undefined ? '-' : fmtMs(v));
    rows.push([
      op, fmtInt(record.sent), n(record.ok), n(record.failed), n(record.timeouts), n(record.unanswered),
      rate === null || sentOnly ? '-' : fmtInt(Math.round(rate)),
      lat(c?.p50), lat(c?.p90), lat(c?.p99), lat(c?.p999), lat(c?.max), lat(u?.p99), lat(lag?.p99),
    ]);
  }
  return rows;
}

/** Chats sent to users while they were away: delivered at their next login, or lost (the original drops them). */
function offlineChats(result: LoadResult): string | null {
  const offline = result.ops['chat.offline.e2e'];
  if (!offline || offline.sent === 0) return null;
  const lost = offline.sent - offline.ok;
  const why = lost > 0 && offline.ok === 0 ? ': the server does not keep chats for users who are offline' : '';
  return `  of which sent while the receiver was away: ${fmtInt(offline.sent)}, delivered at its next login ${fmtInt(offline.ok)}, lost ${fmtInt(lost)}${why}`;
}

/** Failures by reason, with a few of the server's own messages. */
function failures(result: LoadResult): string[] {
  const lines: string[] = [];
  for (const [op, record] of Object.entries(result.ops)) {
    for (const [reason, n] of Object.entries(record.failedBy)) {
      const samples = record.failureSamples[reason] ?? [];
      lines.push(`  ${op} ${reason} ${fmtInt(n)}${samples.length > 0 ? `: ${samples.map((m) => JSON.stringify(m)).join(', ')}` : ''}`);
    }
  }
  return lines.length > 0 ? ['failures (by reason, with what the server said):', ...lines] : [];
}

export function formatSummary(result: LoadResult): string {
  const lines: string[] = [];
  const c = result.config;
  lines.push(`run ${result.runId}: ${c.scenario} (${c.protocol}) against ${c.targets.map((t) => `${t.host}:${t.port}`).join(', ')}, ${c.users} ${c.scenario === 'ping' ? 'connections' : 'users'}, ${(result.measuredMs / 1000).toFixed(1)} s measured`);
  // A run that never started has nothing to tabulate: its reason is the whole story.
  if (Object.keys(result.ops).length === 0) {
    lines.push(`result: ${result.status} (exit ${result.exitCode})${result.reasons.length > 0 ? `: ${result.reasons.join('; ')}` : ''}`);
    return lines.join('\n');
  }
  lines.push('', table(opRows(result)));
  for (const [op, d] of Object.entries(result.delivery)) {
    const corrupted = d.corrupted > 0 || op === 'file' ? `, corrupted ${fmtInt(d.corrupted)}` : '';
    lines.push(`${op}: delivered ${fmtInt(d.delivered)}, lost ${fmtInt(d.lost)}, duplicated ${fmtInt(d.duplicated)}, reordered ${fmtInt(d.reordered)}${corrupted}`);
    if (op === 'chat') { const o = offlineChats(result); if (o) lines.push(o); }
  }
  if (result.ops.download) lines.push(`download throughput: ${fmtInt(result.metrics['download.throughput'] ?? 0)} bytes/s`);
  lines.push(...failures(result));
  if (Object.keys(result.unexpectedFrames).length > 0) {
    lines.push(`unexpected frames (neither an awaited reply nor a notice; counted as errors): ${tallyText(result.unexpectedFrames, (id) => `id ${id}`)}`);
  }
  if (Object.keys(result.notices).length > 0) lines.push(`notices received: ${tallyText(result.notices, (id) => `id ${id}`)}`);
  if (Object.keys(result.badLines).length > 0) lines.push(`bad lines from the server: ${tallyText(result.badLines)}`);
  if (Object.keys(result.disconnects).length > 0) lines.push(`connections the server closed or lost mid-run: ${tallyText(result.disconnects)}`);
  const failedUsers = Object.values(result.usersFailed).reduce((n, v) => n + v, 0);
  if (failedUsers > 0) lines.push(`users given up on: ${fmtInt(failedUsers)} of ${fmtInt(c.users)}: ${tallyText(result.usersFailed)}`);
  const g = result.generator;
  const cores = g.cpu.wallMs > 0 ? (g.cpu.userMs + g.cpu.systemMs) / g.cpu.wallMs : 0;
  const delays = g.workers.map((w) => w.eventLoopDelay.p99.toFixed(1)).join('/');
  lines.push(`generator: ${g.workers.length} worker(s), CPU ${cores.toFixed(2)} cores, peak RSS ${(g.peakRssBytes / 2 ** 20).toFixed(0)} MiB, event-loop delay p99 ${delays} ms, ${lateSendsText(result, fmtInt)}`);
  const { errors, attempts } = errorCount(result);
  lines.push(`errors: ${fmtInt(errors)} (${attempts > 0 ? ((errors / attempts) * 100).toFixed(2) : '0.00'}% of ${fmtInt(attempts)} requests and deliveries)`);
  for (const t of result.thresholds) {
    lines.push(`threshold ${t.passed ? 'ok     ' : 'CROSSED'} ${t.threshold}${t.isDefault ? ' (default)' : ''} (${t.note ?? `measured ${t.actual}`})`);
  }
  lines.push(`result: ${result.status} (exit ${result.exitCode})${result.reasons.length > 0 ? `: ${result.reasons.join('; ')}` : ''}`);
  return lines.join('\n');
}

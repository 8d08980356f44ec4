// The human summary printed at the end of a run: one row per operation, delivery, the generator's
// health, thresholds and the verdict.
import { decodeHistogram, summarize } from '../metrics/histogram.js';
import type { LoadResult } from './result.js';

const fmtMs = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const fmtInt = (v: number): string => v.toLocaleString('en-US');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

export function formatSummary(result: LoadResult): string {
  const lines: string[] = [];
  const secs = result.measuredMs / 1000;
  lines.push(`run ${result.runId}: ${result.config.scenario} (${result.config.protocol}) against ${result.config.targets.map((t) => `${t.host}:${t.port}`).join(', ')}, ${result.config.users} ${result.config.scenario === 'ping' ? 'connections' : 'users'}, ${secs.toFixed(1)} s measured`);
  const rows = [['operation', 'ok', 'rate/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p99 uncorr', 'failed', 'timeouts']];
  for (const [op, record] of Object.entries(result.ops)) {
    const corrected = decodeHistogram(record.corrected);
    const uncorrected = decodeHistogram(record.uncorrected);
    const c = summarize(corrected);
    const u = summarize(uncorrected);
    corrected.destroy();
    uncorrected.destroy();
    const has = c.count > 0;
    rows.push([
      op, fmtInt(record.ok), secs > 0 ? fmtInt(Math.round(record.ok / secs)) : '-',
      has ? fmtMs(c.p50) : '-', has ? fmtMs(c.p90) : '-', has ? fmtMs(c.p99) : '-', has ? fmtMs(c.p999) : '-', has ? fmtMs(c.max) : '-',
      has ? fmtMs(u.p99) : '-', fmtInt(record.failed), fmtInt(record.timeouts),
    ]);
  }
  lines.push('', table(rows));
  for (const [op, d] of Object.entries(result.delivery)) {
    lines.push(`${op}: delivered ${fmtInt(d.delivered)}, lost ${fmtInt(d.lost)}, duplicated ${fmtInt(d.duplicated)}, reordered ${fmtInt(d.reordered)}`);
  }
  const disconnects = Object.entries(result.disconnects);
  if (disconnects.length > 0) lines.push(`disconnects: ${disconnects.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  const g = result.generator;
  const cores = g.cpu.wallMs > 0 ? (g.cpu.userMs + g.cpu.systemMs) / g.cpu.wallMs : 0;
  const delays = g.workers.map((w) => w.eventLoopDelay.p99.toFixed(1)).join('/');
  lines.push(`generator: ${g.workers.length} worker(s), CPU ${cores.toFixed(2)} cores, peak RSS ${(g.peakRssBytes / 2 ** 20).toFixed(0)} MiB, event-loop delay p99 ${delays} ms, late starts ${fmtInt(g.lateStarts)} of ${fmtInt(g.actionsScheduled)}`);
  for (const t of result.thresholds) lines.push(`threshold ${t.passed ? 'ok     ' : 'CROSSED'} ${t.threshold} (measured ${t.actual ?? 'nothing'})`);
  lines.push(`result: ${result.status} (exit ${result.exitCode})${result.reasons.length > 0 ? `: ${result.reasons.join('; ')}` : ''}`);
  return lines.join('\n');
}

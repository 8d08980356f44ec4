// The load report's charts: per operation its spectrum (corrected and uncorrected on one axis, so
// coordinated omission shows as the gap between them) and its p50 and p99 per second; and for the
// whole run the completions and errors per second. Every time chart marks the phases that are not
// measured (ramp-up, warm-up, grace), so a reader does not mistake a ramp for a collapse.
import { decodeHistogram } from '../../schema/histogram.js';
import type { EncodedOp } from '../../schema/load-result.js';
import { formatCount, formatMs } from '../number-format.js';
import { histogramSpectrum, spectrumChart } from './spectrum-chart.js';
import { axisNumber, lineChart, niceTicks, roundUp, type Line } from './svg-chart.js';
import type { OpSecond, RunSeconds } from './time-series.js';

export function opSpectrum(op: string, record: EncodedOp): string {
  const corrected = decodeHistogram(record.corrected);
  const uncorrected = decodeHistogram(record.uncorrected);
  const c = histogramSpectrum(corrected);
  const u = histogramSpectrum(uncorrected);
  // A request sent the moment it was due (a login, a closed loop) has one latency: one line, so the
  // reader does not look for a second one hidden under the first.
  const same = c.length === u.length && c.every((p, i) => p.ms === u[i]!.ms);
  // The generator's own lag, on the same axis: how much of each percentile is the generator's.
  const lag = record.lag === undefined ? null : decodeHistogram(record.lag);
  const lagCurve = lag && lag.totalCount > 0 && !same ? [{ name: 'send lag (generator)', points: histogramSpectrum(lag), color: 2, dashed: true }] : [];
  lag?.destroy();
  const chart = spectrumChart(`${op}: latency by percentile`, `spectrum ${op}`, same
    ? [{ name: 'corrected = uncorrected (sent when due)', points: c, color: 0 }]
    : [{ name: 'corrected', points: c, color: 0 }, { name: 'uncorrected', points: u, color: 1, dashed: true }, ...lagCurve]);
  corrected.destroy();
  uncorrected.destroy();
  return chart;
}

const secondTicks = (run: RunSeconds): ReturnType<typeof niceTicks> => niceTicks(run.first, run.last, 8, (v) => String(v));
const xAxis = (run: RunSeconds, title: string): { min: number; max: number; ticks: ReturnType<typeof niceTicks>; title: string } =>
  ({ min: run.first, max: run.last, ticks: secondTicks(run), title });

export function opLatencyOverTime(op: string, run: RunSeconds): string {
  const seconds = (run.ops.get(op) ?? []).filter((s) => s.p50 !== null);
  const top = roundUp(Math.max(0, ...seconds.map((s) => s.p99!)));
  return lineChart({
    title: `${op}: p50 and p99 per second`, label: `latency over time ${op}`,
    x: xAxis(run, 'second of the run (1 = first measured)'),
    y: { min: 0, max: top, ticks: niceTicks(0, top, 5, axisNumber), title: 'latency ms' },
    regions: run.regions,
    lines: [
      { name: 'p50', color: 0, points: seconds.map((s) => [s.x, s.p50!] as const) },
      { name: 'p99', color: 1, points: seconds.map((s) => [s.x, s.p99!] as const) },
    ],
    hover: seconds.map((s) => ({ x: s.x, text: `second ${s.x + 0.5}: p50 ${formatMs(s.p50!)} ms, p99 ${formatMs(s.p99!)} ms, ${formatCount(s.ok)} ok` })),
  });
}

/** Completions per second of each operation (sends of one that is only sent), and errors. */
export function throughputOverTime(run: RunSeconds, sentOnly: ReadonlySet<string>): string {
  const ops = [...run.ops.entries()]
    .map(([op, seconds]) => ({ op, seconds, total: seconds.reduce((n, s) => n + (sentOnly.has(op) ? s.sent : s.ok), 0) }))
    .filter((o) => o.total > 0)
    .sort((a, b) => b.total - a.total)
    .slice(0, 7);
  const value = (op: string, s: OpSecond): number => (sentOnly.has(op) ? Math.max(0, s.sent) : s.ok);
  const errorsBySecond = new Map<number, number>();
  for (const seconds of run.ops.values()) for (const s of seconds) errorsBySecond.set(s.x, (errorsBySecond.get(s.x) ?? 0) + s.errors);
  const errors = [...errorsBySecond.entries()].sort((a, b) => a[0] - b[0]);
  const lines: Line[] = ops.map((o, i) => ({ name: `${o.op}${sentOnly.has(o.op) ? ' (sent)' : ''}`, color: i, points: o.seconds.map((s) => [s.x, value(o.op, s)] as const) }));
  if (errors.some(([, n]) => n > 0)) lines.push({ name: 'errors (failed + timeouts)', color: 7, dashed: true, points: errors });
  const top = roundUp(Math.max(0, ...lines.flatMap((l) => l.points.map((p) => p[1]))));
  const xs = [...new Set(ops.flatMap((o) => o.seconds.map((s) => s.x)))].sort((a, b) => a - b);
  return lineChart({
    title: 'Throughput per second', label: 'throughput over time',
    x: xAxis(run, 'second of the run (1 = first measured)'),
    y: { min: 0, max: top, ticks: niceTicks(0, top, 5, axisNumber), title: 'per second' },
    regions: run.regions, lines,
    hover: xs.map((x) => ({
      x,
      text: `second ${x + 0.5}: ${ops.map((o) => { const s = o.seconds.find((q) => q.x === x); return `${o.op} ${formatCount(s ? value(o.op, s) : 0)}`; }).join(', ')}; errors ${formatCount(errorsBySecond.get(x) ?? 0)}`,
    })),
  });
}

// A latency percentile spectrum as a chart: latency (ms) against percentile on HdrHistogram's
// log 1/(1-p) axis, one line per curve and an optional band per curve. Used by the load report
// (corrected and uncorrected) and by the comparison (base and new, each inside its band).
import type { Histogram } from '../../schema/histogram.js';
import { spectrumPercentiles, spectrumTicks, spectrumX } from '../../compare/percentile-grid.js';
import { formatMs } from '../number-format.js';
import { axisNumber, lineChart, niceTicks, roundUp, type Band, type Line } from './svg-chart.js';

export interface SpectrumPoint { percentile: number; ms: number }

export interface SpectrumCurve { name: string; points: readonly SpectrumPoint[]; color: number; dashed?: boolean; band?: { low: readonly number[]; high: readonly number[] } }

/** The spectrum of one histogram, at the grid's percentiles up to the highest its count resolves. */
export function histogramSpectrum(h: Histogram): SpectrumPoint[] {
  return spectrumPercentiles(h.totalCount).map((p) => ({ percentile: p, ms: h.getValueAtPercentile(p) / 1000 }));
}

const pctLabel = (p: number): string => `p${p >= 99 ? p.toFixed(Math.min(6, Math.max(1, Math.ceil(-Math.log10(100 - p))))) : p.toFixed(1)}`;

export function spectrumChart(title: string, label: string, curves: readonly SpectrumCurve[]): string {
  const all = curves.flatMap((c) => [...c.points.map((p) => p.ms), ...(c.band?.high ?? [])]);
  const top = roundUp(Math.max(0, ...all));
  const maxX = Math.max(1, ...curves.flatMap((c) => c.points.map((p) => spectrumX(p.percentile))));
  const lines: Line[] = curves.map((c) => ({ name: c.name, color: c.color, dashed: c.dashed, points: c.points.map((p) => [spectrumX(p.percentile), p.ms] as const) }));
  const bands: Band[] = curves.flatMap((c) => (c.band ? [{
    name: `${c.name}: interval`, color: c.color,
    lower: c.points.map((p, i) => [spectrumX(p.percentile), c.band!.low[i]!] as const),
    upper: c.points.map((p, i) => [spectrumX(p.percentile), c.band!.high[i]!] as const),
  }] : []));
  // Hover at each percentile of the longest curve: every curve's figure there.
  const longest = curves.reduce<SpectrumCurve | null>((a, c) => (a === null || c.points.length > a.points.length ? c : a), null);
  const hover = (longest?.points ?? []).map((p, i) => ({
    x: spectrumX(p.percentile),
    text: `${pctLabel(p.percentile)}: ${curves.filter((c) => c.points[i] !== undefined).map((c) => `${c.name} ${formatMs(c.points[i]!.ms)} ms${c.band ? ` [${formatMs(c.band.low[i]!)}, ${formatMs(c.band.high[i]!)}]` : ''}`).join('; ')}`,
  }));
  return lineChart({
    title, label, lines, bands, hover,
    x: { min: 0, max: maxX, ticks: spectrumTicks(maxX), title: 'percentile (log 1/(1-p))' },
    y: { min: 0, max: top, ticks: niceTicks(0, top, 5, axisNumber), title: 'latency ms' },
  });
}

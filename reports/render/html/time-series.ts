// A run's seconds, read for charts: per operation the completions, errors and the p50 and p99 of that
// second's histogram; and the phases as contiguous x ranges. A sample of second s covers (s-1, s]
// of the measured window (second 1 is its first), so it is drawn at s - 0.5.
import { decodeHistogram } from '../../schema/histogram.js';
import type { LoadResult, Phase } from '../../schema/load-result.js';
import type { Region } from './svg-chart.js';

export interface OpSecond { x: number; ok: number; sent: number; errors: number; p50: number | null; p99: number | null }

export interface RunSeconds {
  /** Per operation, every second the operation appeared in, ascending. */
  ops: Map<string, OpSecond[]>;
  regions: Region[];
  first: number;
  last: number;
}

const PHASE_NAMES: Record<Phase, string> = { 'ramp-up': 'ramp-up', warmup: 'warm-up', measured: 'measured', grace: 'grace' };

export function runSeconds(result: LoadResult): RunSeconds {
  const ops = new Map<string, OpSecond[]>();
  const samples = [...result.timeSeries].sort((a, b) => a.second - b.second);
  for (const s of samples) {
    for (const [op, o] of Object.entries(s.ops)) {
      const h = decodeHistogram(o.histogram);
      const has = h.totalCount > 0;
      const point: OpSecond = {
        x: s.second - 0.5, ok: o.ok, sent: o.sent, errors: o.failed + o.timeouts,
        p50: has ? h.getValueAtPercentile(50) / 1000 : null, p99: has ? h.getValueAtPercentile(99) / 1000 : null,
      };
      h.destroy();
      const list = ops.get(op) ?? [];
      list.push(point);
      ops.set(op, list);
    }
  }
  const regions: Region[] = [];
  for (const s of samples) {
    const last = regions[regions.length - 1];
    const label = PHASE_NAMES[s.phase];
    if (last && last.label === label && last.to === s.second - 1) last.to = s.second;
    else regions.push({ from: s.second - 1, to: s.second, label });
  }
  return { ops, regions: regions.filter((r) => r.label !== 'measured'), first: (samples[0]?.second ?? 1) - 1, last: samples[samples.length - 1]?.second ?? 1 };
}

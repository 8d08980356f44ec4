// A load result's histograms in HdrHistogram's own formats (`talkbench report --hdr DIR`), so the
// tools people already use with HdrHistogram read talkbench's figures:
// - OP.corrected.hgrm and OP.uncorrected.hgrm: the percentile distribution of the whole measured
//   window, as outputPercentileDistribution writes it, values in milliseconds;
// - OP.hlog: the interval log of HistogramLogWriter, one interval per second of every phase (each
//   tagged with its phase), histograms in microseconds (the max column in milliseconds).
import * as hdr from 'hdr-histogram-js';
import { decodeHistogram } from '../schema/histogram.js';
import type { LoadResult } from '../schema/load-result.js';

export interface HdrFile {
  name: string;
  text: string;
}

/** File names keep to letters, digits, dots and dashes (`chat.e2e`). */
const safe = (op: string): string => op.replace(/[^A-Za-z0-9.-]/g, '_');

function percentiles(encoded: string): string {
  const h = decodeHistogram(encoded);
  try {
    return h.outputPercentileDistribution(5, 1000);
  } finally {
    h.destroy();
  }
}

function intervalLog(result: LoadResult, op: string): string {
  const lines: string[] = [];
  const writer = new hdr.HistogramLogWriter((text: string) => { lines.push(text); });
  const samples = result.timeSeries.filter((s) => s.ops[op] !== undefined);
  const first = samples[0]?.second ?? 1;
  writer.outputComment(`talkbench ${result.tool.version}, run ${result.runId}: ${op}, latency from the scheduled time (corrected) in microseconds`);
  writer.outputComment(`one interval per second; interval i is second ${first} + i of the run, where second 1 is the first measured; each tagged with its phase (ramp-up, warmup, measured, grace)`);
  writer.outputLogFormatVersion();
  writer.outputStartTime(Date.parse(result.startedAt));
  writer.outputLegend();
  for (const sample of samples) {
    const h = decodeHistogram(sample.ops[op]!.histogram);
    h.tag = sample.phase;
    const start = sample.second - first;
    writer.outputIntervalHistogram(h, start, start + 1, 1000);
    h.destroy();
  }
  return lines.join('');
}

export function hdrFiles(result: LoadResult): HdrFile[] {
  const files: HdrFile[] = [];
  for (const [op, record] of Object.entries(result.ops)) {
    files.push({ name: `${safe(op)}.corrected.hgrm`, text: percentiles(record.corrected) });
    files.push({ name: `${safe(op)}.uncorrected.hgrm`, text: percentiles(record.uncorrected) });
    files.push({ name: `${safe(op)}.hlog`, text: intervalLog(result, op) });
  }
  return files;
}

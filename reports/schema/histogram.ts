// Latency histograms: hdr-histogram-js on WebAssembly (about five times faster to record than the JS
// build), in microseconds from 1 µs to one hour at 3 significant digits. Histograms cross threads and
// processes as compressed base64 and are merged exactly with add().
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

const HIGHEST_US = 3_600_000_000;
let wasmReady: Promise<void> | null = null;

/** Once per thread, before the first histogram. */
export function initHistograms(): Promise<void> {
  wasmReady ??= hdr.initWebAssembly();
  return wasmReady;
}

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 64,
    useWebAssembly: wasmReady !== null,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
  });
}

/** Records microseconds, clamped into the trackable range (a sub-µs round trip counts as 1 µs). */
export function recordMicros(histogram: Histogram, micros: number): void {
  histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(micros))));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 64, wasmReady !== null);
  const fresh = newHistogram();
  fresh.add(decoded);
  decoded.destroy();
  return fresh;
}

/**
 * The buckets an encoded histogram holds: each bucket's highest equivalent value (µs) and its count,
 * ascending. Read through the JS build's index API, which the public interface does not expose.
 */
export function bucketsOf(encoded: string): { values: number[]; counts: number[] } {
  const h = hdr.decodeFromCompressedBase64(encoded, 64, false) as unknown as {
    countsArrayLength: number; getCountAtIndex(i: number): number; valueFromIndex(i: number): number; highestEquivalentValue(v: number): number; destroy(): void;
  };
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const n = h.getCountAtIndex(i);
    if (n > 0) { values.push(h.highestEquivalentValue(h.valueFromIndex(i))); counts.push(n); }
  }
  h.destroy();
  return { values, counts };
}

/** Adds every encoded histogram into one. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const e of encoded) {
    const h = decodeHistogram(e);
    total.add(h);
    h.destroy();
  }
  return total;
}

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number; p90: number; p99: number; p999: number; max: number; mean: number;
}

const ms = (micros: number): number => Math.round(micros) / 1000;

export function summarize(histogram: Histogram): LatencySummary {
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

// The percentiles a latency spectrum is drawn at, on the axis HdrHistogram's plotter uses: x =
// log10(1/(1-p)), so 90%, 99%, 99.9% sit one decade apart and the tail gets the room it needs. The
// grid stops at the highest percentile the data resolves, 1 - 1/count: beyond it a figure would be
// the maximum again, claiming a precision the run does not have.

/** x on the spectrum axis of percentile p (0-100). */
export const spectrumX = (p: number): number => Math.log10(100 / (100 - p));

/**
 * Percentiles (0-100), `perDecade` a decade of 1/(1-p), up to 1 - 1/count, with `including` (the
 * percentiles a table beside the chart states, so the two agree) where the data reaches them; none
 * for an empty run.
 */
export function spectrumPercentiles(count: number, perDecade = 20, including: readonly number[] = []): number[] {
  if (count < 1) return [];
  const top = Math.log10(count);
  const out: number[] = [];
  for (let k = 0; k / perDecade <= top + 1e-12; k++) out.push(100 * (1 - 10 ** (-k / perDecade)));
  if (count > 1) out.push(100 * (1 - 1 / count));
  const highest = out[out.length - 1]!;
  // A grid point within a hair of a stated percentile (90.00000000000001) is that percentile.
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * (100 - Math.min(a, b));
  const snapped = out.map((g) => including.find((p) => near(p, g)) ?? g);
  for (const p of including) if (p <= highest) snapped.push(p);
  return [...new Set(snapped)].sort((a, b) => a - b);
}

/** The axis's ticks: 0%, 50%, 90%, 99%, ... as far as `maxX` reaches. */
export function spectrumTicks(maxX: number): { at: number; label: string }[] {
  const ticks = [{ at: 0, label: '0%' }, { at: Math.log10(2), label: '50%' }];
  for (let d = 1; d <= Math.ceil(maxX); d++) ticks.push({ at: d, label: `${(100 * (1 - 10 ** -d)).toFixed(Math.max(0, d - 2))}%` });
  return ticks;
}

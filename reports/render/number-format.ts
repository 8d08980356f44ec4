// How every report writes a latency and a count: the same figure reads the same in the terminal,
// in Markdown and in a comparison.

/** Milliseconds with three significant figures or so: 0.82, 12.4, 153. */
export const formatMs = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A count with thousands separators: 181,939. */
export const formatCount = (v: number): string => v.toLocaleString('en-US');

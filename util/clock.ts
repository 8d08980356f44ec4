// One monotonic clock in milliseconds for the load generator and the conformance suite, shared by
// every thread of a process (and every process of the machine): CLOCK_MONOTONIC through
// process.hrtime. performance.now() is cheaper but each worker thread counts from its own start, so
// it is shifted once onto the shared origin here. The shift is measured, not read once: the first
// performance.now() of a thread loads its machinery and took half a millisecond here, which a single
// reading would have built into every timestamp of the thread (and into every latency measured across
// two threads, a chat sent by one worker and received by another). So performance.now() is warmed,
// then read on both sides of hrtime several times, and the tightest bracket gives the shift.

function measureOffset(): number {
  performance.now();
  let best = { width: Infinity, offset: 0 };
  for (let i = 0; i < 16; i++) {
    const before = performance.now();
    const hr = Number(process.hrtime.bigint()) / 1e6;
    const after = performance.now();
    if (after - before < best.width) best = { width: after - before, offset: hr - (before + after) / 2 };
  }
  return best.offset;
}

const offsetMs = measureOffset();

/** Milliseconds on the machine's monotonic clock, sub-microsecond resolution. */
export function monoMs(): number {
  return performance.now() + offsetMs;
}

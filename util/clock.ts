// One monotonic clock in milliseconds for the load generator and the conformance suite, shared by
// every thread of a process (and every process of the machine): CLOCK_MONOTONIC through process.hrtime. performance.now() is cheaper but each worker
// thread counts from its own start, so it is shifted once onto the shared origin here.

const offsetMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Milliseconds on the machine's monotonic clock, sub-microsecond resolution. */
export function monoMs(): number {
  return performance.now() + offsetMs;
}

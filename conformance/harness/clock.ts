// One monotonic clock for the suite's timestamps and deadlines (the wall clock can jump).
import { performance } from 'node:perf_hooks';

export const monoMs = (): number => performance.now();

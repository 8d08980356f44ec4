// The timing loop shared by every micro-benchmark: calibrate, warm up, then time whole rounds.
// A case does its work in batches (hundreds or thousands of operations per call) so that the cost of
// the loop and of hrtime itself is negligible next to the work; the clock is read once per round.
import { hrtime } from 'node:process';

/** One thing to measure. Fixtures are built in `setup`, so that only selected cases pay for them. */
export interface BenchCase {
  /** What is measured, e.g. "FrameDecoder.push". Rows are grouped by it. */
  readonly group: string;
  /** Which variant, e.g. "le, 16 B body, 64 KiB chunks". */
  readonly name: string;
  /** The rate's unit, e.g. "frames/s". */
  readonly unit: string;
  /** Operations (frames, messages, lines) one call of the batch performs. */
  readonly opsPerBatch: number;
  /**
   * Builds the fixtures and returns the batch. The batch returns a checksum of what it produced, the
   * same on every call: comparing it keeps every result alive, so the JIT cannot drop the work, and
   * catches a codec that stops doing it. `setup` should itself check one batch against a known value.
   */
  setup(): () => number;
}

export interface TimingOptions {
  /** Timed rounds after the warm-up; odd, so the median is a measured round. */
  rounds: number;
  /** Target duration of one round, in milliseconds. */
  roundMs: number;
}

export interface Measurement {
  readonly group: string;
  readonly name: string;
  readonly unit: string;
  /** Rates over the timed rounds, in `unit`. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Nanoseconds per operation at the median rate. */
  readonly nsPerOp: number;
  /** Operations in each timed round (every round does the same number). */
  readonly ops: number;
  readonly rounds: number;
  /** The rate of each timed round, in the order measured. */
  readonly samples: readonly number[];
  /** The batch checksum: what every batch returned. */
  readonly checksum: number;
}

export class ChecksumMismatchError extends Error {
  readonly code = 'CHECKSUM_MISMATCH';
}

/** Runs `count` batches and returns the elapsed nanoseconds. The only place the clock is read. */
function timeBatches(batch: () => number, count: number, expected: number, label: string): number {
  const start = hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const checksum = batch();
    if (checksum !== expected) {
      throw new ChecksumMismatchError(`${label}: a batch returned checksum ${checksum}, the first returned ${expected}`);
    }
  }
  return Number(hrtime.bigint() - start);
}

export function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function measure(benchCase: BenchCase, options: TimingOptions): Measurement {
  const label = `${benchCase.group} ${benchCase.name}`;
  const batch = benchCase.setup();
  const checksum = batch();
  if (!Number.isFinite(checksum)) throw new ChecksumMismatchError(`${label}: checksum ${checksum} is not a finite number`);
  const roundNs = options.roundMs * 1e6;

  // Calibration doubles the batch count until a run lasts an eighth of a round: cheap, and long
  // enough that the clock's resolution does not matter. It also gets the JIT going.
  let count = 1;
  let ns = timeBatches(batch, count, checksum, label);
  while (ns < roundNs / 8) {
    count *= 2;
    ns = timeBatches(batch, count, checksum, label);
  }
  // The warm-up round, discarded. Code is optimised by now, so its duration sizes the timed rounds
  // better than the calibration runs did (those include interpreted and baseline-compiled batches).
  const warmupCount = Math.max(1, Math.round((count * roundNs) / ns));
  const warmupNs = timeBatches(batch, warmupCount, checksum, label);
  const perRound = Math.max(1, Math.round((warmupCount * roundNs) / warmupNs));

  const ops = perRound * benchCase.opsPerBatch;
  const samples: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    samples.push((ops * 1e9) / timeBatches(batch, perRound, checksum, label));
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = median(sorted);
  return {
    group: benchCase.group,
    name: benchCase.name,
    unit: benchCase.unit,
    median: mid,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    nsPerOp: 1e9 / mid,
    ops,
    rounds: options.rounds,
    samples,
    checksum,
  };
}

/** For `setup`: fails loudly when a fixture does not decode to what it should. */
export function expectChecksum(label: string, actual: number, expected: number): void {
  if (actual !== expected) throw new ChecksumMismatchError(`${label}: checksum ${actual}, expected ${expected}`);
}

// Sub-millisecond wake-ups without spinning, for the open model's schedule. libuv's timers fire to the
// millisecond at best (and Node rounds a timeout up to a whole one), so a request due between two
// ticks waits for the later: about half a millisecond of every latency would be the generator's.
// A small thread of its own sleeps instead, in Atomics.wait, whose timeout takes fractions of a
// millisecond (the kernel's futex, to tens of microseconds), and wakes this thread through a message
// port when the time comes. The thread sleeps in the kernel meanwhile: on two cores a spinning
// generator would starve the server it measures. Measured against setTimeout in
// benchmarks/figures/generator-precision-20261201.md (npm run bench -- wake): the send lag p50 from
// 0.54 ms to 0.08 ms, at a CPU cost that grows with the rate of wakes.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { monoMs } from '../../util/clock.js';

/**
 * The waker thread, as plain JavaScript (evaluated, so it needs no TypeScript loader), on the machine's
 * monotonic clock as util/clock.ts reads it: it reads the due time from shared memory and sleeps until then, or until the generation changes (a new due
 * time, or the end: -1). At the due time it posts the generation it served and waits for a new one.
 */
const WAKER = `
const { workerData } = require('node:worker_threads');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const due = new Float64Array(workerData.shared, 0, 1);
const generation = new Int32Array(workerData.shared, 8, 1);
const port = workerData.port;
for (;;) {
  const g = Atomics.load(generation, 0);
  if (g < 0) break;
  const at = due[0];
  if (!(at < Infinity)) { Atomics.wait(generation, 0, g); continue; }
  const wait = at - now();
  if (wait > 0) { Atomics.wait(generation, 0, g, wait); continue; }
  port.postMessage(g);
  Atomics.wait(generation, 0, g);
}
`;

/** Below this wait a timer would overshoot; above it, setTimeout sleeps for most of it, for free. */
export const PRECISE_BELOW_MS = 2;

export class PreciseWake {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly due = new Float64Array(this.shared, 0, 1);
  private readonly generation = new Int32Array(this.shared, 8, 1);
  private readonly thread: Worker;
  private readonly port: MessagePort;
  private pending: { atMs: number; resolve: () => void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor() {
    this.due[0] = Infinity;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.thread = new Worker(WAKER, { eval: true, workerData: { shared: this.shared, port: port2 }, transferList: [port2] });
    // Neither keeps the process alive: the schedule that uses them does.
    this.thread.unref();
    this.port.unref();
    this.port.on('message', () => this.fire());
  }

  /**
   * Resolves at `atMs` on the monotonic clock (util/clock.ts), to tens of microseconds, or sooner on
   * wakeNow(). Far waits sleep on a timer first and hand over to the thread for the last stretch.
   */
  sleepUntil(atMs: number): Promise<void> {
    this.wakeNow();
    return new Promise<void>((resolve) => {
      this.pending = { atMs, resolve };
      const wait = atMs - monoMs();
      if (wait > PRECISE_BELOW_MS) this.timer = setTimeout(() => { this.timer = null; this.arm(atMs); }, wait - PRECISE_BELOW_MS / 2);
      else this.arm(atMs);
    });
  }

  /** Ends the current sleep at once (something came due sooner). */
  wakeNow(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const pending = this.pending;
    this.pending = null;
    if (this.due[0]! < Infinity) this.arm(Infinity);
    pending?.resolve();
  }

  close(): void {
    this.wakeNow();
    Atomics.store(this.generation, 0, -1);
    Atomics.notify(this.generation, 0);
    this.port.close();
    void this.thread.terminate();
  }

  private arm(atMs: number): void {
    this.due[0] = atMs;
    // A new generation: the thread re-reads the due time (its sleep ends, or its next one starts).
    // Only this thread writes it; kept non-negative, as -1 tells the thread to end.
    Atomics.store(this.generation, 0, (Atomics.load(this.generation, 0) + 1) & 0x3fffffff);
    Atomics.notify(this.generation, 0);
  }

  private fire(): void {
    const pending = this.pending;
    if (!pending) return;
    // Early by this thread's clock (a wake for a due time since replaced, or the two threads' readings
    // of the one clock a few microseconds apart): the thread is asked again, or it would wait forever.
    if (monoMs() < pending.atMs - 0.005) { this.arm(pending.atMs); return; }
    this.pending = null;
    this.due[0] = Infinity;
    pending.resolve();
  }
}

// Sub-millisecond wake-ups without spinning, for the open model's schedule. libuv's timers fire to the
// millisecond at best (and Node rounds a timeout up to a whole one), so a request due between two
// ticks waits for the later: about half a millisecond of every latency would be the generator's.
// A small thread of its own sleeps instead, in Atomics.wait, whose timeout takes fractions of a
// millisecond (the kernel's futex, to the thread's timer slack, which it lowers), and wakes this
// thread through a message port, a learnt lead early so that the message lands on time. The thread
// sleeps in the kernel meanwhile: on two cores a spinning generator would starve the server it
// measures. Measured against setTimeout in benchmarks/figures/generator-precision-20261201.md
// (npm run bench -- wake): the send lag p50 from 0.54 ms to 0.002 ms, at a CPU cost that grows with
// the rate of wakes (a third of a core at 10,000 a second).
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { monoMs } from '../../util/clock.js';

/** The thread goes on unasked to a next due time at least this far behind the one it served. */
const UNASKED_GAP_MS = 0.1;

/**
 * The waker thread, as plain JavaScript (evaluated, so it needs no TypeScript loader), on the machine's
 * monotonic clock as util/clock.ts reads it. It reads the due time from shared memory and sleeps until
 * then less the lead, or until the generation changes (a new due time, or the end: -1); then it posts
 * the generation it served and goes on to the next due time it was told, if any.
 */
const WAKER = `
const UNASKED_GAP_MS = ${UNASKED_GAP_MS};
const { workerData } = require('node:worker_threads');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const due = new Float64Array(workerData.shared, 0, 1);
const generation = new Int32Array(workerData.shared, 8, 1);
const port = workerData.port;
const lead = new Float64Array(workerData.shared, 16, 1);
const next = new Float64Array(workerData.shared, 24, 1);
const sleepingUntil = new Float64Array(workerData.shared, 32, 1);
const slackState = new Int32Array(workerData.shared, 12, 1);
if (workerData.slackNs !== null) {
  // Linux lets a thread set its own timer slack through /proc (no privilege needed for itself).
  try {
    const fs = require('node:fs');
    const tid = fs.readlinkSync('/proc/thread-self').split('/').pop();
    const file = '/proc/' + tid + '/timerslack_ns';
    fs.writeFileSync(file, String(workerData.slackNs));
    Atomics.store(slackState, 0, Number(fs.readFileSync(file, 'utf8')) === workerData.slackNs ? 1 : -1);
  } catch { Atomics.store(slackState, 0, -1); }
} else Atomics.store(slackState, 0, 2);
outer: for (;;) {
  const g = Atomics.load(generation, 0);
  if (g < 0) break;
  let at = due[0];
  // Serves the due time asked for, then the one published after it (next), and so on, until the
  // socket thread asks for another (a new generation), which it reads whenever it wakes: in a steady
  // schedule it is not woken to be told, as telling costs as much as the wake itself.
  for (;;) {
    if (!(at < Infinity)) {
      sleepingUntil[0] = Infinity;
      Atomics.wait(generation, 0, g);
      continue outer;
    }
    const wakeAt = at - lead[0];
    const wait = wakeAt - now();
    if (wait > 0) {
      sleepingUntil[0] = wakeAt;
      Atomics.wait(generation, 0, g, wait);
      if (Atomics.load(generation, 0) !== g) continue outer;
      continue;
    }
    port.postMessage(g);
    // A next due time close behind this one is left to the socket thread, which may well serve it in
    // the same turn: a wake of its own for each would be precise and dear (npm run bench -- wake).
    const n = next[0];
    at = n > at + UNASKED_GAP_MS ? n : Infinity;
  }
}
`;

/**
 * The waker's timer slack. A futex wait ends up to the thread's slack after its timeout (50 µs by
 * default: the kernel gathers wake-ups), and that slack was most of the send lag left. 1 µs halved the
 * lag at the same CPU where wakes are sparse (10,000/s: p50 0.081 -> 0.032 ms); where they are dense
 * (25,000/s) it costs CPU, as wakes the kernel used to merge now come one by one (npm run bench -- wake,
 * benchmarks/figures/wake-20261201T185012.md).
 */
export const DEFAULT_SLACK_NS = 1000;

/** The most a wake is posted ahead of its due time, and the step its lead learns by. */
const MAX_LEAD_MS = 0.05;
const LEAD_STEP_MS = 0.002;

/** How much earlier than its lead a wake may land and still be waited out here (clock readings differ). */
const EARLY_MARGIN_MS = 0.02;

/** A thread that wakes by itself this little after the time asked for is not woken to be told. */
const NOTIFY_SLACK_MS = 0.005;

export class PreciseWake {
  private readonly shared = new SharedArrayBuffer(40);
  private readonly due = new Float64Array(this.shared, 0, 1);
  private readonly generation = new Int32Array(this.shared, 8, 1);
  private readonly thread: Worker;
  private readonly port: MessagePort;
  private readonly slackState = new Int32Array(this.shared, 12, 1);
  /** How much sooner than the due time the thread posts a wake. */
  private readonly lead = new Float64Array(this.shared, 16, 1);
  private readonly maxLeadMs: number;
  /** The due time after the one asked for, as the caller knows it, which the thread goes on to unasked. */
  private readonly next = new Float64Array(this.shared, 24, 1);
  /** When the thread wakes by itself (Infinity: only when told), to re-read the due time. */
  private readonly sleepingUntil = new Float64Array(this.shared, 32, 1);
  private pending: { atMs: number; resolve: () => void } | null = null;

  constructor(options: { slackNs?: number | null; lead?: boolean } = {}) {
    this.due[0] = Infinity;
    this.sleepingUntil[0] = Infinity;
    this.maxLeadMs = options.lead === false ? 0 : MAX_LEAD_MS;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.thread = new Worker(WAKER, { eval: true, workerData: { shared: this.shared, port: port2, slackNs: options.slackNs === undefined ? DEFAULT_SLACK_NS : options.slackNs }, transferList: [port2] });
    // Neither keeps the process alive: the schedule that uses them does.
    this.thread.unref();
    this.port.unref();
    this.port.on('message', (g: number) => this.fire(g));
  }

  /**
   * Resolves at `atMs` on the monotonic clock (util/clock.ts), to a few microseconds, or sooner on
   * wakeNow(). `thenMs`, the due time expected after this one, lets the thread go on to it unasked.
   */
  sleepUntil(atMs: number, thenMs = Infinity): Promise<void> {
    this.wakeNow();
    return new Promise<void>((resolve) => {
      this.pending = { atMs, resolve };
      this.next[0] = thenMs;
      this.arm(atMs);
    });
  }

  /** Whether the thread runs on the slack asked for: not yet known, set, not settable here (not Linux), or the kernel's own (asked for none). */
  get slack(): 'pending' | 'set' | 'unavailable' | 'kernel' {
    const s = Atomics.load(this.slackState, 0);
    return s === 0 ? 'pending' : s === 1 ? 'set' : s === 2 ? 'kernel' : 'unavailable';
  }

  /** Ends the current sleep at once (something came due sooner). */
  wakeNow(): void {
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
    // A new generation: the thread re-reads the due time whenever it wakes. Only this thread writes
    // it; kept non-negative, as -1 tells the thread to end. Woken now only if it would otherwise wake
    // too late: a thread still awake finds the generation changed when it goes to sleep (Atomics.wait
    // returns at once), and one asleep until about this time re-reads it then.
    Atomics.store(this.generation, 0, (Atomics.load(this.generation, 0) + 1) & 0x3fffffff);
    if (this.sleepingUntil[0]! > atMs - this.lead[0]! + NOTIFY_SLACK_MS) Atomics.notify(this.generation, 0);
  }

  private fire(g: number): void {
    const pending = this.pending;
    if (!pending) return;
    const now = monoMs();
    const current = g === Atomics.load(this.generation, 0);
    const early = pending.atMs - now;
    if (current) this.learnLead(this.lead[0]! - early);
    if (early > 0) {
      // A wake for a due time since replaced, or one too early to wait out here (the two threads'
      // readings of the one clock apart): the thread is asked again, and waits, as early > lead.
      if (!current || early > this.maxLeadMs + EARLY_MARGIN_MS) { this.arm(pending.atMs); return; }
      // The thread posts `lead` early, so that the message lands about on time; the microseconds
      // it is early by are waited out here, fewer than a wake would cost.
      while (monoMs() < pending.atMs);
    }
    this.pending = null;
    this.due[0] = Infinity;
    pending.resolve();
  }

  /**
   * The lead follows the 30th percentile of how late a wake lands when posted on time (`lateness`: the
   * thread's own wake-up from the futex, about 20 µs, and the message, under 10 µs), by a quantile
   * tracker, robust to the wakes that found this thread busy: most wakes land a little late, few early,
   * and never more than MAX_LEAD_MS early, so the wait above stays short.
   */
  private learnLead(lateness: number): void {
    const lead = this.lead[0]! + (lateness > this.lead[0]! ? LEAD_STEP_MS * 0.3 : -LEAD_STEP_MS * 0.7);
    this.lead[0] = Math.min(this.maxLeadMs, Math.max(0, lead));
  }
}

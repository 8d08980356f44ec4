// Open-model scheduling for one worker: actions due at given times run then, whatever the server is
// doing, and each learns how late it started. A binary heap keyed by due time.

import type { Random } from '../../util/random.js';
import { PreciseWake } from './precise-wake.js';

type Action = (dueMs: number, nowMs: number) => void;

interface Entry {
  due: number;
  action: Action;
}

export class Scheduler {
  private readonly heap: Entry[] = [];
  /** While the loop sleeps: when it means to wake, and how to wake it sooner. */
  private sleepingUntil = Infinity;
  private wake: (() => void) | null = null;
  /** Set while run() is running. */
  private untilMs = -Infinity;
  private now: () => number;
  /** Sub-millisecond wake-ups (precise-wake.ts), when `now` is the monotonic clock (util/clock.ts). */
  private readonly precise: boolean;
  private wakeThread: PreciseWake | null = null;

  constructor(now: () => number, options: { precise?: boolean } = {}) {
    this.now = now;
    this.precise = options.precise ?? false;
  }

  get size(): number {
    return this.heap.length;
  }

  at(dueMs: number, action: Action): void {
    const heap = this.heap;
    heap.push({ due: dueMs, action });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.due <= heap[i]!.due) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
    // An action due before the loop's planned wake-up must not wait for it.
    if (dueMs < this.sleepingUntil && this.wake) this.wake();
  }

  /**
   * Runs due actions until `untilMs` or until `stopped()`; actions due later are dropped. It sleeps on
   * timers, or with `precise` on a thread that wakes it to a few microseconds (precise-wake.ts), and
   * never spins: on a two-core machine a spinning generator starves the server it measures. Call
   * pump() after I/O to run what came due meanwhile.
   */
  async run(untilMs: number, stopped: () => boolean): Promise<void> {
    const now = this.now;
    this.untilMs = untilMs;
    if (this.precise) this.wakeThread = new PreciseWake();
    try {
      while (!stopped()) {
        if (now() >= untilMs) break;
        this.pump();
        const next = this.heap.length > 0 ? Math.min(this.heap[0]!.due, untilMs) : untilMs;
        // At most 250 ms at a time, so that `stopped` is looked at.
        await this.sleep(Math.min(next, now() + 250));
      }
    } finally {
      this.wakeThread?.close();
      this.wakeThread = null;
      this.heap.length = 0;
      this.untilMs = -Infinity;
    }
  }

  /**
   * Open-model arrivals: `act` at the times of a Poisson process of `perSecond` events per second,
   * drawn from `random`, for as long as `active()` holds.
   */
  poisson(perSecond: number, random: Random, active: () => boolean, act: Action): void {
    if (perSecond <= 0) return;
    const next = (due: number, t: number): void => {
      if (!active()) return;
      act(due, t);
      this.at(due + random.interArrivalMs(perSecond), next);
    };
    this.at(this.now() + random.interArrivalMs(perSecond), next);
  }

  /** Runs every action due by now (between timer wake-ups, after a batch of replies). */
  pump(): void {
    let t = this.now();
    while (this.heap.length > 0 && this.heap[0]!.due <= t && t < this.untilMs) {
      const entry = this.pop();
      if (entry.due >= this.untilMs) { this.heap.length = 0; break; }
      entry.action(entry.due, t);
      t = this.now();
    }
  }

  /** Until `untilMs`, or sooner when an action due earlier is added (at()). */
  private async sleep(untilMs: number): Promise<void> {
    this.sleepingUntil = untilMs;
    const thread = this.wakeThread;
    if (thread) {
      this.wake = () => thread.wakeNow();
      // The thread may go on to the due time after this one unasked (the second in the heap).
      const heap = this.heap;
      const then = Math.min(heap[1]?.due ?? Infinity, heap[2]?.due ?? Infinity, this.untilMs);
      await thread.sleepUntil(untilMs, then > untilMs ? then : Infinity);
    } else {
      // Timers fire to the millisecond at best: wake a millisecond early rather than late.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, untilMs - this.now() - 1));
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
    this.wake = null;
    this.sleepingUntil = Infinity;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && heap[l]!.due < heap[smallest]!.due) smallest = l;
        if (r < heap.length && heap[r]!.due < heap[smallest]!.due) smallest = r;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}

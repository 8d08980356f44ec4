// Open-model scheduling for one worker: actions due at given times run then, whatever the server is
// doing, and each learns how late it started. A binary heap keyed by due time.

import type { Random } from '../model/random.js';

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

  constructor(now: () => number) {
    this.now = now;
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
   * timers (which fire to the millisecond at best) and never spins: on a two-core machine a spinning
   * generator starves the server it measures. Call pump() after I/O to run what came due meanwhile.
   */
  async run(untilMs: number, stopped: () => boolean): Promise<void> {
    const now = this.now;
    this.untilMs = untilMs;
    while (!stopped()) {
      if (now() >= untilMs) break;
      this.pump();
      const next = this.heap.length > 0 ? Math.min(this.heap[0]!.due, untilMs) : untilMs;
      const wait = next - now();
      await this.sleep(next, Math.max(1, Math.min(wait - 1, 250)));
    }
    this.heap.length = 0;
    this.untilMs = -Infinity;
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

  private sleep(untilMs: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.sleepingUntil = Infinity;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepingUntil = untilMs;
      this.wake = done;
    });
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

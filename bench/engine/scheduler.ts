// Open-model scheduling for one worker: actions due at given times run then, whatever the server is
// doing, and each learns how late it started. A binary heap keyed by due time.

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
   * Runs due actions until `untilMs` or until `stopped()`; actions due later are dropped. Sleeps with
   * timers for long gaps and yields to I/O (setImmediate) for gaps under 2 ms, since timers fire at
   * best to the millisecond.
   */
  async run(untilMs: number, now: () => number, stopped: () => boolean): Promise<void> {
    while (!stopped()) {
      let t = now();
      if (t >= untilMs) break;
      while (this.heap.length > 0 && this.heap[0]!.due <= t) {
        const entry = this.pop();
        if (entry.due >= untilMs) { this.heap.length = 0; break; }
        entry.action(entry.due, t);
        t = now();
      }
      const next = this.heap.length > 0 ? Math.min(this.heap[0]!.due, untilMs) : untilMs;
      const wait = next - now();
      if (wait > 2) await this.sleep(next, Math.min(wait - 1, 250));
      else await new Promise((r) => setImmediate(r));
    }
    this.heap.length = 0;
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

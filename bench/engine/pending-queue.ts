// Requests awaiting their reply on one connection, oldest first. The IM protocol has no request ids:
// a server answers a connection's requests in order, so each reply of a given id matches the oldest
// request waiting for that id. A ring of parallel numeric arrays keeps the hot path allocation-free.

export class PendingQueue {
  private scheduled: Float64Array;
  private sent: Float64Array;
  /** The reply id awaited; negative once the request has been counted as timed out. */
  private awaited: Int32Array;
  private head = 0;
  private size = 0;

  constructor(capacity = 16) {
    capacity = Math.max(1, capacity);
    this.scheduled = new Float64Array(capacity);
    this.sent = new Float64Array(capacity);
    this.awaited = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(replyId: number, scheduledMs: number, sentMs: number): void {
    if (this.size === this.scheduled.length) this.grow();
    const at = (this.head + this.size) % this.scheduled.length;
    this.scheduled[at] = scheduledMs;
    this.sent[at] = sentMs;
    this.awaited[at] = replyId;
    this.size++;
  }

  /**
   * Takes the oldest request awaiting `replyId`. Returns false when none waits for it. `out` receives
   * its times, with `timedOut` set when it had already been counted as a timeout.
   */
  take(replyId: number, out: { scheduledMs: number; sentMs: number; timedOut: boolean }): boolean {
    const capacity = this.scheduled.length;
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % capacity;
      const awaited = this.awaited[at]!;
      if (awaited !== replyId && awaited !== -replyId) continue;
      out.scheduledMs = this.scheduled[at]!;
      out.sentMs = this.sent[at]!;
      out.timedOut = awaited < 0;
      this.removeAt(i);
      return true;
    }
    return false;
  }

  /** Marks requests sent before `deadlineMs` as timed out (once each) and calls `onTimeout` for each. */
  expire(deadlineMs: number, onTimeout: (replyId: number, scheduledMs: number) => void): void {
    const capacity = this.scheduled.length;
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % capacity;
      if (this.sent[at]! >= deadlineMs) break;   // sent in order: the rest are younger
      const awaited = this.awaited[at]!;
      if (awaited > 0) {
        this.awaited[at] = -awaited;
        onTimeout(awaited, this.scheduled[at]!);
      }
    }
  }

  /** When the oldest request not yet answered nor timed out was sent, or null. */
  oldestOutstandingSentMs(): number | null {
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % this.scheduled.length;
      if (this.awaited[at]! > 0) return this.sent[at]!;
    }
    return null;
  }

  /** Requests not yet answered nor timed out. */
  outstanding(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.awaited[(this.head + i) % this.scheduled.length]! > 0) n++;
    return n;
  }

  /**
   * Empties the queue, calling `onUnanswered` for each request neither answered nor timed out (the run
   * ended, or its connection did, before the reply came).
   */
  drain(onUnanswered: (replyId: number, scheduledMs: number) => void): void {
    const capacity = this.scheduled.length;
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % capacity;
      const awaited = this.awaited[at]!;
      if (awaited > 0) onUnanswered(awaited, this.scheduled[at]!);
    }
    this.head = 0;
    this.size = 0;
  }

  private removeAt(index: number): void {
    const capacity = this.scheduled.length;
    if (index === 0) {
      this.head = (this.head + 1) % capacity;
      this.size--;
      return;
    }
    // Rare (replies of several ids interleaved): shift the later entries down by one.
    for (let i = index; i < this.size - 1; i++) {
      const to = (this.head + i) % capacity;
      const from = (this.head + i + 1) % capacity;
      this.scheduled[to] = this.scheduled[from]!;
      this.sent[to] = this.sent[from]!;
      this.awaited[to] = this.awaited[from]!;
    }
    this.size--;
  }

  private grow(): void {
    const capacity = this.scheduled.length;
    const order = (array: Float64Array | Int32Array, into: Float64Array | Int32Array) => {
      for (let i = 0; i < this.size; i++) into[i] = array[(this.head + i) % capacity]!;
    };
    const scheduled = new Float64Array(capacity * 2);
    const sent = new Float64Array(capacity * 2);
    const awaited = new Int32Array(capacity * 2);
    order(this.scheduled, scheduled);
    order(this.sent, sent);
    order(this.awaited, awaited);
    this.scheduled = scheduled;
    this.sent = sent;
    this.awaited = awaited;
    this.head = 0;
  }
}

// Delivery accounting for one worker: every chat (line, file) sent in the measured window is expected
// once at its receiver. Delivered, duplicated, reordered, corrupted as they arrive; lost is what never
// arrived by the end of the grace window. Sender and receiver live in the same worker, so it is exact.
import type { DeliveryOp } from '../../reports/schema/metric-names.js';
import type { Recorder } from '../metrics/recorder.js';

interface Pair {
  sent: number;
  seen: Set<number>;
  highest: number;
}

export class DeliveryLedger {
  private readonly pairs = new Map<string, Pair>();

  /** `ordered`: whether arrival order means anything (chats: yes; files, downloaded in parallel: no). */
  constructor(private readonly op: DeliveryOp, private readonly recorder: Recorder, private readonly ordered = true) {}

  /** The sequence number for the next accounted chat from `from` to `to`. */
  nextSeq(from: number, to: number): number {
    const pair = this.pair(from, to);
    return ++pair.sent;
  }

  /** A chat arrived; returns false when it was a duplicate (its latency should not count again). */
  received(from: number, to: number, seq: number): boolean {
    const pair = this.pair(from, to);
    if (seq < 1 || seq > pair.sent || pair.seen.has(seq)) {
      this.recorder.deliveryCount(this.op, 'duplicated');
      return false;
    }
    pair.seen.add(seq);
    if (this.ordered && seq < pair.highest) this.recorder.deliveryCount(this.op, 'reordered');
    pair.highest = Math.max(pair.highest, seq);
    this.recorder.deliveryCount(this.op, 'delivered');
    return true;
  }

  /** It arrived, but not as sent (a file whose bytes differ): neither delivered nor lost. */
  corrupted(from: number, to: number, seq: number): void {
    const pair = this.pair(from, to);
    if (seq < 1 || seq > pair.sent || pair.seen.has(seq)) return;
    pair.seen.add(seq);
    this.recorder.deliveryCount(this.op, 'corrupted');
  }

  /** At the end: whatever was sent and never seen is lost. */
  settle(): void {
    let lost = 0;
    for (const pair of this.pairs.values()) lost += pair.sent - pair.seen.size;
    this.recorder.deliveryCount(this.op, 'lost', lost);
  }

  private pair(from: number, to: number): Pair {
    const key = `${from}>${to}`;
    let pair = this.pairs.get(key);
    if (!pair) this.pairs.set(key, (pair = { sent: 0, seen: new Set(), highest: 0 }));
    return pair;
  }
}

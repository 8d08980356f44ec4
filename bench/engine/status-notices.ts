// A status change (request 9) has no reply: it is measured by its friends' notices (10), each expected
// once at every friend online when it was sent [D-METRICS] `status.notice`: sent = notices expected,
// ok = those that came (latency from the change's scheduled time), unanswered = those that never did.
import type { Recorder } from '../metrics/recorder.js';

interface Change {
  status: number;
  scheduledMs: number;
  sentMs: number;
  /** Counted in the measured window. */
  accounted: boolean;
  waiting: Set<number>;
}

export class StatusNotices {
  /** By sender, oldest change first. */
  private readonly changes = new Map<number, Change[]>();

  constructor(private readonly recorder: Recorder) {}

  expect(from: number, status: number, receivers: readonly number[], scheduledMs: number, sentMs: number, accounted: boolean): void {
    const waiting = new Set(receivers);
    if (waiting.size === 0) return;
    let list = this.changes.get(from);
    if (!list) this.changes.set(from, (list = []));
    list.push({ status, scheduledMs, sentMs, accounted, waiting });
    if (accounted) this.recorder.sent('status.notice', sentMs - scheduledMs, waiting.size);
  }

  /** A notice of `from`'s `status` reached `receiver`: matched to the oldest change it answers. */
  received(from: number, status: number, receiver: number, nowMs: number): void {
    const list = this.changes.get(from);
    if (!list) return;
    const at = list.findIndex((c) => c.status === status && c.waiting.has(receiver));
    if (at < 0) return;
    const change = list[at]!;
    change.waiting.delete(receiver);
    if (change.accounted) this.recorder.latency('status.notice', nowMs - change.scheduledMs, nowMs - change.sentMs);
    if (change.waiting.size === 0) list.splice(at, 1);
  }

  /** `receiver` went away of its own accord (logged out): what it was waiting for is no longer expected. */
  forget(receiver: number): void {
    for (const list of this.changes.values()) {
      for (const change of list) {
        if (change.waiting.delete(receiver) && change.accounted) this.recorder.retractSent('status.notice', change.sentMs - change.scheduledMs);
      }
    }
  }

  /** The end: every notice still expected never came. */
  settle(): void {
    for (const list of this.changes.values()) {
      for (const change of list) if (change.accounted) this.recorder.count('status.notice', 'unanswered', change.waiting.size);
    }
    this.changes.clear();
  }
}

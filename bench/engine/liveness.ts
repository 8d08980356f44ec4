// Notices when the target is gone: every connection lost, or no reply for a whole timeout while
// requests wait. Either stops the run (exit 4) instead of letting it hang on a dead server.
import type { WorkerContext } from '../worker/worker-context.js';
import { monoMs } from './clock.js';

export class Liveness {
  lastReplyMs = monoMs();
  private open = 0;

  constructor(private readonly ctx: WorkerContext) {}

  opened(): void {
    this.open++;
  }

  replied(now: number): void {
    this.lastReplyMs = now;
  }

  /** A connection ended; `expected` when the generator ended it. */
  closed(reason: string, expected: boolean): void {
    this.open--;
    if (expected) return;
    this.ctx.recorder.disconnected(reason);
    if (this.open === 0) this.ctx.failTarget(`every connection lost (last: ${reason})`);
  }

  /**
   * Called periodically with the send time of the oldest request still waiting (null: none waits).
   * The target stopped answering when that request and the last reply are both older than the
   * timeout: a quiet spell with nothing asked (a long ramp-up) is not silence.
   */
  check(oldestWaitingSentMs: number | null, timeoutMs: number): void {
    if (oldestWaitingSentMs === null) return;
    if (monoMs() - Math.max(this.lastReplyMs, oldestWaitingSentMs) > timeoutMs) this.ctx.failTarget(`no reply for ${timeoutMs} ms`);
  }
}

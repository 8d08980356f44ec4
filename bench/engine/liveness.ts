// Notices when a target is gone, each target on its own (with --target a,b, a dead b is found while a
// answers): every connection to it lost, or nothing at all came back from it for a whole timeout after
// something was asked of it. Either stops the run (exit 4) instead of letting it hang on a dead server.
//
// "Asked" is any request that expects a reply and any message that expects a delivery on a
// connection to the same target (a chat to an online friend, a status change with online friends).
// The clock starts at the first thing asked after the last answer, so it neither depends on when the
// timeout sweep runs nor mistakes a quiet spell with nothing asked (a long ramp-up) for silence.
import type { ScenarioContext } from './scenario-context.js';

interface TargetState {
  name: string;
  open: number;
  /** When the first thing still waiting for any answer was asked, since the last answer; null: none. */
  askedSinceAnswerMs: number | null;
}

export class Liveness {
  private readonly targets: TargetState[];

  constructor(private readonly ctx: ScenarioContext, private readonly timeoutMs: number) {
    this.targets = ctx.task.targets.map((t) => ({ name: `${t.host}:${t.port}`, open: 0, askedSinceAnswerMs: null }));
  }

  opened(target: number): void {
    this.targets[target]!.open++;
  }

  /** Something went out to `target` that it must answer (or deliver). */
  asked(target: number, nowMs: number): void {
    const t = this.targets[target]!;
    if (t.askedSinceAnswerMs === null) t.askedSinceAnswerMs = nowMs;
  }

  /** Anything came back from `target`: a reply, a notice, a line. */
  answered(target: number): void {
    this.targets[target]!.askedSinceAnswerMs = null;
  }

  /** A connection ended; `expected` when the generator ended it, or asked the server to (logout). */
  closed(target: number, reason: string, expected: boolean): void {
    const t = this.targets[target]!;
    t.open--;
    if (expected) return;
    this.ctx.recorder.disconnected(reason);
    if (t.open === 0) this.ctx.failTarget(`every connection to ${t.name} lost (last: ${reason})`);
  }

  /** Called periodically, while the run still expects answers. */
  check(nowMs: number): void {
    for (const t of this.targets) {
      if (t.askedSinceAnswerMs !== null && nowMs - t.askedSinceAnswerMs > this.timeoutMs) {
        this.ctx.failTarget(`${t.name} stopped answering: nothing came back for ${Math.round(nowMs - t.askedSinceAnswerMs)} ms after a request (timeout ${this.timeoutMs} ms)`);
        return;
      }
    }
  }
}

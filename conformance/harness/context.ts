// What a check runs with: the target's profile (address, layout, limits, timeouts), the run's seed and
// nonce, connections that record into the check's transcript and are closed when it ends, and
// properties run by fast-check whose shrunk counterexample is run once more into the transcript, so
// the evidence kept is that of the smallest failing case.
import fc from 'fast-check';
import type { FrameLayout } from '../../proto/index.js';
import { ChatPeer } from './chat-peer.js';
import { ImPeer } from './im-peer.js';
import { openSocket } from './peer.js';
import { Transcript } from './transcript.js';

export interface TargetProfile {
  host: string;
  port: number;
  protocol: 'im' | 'chat';
  layout: FrameLayout;
  /** The target's IM body limit (`--max-body`). */
  maxBodyBytes: number;
  /** The target's CHAT/1.0 line limit (`--max-line`). */
  maxLineBytes: number;
  /** Wait for each expected frame or line. */
  timeoutMs: number;
  /** Where files are downloaded, when not from the upload reply's URL. */
  httpBase: string | null;
  /** The target's idle timeout, when the user gave it: the idle check needs it. */
  idleTimeoutMs: number | null;
  /** Replies the target is known not to send (`--unanswered`): checks that need one are SKIP, others avoid it. */
  unanswered: readonly string[];
}

export interface RunSettings {
  seed: number;
  /** Examples per property. */
  runs: number;
  /** Per run: part of every name a check registers, so reruns never collide with old data. */
  nonce: string;
  /** `talkbench replay`: the fast-check path of the smallest failing example, run alone. */
  replayPath?: string | null;
}

/** Counts across the whole suite (the report gives the connections it opened). */
export interface SuiteCounters {
  connectionsOpened: number;
  /** Names handed out so far: the counter that keeps every name of the run unique. */
  namesIssued: number;
}

/** How a property failed: enough to rerun it exactly. */
export interface FastCheckFailure {
  seed: number;
  path: string;
  counterexample: string;
  shrinks: number;
  /** The shrunk case, run once more, passed: the failure depends on timing or the server's state. */
  reproduced: boolean;
}

export class CheckContext {
  private readonly peers: { close(): void }[] = [];
  /** Set when a property failed. */
  fastCheck: FastCheckFailure | null = null;
  /** What an INFO check found (a layout, a round-trip time), for the report. */
  readonly facts: string[] = [];

  constructor(
    readonly profile: TargetProfile,
    readonly settings: RunSettings,
    readonly counters: SuiteCounters,
    readonly transcript: Transcript = new Transcript(),
    /** Distinguishes the names of a property's examples from one another. */
    private readonly prefix = '',
  ) {}

  /**
   * A name no other run, check or example uses: letters and digits only (valid as an IM UserID and as
   * a CHAT/1.0 name), `tb` + the run's nonce + `tag` + a counter of the whole run. Under 64 characters
   * (the counter is kept whole, the tag cut).
   */
  name(tag: string): string {
    const unique = `${++this.counters.namesIssued}`;
    return `tb${this.settings.nonce}${this.prefix}${tag.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}${unique}`;
  }

  /** Records a fact for the report (INFO checks). */
  fact(text: string): void {
    this.facts.push(text);
    this.transcript.note(text);
  }

  async im(label = `c${this.peers.length + 1}`): Promise<ImPeer> {
    const socket = await this.open();
    return this.keep(new ImPeer(label, socket, this.transcript, this.profile.timeoutMs, { layout: this.profile.layout, maxBodyBytes: this.profile.maxBodyBytes }));
  }

  async chat(label = `c${this.peers.length + 1}`): Promise<ChatPeer> {
    const socket = await this.open();
    return this.keep(new ChatPeer(label, socket, this.transcript, this.profile.timeoutMs));
  }

  /** Ends every connection the check opened (the runner calls it when the check ends, however). */
  closeAll(): void {
    for (const peer of this.peers.splice(0)) peer.close();
  }

  /**
   * Runs `predicate` on `runs` examples of `arbitrary` (the run's seed), each on a fresh context of
   * its own. On a failure fast-check shrinks it; the smallest failing example then runs once more on
   * this context, so its transcript is the one kept, and its verdict is the check's.
   */
  async property<T>(arbitrary: fc.Arbitrary<T>, predicate: (ctx: CheckContext, value: T) => Promise<void>, options: { runs?: number } = {}): Promise<void> {
    let example = 0;
    const details = await fc.check(fc.asyncProperty(arbitrary, async (value) => {
      const ctx = new CheckContext(this.profile, this.settings, this.counters, new Transcript(), `${this.prefix}e${++example}x`);
      try {
        await predicate(ctx, value);
      } finally {
        ctx.closeAll();
      }
    }), this.settings.replayPath
      // A replay runs the one example the path names, and does not shrink it again.
      ? { seed: this.settings.seed, path: this.settings.replayPath, endOnFailure: true, numRuns: options.runs ?? this.settings.runs }
      : { seed: this.settings.seed, numRuns: options.runs ?? this.settings.runs });
    if (!details.failed) return;
    const value = details.counterexample![0] as T;
    this.fastCheck = { seed: details.seed, path: details.counterexamplePath!, counterexample: fc.stringify(value), shrinks: details.numShrinks, reproduced: true };
    this.transcript.note(`fast-check seed ${details.seed}, path ${details.counterexamplePath}: the smallest failing example (after ${details.numShrinks} shrinks) is ${fc.stringify(value)}`);
    await predicate(this, value);
    // It passed this time: the verdict is the one of the property run, said to be unstable.
    this.fastCheck.reproduced = false;
    this.transcript.note('the smallest failing example passed when run once more: the failure depends on timing or on the server\'s state');
    throw details.errorInstance;
  }

  private async open() {
    const socket = await openSocket(this.profile, Math.max(this.profile.timeoutMs, 2000));
    this.counters.connectionsOpened++;
    return socket;
  }

  private keep<P extends { close(): void }>(peer: P): P {
    this.peers.push(peer);
    return peer;
  }
}

// One TCP connection of a check: every byte written and read goes into the check's transcript, and
// everything a check waits for has a deadline. What came is kept in arrival order; a wait takes the
// first item it matches and leaves the others, so a legal interleaving (a notice before a reply,
// [IM-REPLY-2]) never fails a check. The IM and CHAT/1.0 peers add their protocol on top.
import { connect, type Socket } from 'node:net';
import { CheckFailed, CheckTimedOut } from './verdicts.js';
import type { Transcript } from './transcript.js';

export interface PeerTarget {
  host: string;
  port: number;
}

/** How a wait ended: the item, or why not (the caller turns that into FAIL or TIMEOUT). */
interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface WaitOptions {
  /** Default: the check's timeout per expected frame or line. */
  timeoutMs?: number;
}

/** Opens the socket; a target that does not accept is the harness's problem (ERROR), not a verdict. */
export function openSocket(target: PeerTarget, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, noDelay: true });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`${target.host}:${target.port} did not accept a connection within ${timeoutMs} ms`)); }, timeoutMs);
    socket.once('error', (err) => { clearTimeout(timer); reject(new Error(`cannot connect to ${target.host}:${target.port}: ${err.message}`)); });
    socket.once('connect', () => { clearTimeout(timer); socket.removeAllListeners('error'); resolve(socket); });
  });
}

export abstract class Peer<T> {
  /** Items received and not yet taken by a wait, in arrival order. */
  readonly inbox: T[] = [];
  /** Every item ever received, taken or not, for "received ids 10, 14" in a timeout. */
  readonly history: T[] = [];
  closed = false;
  /** How the connection ended, once it did: `closed by the server` or `reset (ECONNRESET)`. */
  closedHow = '';
  private readonly waiters: Waiter<T>[] = [];
  private readonly closeWaiters: (() => void)[] = [];

  constructor(readonly name: string, readonly socket: Socket, protected readonly transcript: Transcript, readonly timeoutMs: number) {
    socket.on('data', (chunk: Buffer) => {
      let items: T[];
      try {
        items = this.decode(chunk);
      } catch (err) {
        // The server broke the framing or the grammar: nothing after this can be read.
        this.transcript.record(name, 'received', chunk, `unreadable: ${(err as Error).message}`);
        this.closedHow = `was given up: the server sent bytes that cannot be read (${(err as Error).message})`;
        socket.destroy();
        return;
      }
      this.transcript.record(name, 'received', chunk, items.map((i) => this.describe(i)).join('\n'));
      for (const item of items) this.receive(item);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => { this.closedHow ||= `reset (${err.code ?? err.message})`; });
    socket.on('close', () => {
      this.closed = true;
      this.closedHow ||= 'closed by the server';
      this.transcript.record(name, 'closed', null, this.closedHow);
      for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error('closed')); }
      for (const done of this.closeWaiters.splice(0)) done();
    });
  }

  /** Items completed by a chunk; may throw when the server sent what cannot be read (a FAIL). */
  protected abstract decode(chunk: Buffer): T[];
  /** One item as the transcript and the messages show it. */
  abstract describe(item: T): string;
  /** The items received so far, briefly (`ids 10, 14`), for what a failed wait got instead. */
  protected abstract summary(items: readonly T[]): string;

  /** Writes bytes as one write; `text` is their reading for the transcript. */
  write(bytes: Uint8Array, text: string): void {
    this.transcript.record(this.name, 'sent', bytes, text);
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Writes `bytes` cut at `cuts` (sorted offsets), one write per piece, each after the last was handed to the kernel and a moment passed, so the server reads them apart. */
  async writePieces(bytes: Uint8Array, cuts: readonly number[], text: string): Promise<void> {
    const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const piece = bytes.subarray(bounds[i]!, bounds[i + 1]!);
      if (piece.length === 0) continue;
      this.transcript.record(this.name, 'sent', piece, i === 0 ? text : `(piece ${i + 1} of ${bounds.length - 1})`);
      if (this.socket.destroyed) return;
      await new Promise<void>((resolve) => this.socket.write(piece, () => setTimeout(resolve, 1)));
    }
  }

  /** Sends FIN: nothing more will be written [IM-CONN-2]. */
  halfClose(): void {
    this.transcript.record(this.name, 'sent', null, '(half-close: FIN sent)');
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }

  /**
   * The first item matching `match`, received before or within the timeout. `what` names it for the
   * verdict: TIMEOUT when nothing matching came in time, FAIL when the connection closed first.
   */
  take(match: (item: T) => boolean, what: string, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const at = this.inbox.findIndex(match);
    if (at >= 0) return Promise.resolve(this.inbox.splice(at, 1)[0]!);
    if (this.closed) return Promise.reject(this.closedFailure(what));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        match, resolve,
        reject: () => reject(this.closedFailure(what)),
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new CheckTimedOut(`${what} within ${seconds(timeoutMs)}`, this.gotInstead()));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves once the server closed the connection; TIMEOUT when it is still open after the timeout. */
  closedWithin(what: string, options: WaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CheckTimedOut(`${what} within ${seconds(timeoutMs)}`, `the connection still open; ${this.gotInstead()}`)), timeoutMs);
      this.closeWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  /**
   * What came instead of an awaited item, for a verdict: what was received and not taken by an
   * earlier wait (the replies a check already matched are not news).
   */
  gotInstead(): string {
    const taken = this.history.length - this.inbox.length;
    const earlier = taken > 0 ? ` (besides ${taken} awaited earlier)` : '';
    return this.inbox.length === 0 ? `nothing${earlier}` : `received ${this.summary(this.inbox)}${earlier}`;
  }

  private closedFailure(what: string): CheckFailed {
    return new CheckFailed(what, `the connection ${this.closedHow || 'closed'} first; ${this.gotInstead()}`);
  }

  private receive(item: T): void {
    this.history.push(item);
    const at = this.waiters.findIndex((w) => w.match(item));
    if (at < 0) {
      this.inbox.push(item);
      return;
    }
    const [waiter] = this.waiters.splice(at, 1);
    clearTimeout(waiter!.timer);
    waiter!.resolve(item);
  }
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

// What every accepted socket needs whatever its protocol: a bounded write path, a close that names
// its reason once, an idle clock, and logging that says each kind of trouble once per connection.
import type { Socket } from 'node:net';
import type { Logger } from '../log.js';

let nextConnectionId = 1;

/** How long a closing connection may take to flush before it is destroyed. */
const CLOSE_FLUSH_MS = 2000;

export class PeerConnection {
  readonly id = nextConnectionId++;
  readonly log: Logger;
  readonly remote: string;
  /** performance.now() of the connection's start, and of the last bytes received. */
  readonly connectedAt = performance.now();
  lastReceivedAt = this.connectedAt;
  private closingReason: string | null = null;
  private readonly loggedKinds = new Set<string>();
  private readonly closeHandlers: ((reason: string) => void)[] = [];
  /** Resolves once the owner has no request in progress; the owner replaces it. */
  whenIdle: () => Promise<void> = () => Promise.resolve();

  constructor(
    readonly socket: Socket,
    log: Logger,
    private readonly maxOutboundBytes: number,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.log = log.child(`#${this.id} ${this.remote}`);
    socket.setNoDelay(true);
    socket.on('error', (err) => this.noteClosing(`socket error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    socket.on('end', () => {
      // Half-closed by the peer: nothing more will arrive. Requests still in progress get their
      // replies, then our side ends too.
      void this.whenIdle().then(() => {
        this.noteClosing('peer closed the connection');
        socket.end();
      });
    });
    socket.on('close', () => {
      const reason = this.closingReason ?? 'connection closed';
      this.log.debug(`closed: ${reason}`);
      for (const handler of this.closeHandlers) handler(reason);
    });
  }

  get closing(): boolean {
    return this.closingReason !== null || this.socket.destroyed;
  }

  onClose(handler: (reason: string) => void): void {
    this.closeHandlers.push(handler);
  }

  /**
   * Queues bytes for the peer. A peer that lets more than maxOutboundBytes pile up is not reading:
   * it is disconnected rather than allowed to grow the heap. The check is on what is already queued,
   * so one message of any size (up to the body limit) still goes to a peer that keeps up; the queue
   * never exceeds maxOutboundBytes plus one message. Returns false when nothing was queued.
   */
  send(bytes: Uint8Array | string, onWritten?: (err?: Error | null) => void): boolean {
    if (this.closing) return false;
    if (this.socket.writableLength > this.maxOutboundBytes) {
      this.destroy(`peer is not reading: over ${this.maxOutboundBytes} bytes of replies queued`, 'warn');
      return false;
    }
    this.socket.write(bytes, onWritten);
    return true;
  }

  /** Resolves once the peer has taken what is queued (or the connection is gone). */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Flushes what is queued, then closes. Stops reading at once. */
  close(reason: string, level: 'info' | 'warn' | 'debug' = 'info'): void {
    if (this.closing) return;
    this.noteClosing(reason);
    this.log[level](`closing: ${reason}`);
    this.socket.pause();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_MS).unref();
  }

  /** Closes at once, dropping what is queued. */
  destroy(reason: string, level: 'info' | 'warn' | 'debug' = 'info'): void {
    if (this.socket.destroyed) return;
    if (this.closingReason === null) this.log[level](`closing: ${reason}`);
    this.noteClosing(reason);
    this.socket.destroy();
  }

  /** Logs `message` the first time a connection meets this kind of event, and never again. */
  logOnce(kind: string, message: string, level: 'info' | 'warn' | 'debug' = 'info'): void {
    if (this.loggedKinds.has(kind)) return;
    this.loggedKinds.add(kind);
    this.log[level](`${message} (logged once per connection)`);
  }

  private noteClosing(reason: string): void {
    this.closingReason ??= reason;
  }
}

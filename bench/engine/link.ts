// What every generator-side connection shares, whatever its protocol: connecting with a timeout,
// whether the server ever answered on it, and a close that remembers why and by whom it happened
// (the run counts disconnects by reason, and a close we did not ask for is an error [D-VERDICT]).
import { connect, type Socket } from 'node:net';

export interface ConnectOptions {
  host: string;
  port: number;
  localAddress?: string;
  /** Give up connecting after this long. */
  connectTimeoutMs: number;
}

/**
 * Every socket of this thread reads into this one buffer (net's `onread`): no Buffer per read and no
 * stream machinery per chunk, which is most of a small round trip's cost in Node. Safe because each
 * chunk is handled synchronously and the decoders copy what they keep past a push (their contract,
 * proto/frame-codec.ts and proto/line-splitter.ts); whatever a handler keeps longer, it copies.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export interface OpenedSocket {
  socket: Socket;
  /** Where the bytes of each read go; set once the owner exists. */
  onBytes: (chunk: Buffer) => void;
}

/** Connects; rejects with the socket error (ECONNREFUSED, ETIMEDOUT...) when it cannot. */
export function openSocket(options: ConnectOptions): Promise<OpenedSocket> {
  return new Promise((resolve, reject) => {
    const opened = { onBytes: (_chunk: Buffer): void => undefined } as OpenedSocket;
    const socket = connect({
      host: options.host, port: options.port, localAddress: options.localAddress, noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (bytes: number, buffer: Uint8Array) => { opened.onBytes(buffer.subarray(0, bytes) as Buffer); return true; } },
    });
    opened.socket = socket;
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), options.connectTimeoutMs);
    socket.once('error', (err) => { clearTimeout(timer); reject(err); });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(opened);
    });
  });
}

/** The links of this thread corked in the current turn, uncorked together at its end. */
const CORKED: Link[] = [];

function uncorkAll(): void {
  for (const link of CORKED) link.uncork();
  CORKED.length = 0;
}

export abstract class Link {
  closed = false;
  /** Why the connection ended, once it has. */
  closeReason = '';
  /** Set by the first byte the server sends: a connection it accepts and closes at once never is. */
  answered = false;
  onFirstBytes: () => void = () => undefined;
  onClose: (reason: string) => void = () => undefined;
  private intentional = false;
  /** Corked for this turn's writes (see write()). */
  private corked = false;
  readonly socket: Socket;

  protected constructor(opened: OpenedSocket) {
    const socket = (this.socket = opened.socket);
    opened.onBytes = (chunk) => {
      if (!this.answered) { this.answered = true; this.onFirstBytes(); }
      this.receive(chunk);
    };
    socket.on('error', (err: NodeJS.ErrnoException) => this.noteReason(err.code ?? err.message));
    socket.on('end', () => this.noteReason('closed by the server'));
    socket.on('close', () => {
      this.closed = true;
      this.noteReason(this.intentional ? 'closed by the generator' : 'connection lost');
      this.onClose(this.closeReason);
    });
  }

  /** The bytes of one read, valid only until this returns. */
  protected abstract receive(chunk: Buffer): void;

  /** The connection ended without our asking: the server closed or reset it, or it failed on its bytes. */
  get closedByPeer(): boolean {
    return this.closed && !this.intentional;
  }

  /**
   * Queues bytes; after the server's FIN the socket is not writable and a write would only raise an
   * error. Writes of one turn of the event loop (the replies of one read freeing several requests in
   * flight, a pump sending what came due) go out together: the socket is corked at the first and
   * uncorked when the turn's synchronous work is done, so the kernel sees one writev per connection
   * per turn, not one write per frame (a write per frame was 83% of a pipelined worker's time).
   */
  write(bytes: Uint8Array | string): void {
    if (this.closed || !this.socket.writable) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      if (CORKED.push(this) === 1) queueMicrotask(uncorkAll);
    }
    this.socket.write(bytes);
  }

  /** Sends what this turn queued (see write()). */
  uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }

  /** Ends the connection from our side (the end of a run, or a user given up on). */
  close(): void {
    this.intentional = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Drops the connection over something the server sent that cannot be read past. */
  protected fail(reason: string): void {
    this.noteReason(reason);
    this.socket.destroy();
  }

  private noteReason(reason: string): void {
    if (this.closeReason === '') this.closeReason = reason;
  }
}

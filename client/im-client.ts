// A minimal IM client over one TCP connection: send typed requests, await typed frames. Used by the
// tests and tools that talk to a server through its socket, ours or anyone's.
import { connect, type Socket } from 'node:net';
import { encodeMessageFrame, FrameDecoder, decodeMessage, messageName, type DecodedMessage, type FrameLayout, type MessageFields, type MessageIdNumber } from '../proto/index.js';

export interface ReceivedFrame {
  id: number;
  body: Uint8Array;
}

interface Waiter {
  match: (frame: ReceivedFrame) => boolean;
  resolve: (frame: ReceivedFrame) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ImClientOptions {
  layout?: FrameLayout;
  maxBodyBytes?: number;
  /** Default wait for an expected frame. */
  timeoutMs?: number;
}

export class ImClient {
  /** Frames received and not yet taken by a wait, in arrival order. */
  readonly inbox: ReceivedFrame[] = [];
  closed = false;
  private readonly waiters: Waiter[] = [];
  private readonly closeWaiters: (() => void)[] = [];
  private readonly decoder: FrameDecoder;
  private readonly layout: FrameLayout;
  private readonly timeoutMs: number;

  private constructor(readonly socket: Socket, options: ImClientOptions) {
    this.layout = options.layout ?? 'le';
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.decoder = new FrameDecoder({ layout: this.layout, maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024 });
    socket.on('data', (chunk) => {
      for (const f of this.decoder.push(chunk)) this.receive({ id: f.id, body: Uint8Array.from(f.body) });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error('connection closed while waiting for a frame')); }
      for (const done of this.closeWaiters.splice(0)) done();
    });
  }

  static connect(port: number, host = '127.0.0.1', options: ImClientOptions = {}): Promise<ImClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => { socket.off('error', reject); resolve(new ImClient(socket, options)); });
    });
  }

  send<K extends MessageIdNumber>(id: K, fields: MessageFields<K>): void {
    this.socket.write(encodeMessageFrame(id, fields, this.layout));
  }

  /** Writes raw bytes: a hand-made frame, garbage, half a header. */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next frame with this id (earlier frames of other ids stay in the inbox), decoded. */
  async next<K extends MessageIdNumber>(id: K, timeoutMs = this.timeoutMs): Promise<DecodedMessage<K>> {
    const frame = await this.nextFrame((f) => f.id === id, timeoutMs, messageName(id));
    return decodeMessage(id, frame.body);
  }

  nextFrame(match: (frame: ReceivedFrame) => boolean = () => true, timeoutMs = this.timeoutMs, what = 'a frame'): Promise<ReceivedFrame> {
    const at = this.inbox.findIndex(match);
    if (at >= 0) return Promise.resolve(this.inbox.splice(at, 1)[0]!);
    if (this.closed) return Promise.reject(new Error(`connection closed; no ${what} received`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`no ${what} within ${timeoutMs} ms (inbox: ${this.inbox.map((f) => messageName(f.id)).join(', ') || 'empty'})`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves when the server has closed the connection; rejects after `timeoutMs`. */
  waitClosed(timeoutMs = this.timeoutMs): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connection still open after ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(frame: ReceivedFrame): void {
    const at = this.waiters.findIndex((w) => w.match(frame));
    if (at < 0) {
      this.inbox.push(frame);
      return;
    }
    const [waiter] = this.waiters.splice(at, 1);
    clearTimeout(waiter!.timer);
    waiter!.resolve(frame);
  }
}

// One generator-side IM connection: a socket, a frame decoder and a callback per frame. No protobuf
// here: scenarios decode only the bodies they need.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, type FrameLayout } from '../../proto/index.js';

export interface LinkOptions {
  host: string;
  port: number;
  localAddress?: string;
  layout: FrameLayout;
  maxBodyBytes: number;
  /** Give up connecting after this long. */
  connectTimeoutMs: number;
}

export class ImLink {
  closed = false;
  /** Why the connection ended, once it has. */
  closeReason = '';
  onFrame: (id: number, body: Uint8Array) => void = () => undefined;
  /** After the frames of one read have been handled. */
  onFramesDone: () => void = () => undefined;
  onClose: (reason: string) => void = () => undefined;
  private readonly decoder: FrameDecoder;
  private intentional = false;

  private constructor(readonly socket: Socket, options: LinkOptions) {
    this.decoder = new FrameDecoder({ layout: options.layout, maxBodyBytes: options.maxBodyBytes });
    socket.on('data', (chunk) => {
      let frames;
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        this.fail(`bad frame from the server: ${(err as Error).message}`);
        return;
      }
      for (let i = 0; i < frames.length; i++) this.onFrame(frames[i]!.id, frames[i]!.body);
      this.onFramesDone();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.noteReason(err.code ?? err.message));
    socket.on('end', () => this.noteReason('closed by the server'));
    socket.on('close', () => {
      this.closed = true;
      this.noteReason(this.intentional ? 'closed by the generator' : 'connection lost');
      this.onClose(this.closeReason);
    });
  }

  /** Connects; rejects with the socket error (ECONNREFUSED, ETIMEDOUT...) when it cannot. */
  static open(options: LinkOptions): Promise<ImLink> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port, localAddress: options.localAddress, noDelay: true });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), options.connectTimeoutMs);
      socket.once('error', (err) => { clearTimeout(timer); reject(err); });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ImLink(socket, options));
      });
    });
  }

  write(bytes: Uint8Array): void {
    // After the server's FIN the socket is no longer writable: a write then would only raise an error.
    if (!this.closed && this.socket.writable) this.socket.write(bytes);
  }

  /** Ends the connection from our side (the end of a run). */
  close(): void {
    this.intentional = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private fail(reason: string): void {
    this.noteReason(reason);
    this.socket.destroy();
  }

  private noteReason(reason: string): void {
    if (this.closeReason === '') this.closeReason = reason;
  }
}

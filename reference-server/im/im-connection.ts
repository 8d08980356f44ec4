// One IM client connection: frames in, requests handled one at a time in arrival order, replies out.
// Handlers never see bytes or sockets; they see a typed request and this object's small API.
import type { Socket } from 'node:net';
import { encodeMessageFrame, FrameDecoder, UnexpectedIdError, isMessageId, messageName, type Frame, type FrameHeaderError, type MessageFields, type MessageIdNumber } from '../../proto/index.js';
import type { Logger } from '../log.js';
import { PeerConnection } from '../transport/peer-connection.js';
import type { ManagedConnection } from '../transport/listener.js';
import type { ImConfig } from './im-config.js';
import { isRequestId } from './request-ids.js';

export type FrameHandler = (connection: ImConnection, frame: Frame) => void | Promise<void>;

export class ImConnection implements ManagedConnection {
  readonly peer: PeerConnection;
  /** The logged-in user, or null. */
  userId: string | null = null;
  /** The presence the user chose at login or since (1-5). */
  status = 0;
  /** Set while stored chats are being delivered after login; new chats queue behind them. */
  drainingPending = false;
  private readonly decoder: FrameDecoder;
  /** Frames received while an earlier request was still being handled (asynchronously). */
  private backlog: Frame[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    socket: Socket,
    log: Logger,
    readonly config: ImConfig,
    private readonly handleFrame: FrameHandler,
  ) {
    this.peer = new PeerConnection(socket, log, config.maxOutboundBytes);
    // Only requests are accepted: anything else is refused at its header, before its body is awaited.
    this.decoder = new FrameDecoder({ layout: config.layout, maxBodyBytes: config.maxBodyBytes, acceptId: isRequestId });
    socket.on('data', (chunk) => this.onData(chunk));
    this.peer.whenIdle = () => this.idle();
  }

  /**
   * [IM-CONN-1] silent past the idle timeout, logged in or not (heartbeats need no login). A client
   * waiting for the server's own answer (a login queued behind a storm of password hashes) is not
   * idle: the clock restarts when the server is done with it.
   */
  expiry(now: number): string | null {
    if (this.busy) {
      this.peer.lastReceivedAt = now;
      return null;
    }
    const limit = this.config.idleTimeoutMs;
    return now - this.peer.lastReceivedAt > limit ? `idle for more than ${limit} ms` : null;
  }

  /** Sends message `id` with `fields` as its body. */
  send<K extends MessageIdNumber>(id: K, fields: MessageFields<K>, onWritten?: (err?: Error | null) => void): boolean {
    return this.peer.send(encodeMessageFrame(id, fields, this.config.layout), onWritten);
  }

  /** Sends bytes already framed (a reply encoded once and reused). */
  sendFrame(frame: Uint8Array): boolean {
    return this.peer.send(frame);
  }

  private onData(chunk: Buffer): void {
    this.peer.lastReceivedAt = performance.now();
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      // [IM-FRAME-4, IM-FRAME-6] the only errors push throws; the stream cannot be resynchronised.
      // The valid frames before the bad header are still handled and answered, then the connection closes.
      const refused = err as FrameHeaderError;
      this.peer.socket.pause();
      this.enqueue(refused.framesBefore);
      const reason = refused instanceof UnexpectedIdError
        ? `message id ${refused.id}${isMessageId(refused.id) ? ` (${messageName(refused.id)})` : ''} is not a client request (wrong --layout?)`
        : `${refused.message} (wrong --layout or --max-body?)`;
      void this.idle().then(() => this.peer.close(reason, 'warn'));
      return;
    }
    this.enqueue(frames);
  }

  /** Resolves once no request is being handled and none waits. */
  private idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(frames: Frame[]): void {
    if (frames.length === 0) return;
    if (this.busy) {
      for (const f of frames) this.backlog.push(f);
      return;
    }
    // Replies to one chunk of requests leave in one write.
    this.peer.socket.cork();
    this.run(frames, 0);
    process.nextTick(() => this.peer.socket.uncork());
  }

  /** Handles frames in order; pauses reading while a handler awaits (scrypt, file writes). */
  private run(frames: Frame[], from: number): void {
    for (let i = from; i < frames.length; i++) {
      if (this.peer.closing) return;
      const pending = this.handleFrame(this, frames[i]!);
      if (pending !== undefined) {
        this.busy = true;
        this.peer.socket.pause();
        pending.catch((err: Error) => this.peer.destroy(`internal error handling ${messageName(frames[i]!.id)}: ${err.stack ?? err.message}`, 'warn'))
          .finally(() => this.resume(frames, i + 1));
        return;
      }
    }
  }

  private resume(frames: Frame[], next: number): void {
    this.busy = false;
    const rest = frames.slice(next);
    for (const f of this.backlog) rest.push(f);
    this.backlog = [];
    if (!this.peer.closing) {
      this.peer.socket.resume();
      this.run(rest, 0);
    }
    if (!this.busy) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

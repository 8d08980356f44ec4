// A TCP proxy that plants one bug in front of the real reference server: a mutant is the reference
// server plus a few lines of hooks that drop, rewrite, inject or close at the level of IM frames or
// CHAT/1.0 lines. [D-MUTANTS] asks that every MUST and SHOULD check fail against some mutant, and a
// mutant made this way breaks exactly one rule while everything else stays the reference server's.
// Test code only: the shipped server in reference-server/ has no flag for any of these bugs.
//
// Transparent unless a hook says otherwise. IM: the client's bytes are cut into frames (the layout of
// the checks, [IM-FRAME-1] [IM-FRAME-2]) and each complete frame is forwarded whole; a header the
// server refuses at once (over the body limit [IM-FRAME-4], an id that is not a client request
// [IM-FRAME-6]) is forwarded with everything after it as raw bytes, so the server sees the stream the
// client wrote. The server's frames are decoded the same way; its replies are matched to the requests
// they answer, in request order [IM-FRAME-5], so a hook can rewrite the reply to a request it changed.
// CHAT/1.0: each direction is cut at LF [CHAT-LINE-1], every line forwarded with its own terminator
// (`\r\n` stays `\r\n`); a line that grows past `maxHeldLineBytes` without an LF passes raw up to its
// LF. A client's half-close (FIN) is passed on after what came before it, with the bytes after the
// last LF (the server handles them as the last line, [CHAT-LINE-1]) unless a hook decides otherwise.
//
// Each connection knows who it logged in as: IM from request 1 and its reply 2 Success, CHAT/1.0 from
// the LOGIN lines it passed [CHAT-LOGIN-1].
import type { Socket } from 'node:net';
import {
  FrameDecoder, HEADER_BYTES, MessageId, ResultCode, decodeMessage, encodeFrame, isChatParseError, parseChatLine, responseIdFor,
  type ChatCommand, type ChatParseError, type FrameLayout,
} from '../../../proto/index.js';
import { ByteQueue, ProxyConnection, startPipe, type Endpoint, type RunningProxy } from './proxy-pipe.js';

export { ProxyConnection, type Endpoint, type RunningProxy } from './proxy-pipe.js';

// ---------------------------------------------------------------------------------------------
// IM: frames.

export interface ImFrame {
  id: number;
  body: Uint8Array;
}

/** What a hook does with the reply to a request it let through or put in: like a FrameVerdict. */
export type ReplyHook = (reply: ImFrame, conn: ImProxyConnection) => FrameVerdict;

/**
 * What to do with a frame: pass it on, drop it, close the connection (both ways, at once), send
 * these frames in its place (possibly none, or several), or (a client's frame only) send `frames` in
 * its place and hand the reply to the last of them that has one to `onReply` instead of to the client.
 */
export type FrameVerdict = 'forward' | 'drop' | 'close' | readonly ImFrame[] | { frames: readonly ImFrame[]; onReply: ReplyHook };

/**
 * What to do with a client's header before its body is read: `frame` waits for the body and hands the
 * frame to `clientFrame`; `raw` passes the header and everything after it on as bytes, unframed (what
 * a server that refuses the header at once sees); `skip` drops the header and its body and goes on
 * framing; `swallow` drops it and everything after it, keeping the connection open; `close` ends the
 * connection.
 */
export type HeaderVerdict = 'frame' | 'raw' | 'skip' | 'swallow' | 'close';

export interface ImHeader {
  id: number;
  length: number;
}

/** A request sent to the server whose reply has not come yet. */
interface AwaitedReply {
  requestId: number;
  /** The UserID of a LoginRequest (null: its body does not decode). */
  user: string | null;
  onReply: ReplyHook | null;
}

export class ImProxyConnection extends ProxyConnection {
  /** Requests sent to the server and not yet answered, in order [IM-FRAME-5]. */
  readonly awaited: AwaitedReply[] = [];

  constructor(index: number, client: Socket, upstream: Socket, private readonly layout: FrameLayout) {
    super(index, client, upstream);
  }

  /** A frame to the client, as if the server had sent it. */
  sendToClient(frame: ImFrame): void {
    this.toClient(encodeFrame(frame.id, frame.body, this.layout));
  }

  /**
   * A frame to the server, as if the client had sent it. Its reply, if it has one, goes to `onReply`;
   * by default it is dropped, since the client did not ask.
   */
  sendToServer(frame: ImFrame, onReply: ReplyHook = () => 'drop'): void {
    this.sent(frame, onReply);
    this.toServer(encodeFrame(frame.id, frame.body, this.layout));
  }

  /** Bookkeeping of a frame that reaches the server: the reply it will get, in order. */
  sent(frame: ImFrame, onReply: ReplyHook | null): void {
    if (responseIdFor(frame.id) === null) return;
    let user: string | null = null;
    if (frame.id === MessageId.LoginRequest) user = (tryDecode(frame) as { UserID?: string } | null)?.UserID ?? null;
    this.awaited.push({ requestId: frame.id, user, onReply });
  }
}

export interface ImHooks {
  /** Each read from the client, before it is cut into frames: the bytes to cut instead. */
  clientChunk?(chunk: Buffer, conn: ImProxyConnection): Uint8Array;
  /** Each header from the client. `standard`: `raw` for a length over the limit or an id that is not a request, else `frame`. */
  clientHeader?(header: ImHeader, conn: ImProxyConnection, standard: HeaderVerdict): HeaderVerdict;
  /** Each complete frame from the client. */
  clientFrame?(frame: ImFrame, conn: ImProxyConnection): FrameVerdict;
  /** Each frame from the server (but the replies a client hook took with `onReply`); `request` is the id of the request a reply answers. */
  serverFrame?(frame: ImFrame, conn: ImProxyConnection, request: number | null): FrameVerdict;
  /**
   * The client is gone or going (its FIN, or its socket closed), once per connection; `pendingBytes`
   * are those of a frame it began and did not finish (a header or body cut short).
   */
  clientGone?(conn: ImProxyConnection, pendingBytes: number): void;
}

export interface ImProxyOptions {
  target: Endpoint;
  /** The layout the checks speak (and the server serves). */
  layout: FrameLayout;
  /** The body limit the checks are told: a header over it is the server's to refuse. */
  maxBodyBytes: number;
  hooks?: ImHooks;
}

export type ImProxy = RunningProxy<ImProxyConnection>;

/** The odd ids 1-23 [IM-FRAME-6]. */
export const isClientRequestId = (id: number): boolean => id >= 1 && id <= 23 && id % 2 === 1;

/** The pushes 8, 10, 14: the server's frames that answer no request [IM-MSG-2]. */
export const isPushId = (id: number): boolean => id === MessageId.UserOfflineNotice || id === MessageId.ChangeStatusNotice || id === MessageId.FriendChatNotice;

/** A decoded body, or null when it does not decode [IM-FRAME-7]. */
export function tryDecode(frame: ImFrame): Record<string, unknown> | null {
  try {
    return decodeMessage(frame.id, frame.body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function startImProxy(options: ImProxyOptions): Promise<ImProxy> {
  const { layout, maxBodyBytes } = options;
  const hooks = options.hooks ?? {};
  const le = layout === 'le';
  interface ClientSide { queue: ByteQueue; header: ImHeader | null; mode: 'frames' | 'raw' | 'swallow' | 'skip'; skipLeft: number }
  interface ServerSide { decoder: FrameDecoder; raw: boolean }
  const clientSides = new WeakMap<ImProxyConnection, ClientSide>();
  const serverSides = new WeakMap<ImProxyConnection, ServerSide>();
  const gone = new WeakSet<ImProxyConnection>();
  const clientGone = (conn: ImProxyConnection): void => {
    if (gone.has(conn)) return;
    gone.add(conn);
    const side = clientSides.get(conn)!;
    hooks.clientGone?.(conn, side.mode === 'frames' ? side.queue.length + (side.header !== null ? HEADER_BYTES : 0) : 0);
  };

  const headerBytes = (h: ImHeader): Buffer => {
    const out = Buffer.alloc(HEADER_BYTES);
    if (le) { out.writeUInt32LE(h.length, 0); out.writeUInt32LE(h.id, 4); } else { out.writeUInt32BE(h.id, 0); out.writeUInt32BE(h.length, 4); }
    return out;
  };

  /** Carries out a verdict on a client's frame; false when the connection was closed. */
  const toServer = (verdict: FrameVerdict, frame: ImFrame, header: ImHeader, conn: ImProxyConnection): boolean => {
    if (verdict === 'drop') return true;
    if (verdict === 'close') { conn.close(); return false; }
    if (verdict === 'forward') {
      conn.sent(frame, null);
      conn.toServer(Buffer.concat([headerBytes(header), frame.body]));
      return true;
    }
    const { frames, onReply } = 'frames' in verdict ? verdict : { frames: verdict, onReply: null };
    const last = frames.map((f) => responseIdFor(f.id) !== null).lastIndexOf(true);
    frames.forEach((f, i) => {
      conn.sent(f, i === last ? onReply : null);
      conn.toServer(encodeFrame(f.id, f.body, layout));
    });
    return true;
  };

  /** Carries out a verdict on a server's frame; false when the connection was closed. */
  const toClient = (verdict: FrameVerdict, frame: ImFrame, conn: ImProxyConnection): boolean => {
    if (verdict === 'drop') return true;
    if (verdict === 'close') { conn.close(); return false; }
    const frames = verdict === 'forward' ? [frame] : 'frames' in verdict ? verdict.frames : verdict;
    for (const f of frames) conn.sendToClient(f);
    return true;
  };

  const readClient = (conn: ImProxyConnection, side: ClientSide): void => {
    const q = side.queue;
    for (;;) {
      if (!conn.open) return;
      if (side.mode === 'raw') { if (q.length > 0) conn.toServer(q.drain()); return; }
      if (side.mode === 'swallow') { q.drain(); return; }
      if (side.mode === 'skip') {
        const n = Math.min(side.skipLeft, q.length);
        q.take(n);
        side.skipLeft -= n;
        if (side.skipLeft > 0) return;
        side.mode = 'frames';
        continue;
      }
      if (side.header === null) {
        if (q.length < HEADER_BYTES) return;
        const h = q.peek(HEADER_BYTES);
        const first = le ? h.readUInt32LE(0) : h.readUInt32BE(0);
        const second = le ? h.readUInt32LE(4) : h.readUInt32BE(4);
        const header: ImHeader = le ? { length: first, id: second } : { id: first, length: second };
        const standard: HeaderVerdict = header.length > maxBodyBytes || !isClientRequestId(header.id) ? 'raw' : 'frame';
        const verdict = hooks.clientHeader?.(header, conn, standard) ?? standard;
        if (verdict === 'close') { conn.close(); return; }
        if (verdict === 'raw' || verdict === 'swallow') { side.mode = verdict; continue; }
        q.take(HEADER_BYTES);
        if (verdict === 'skip') { side.mode = 'skip'; side.skipLeft = header.length; continue; }
        side.header = header;
      }
      const header = side.header;
      if (q.length < header.length) return;
      const frame: ImFrame = { id: header.id, body: q.take(header.length) };
      side.header = null;
      if (!toServer(hooks.clientFrame?.(frame, conn) ?? 'forward', frame, header, conn)) return;
    }
  };

  const readServer = (conn: ImProxyConnection, side: ServerSide, chunk: Buffer): void => {
    if (side.raw) { conn.toClient(chunk); return; }
    let frames;
    try {
      frames = side.decoder.push(chunk);
    } catch {
      // Not frames a client can read: passed on as they are, and so is everything after.
      side.raw = true;
      conn.toClient(chunk);
      return;
    }
    for (const f of frames) {
      const frame: ImFrame = { id: f.id, body: Uint8Array.prototype.slice.call(f.body) };
      const awaited = isPushId(frame.id) ? undefined : conn.awaited.shift();
      if (awaited?.requestId === MessageId.LoginRequest && awaited.user !== null && conn.loggedInAs === null) {
        const reply = tryDecode(frame) as { Result?: { Code?: number } } | null;
        if (reply?.Result?.Code === ResultCode.Success) conn.loggedInAs = awaited.user;
      }
      const verdict = awaited?.onReply
        ? awaited.onReply(frame, conn)
        : hooks.serverFrame?.(frame, conn, awaited?.requestId ?? null) ?? 'forward';
      if (!toClient(verdict, frame, conn)) return;
    }
  };

  return startPipe(options.target, (index, client, upstream) => {
    const conn = new ImProxyConnection(index, client, upstream, layout);
    clientSides.set(conn, { queue: new ByteQueue(), header: null, mode: 'frames', skipLeft: 0 });
    serverSides.set(conn, { decoder: new FrameDecoder({ layout, maxBodyBytes: 0xffffffff }), raw: false });
    return conn;
  }, {
    fromClient(conn, chunk) {
      const side = clientSides.get(conn)!;
      const bytes = hooks.clientChunk ? hooks.clientChunk(chunk, conn) : chunk;
      side.queue.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      readClient(conn, side);
    },
    fromServer(conn, chunk) {
      readServer(conn, serverSides.get(conn)!, chunk);
    },
    clientClosed: clientGone,
    clientEnd(conn) {
      clientGone(conn);
      // A partial frame left over is passed on as it is: the server sees what the client wrote.
      const side = clientSides.get(conn)!;
      if (side.mode === 'frames' && side.header !== null) conn.toServer(headerBytes(side.header));
      if ((side.mode === 'frames' || side.mode === 'raw') && side.queue.length > 0) conn.toServer(side.queue.drain());
      if (!conn.upstream.destroyed) conn.upstream.end();
    },
  });
}

// ---------------------------------------------------------------------------------------------
// CHAT/1.0: lines.

export interface ChatLine {
  /** The line, terminator removed. */
  bytes: Buffer;
  /** The line as it came, terminator included. */
  raw: Buffer;
  /** What the line says, or why it is a bad line [CHAT-LINE-2] [CHAT-LINE-3] [CHAT-LINE-5]. */
  parsed: ChatCommand | ChatParseError;
}

/** What to do with a line: pass it on, drop it, close the connection, or send these bytes in its place. */
export type LineVerdict = 'forward' | 'drop' | 'close' | readonly (string | Uint8Array)[];

export interface ChatHooks {
  /** Each read from the client, before it is cut into lines: the bytes to cut instead. */
  clientChunk?(chunk: Buffer, conn: ProxyConnection): Uint8Array;
  /** Each complete line from the client. */
  clientLine?(line: ChatLine, conn: ProxyConnection): LineVerdict;
  /** Each complete line from the server. */
  serverLine?(line: ChatLine, conn: ProxyConnection): LineVerdict;
  /**
   * The client half-closed; `tail` is what it sent after its last LF (often empty). Default
   * `forward`: the tail, then the FIN. A list of bytes replaces the tail (the FIN follows);
   * `drop` sends the FIN alone; `close` ends the connection instead.
   */
  clientHalfClose?(tail: Buffer, conn: ProxyConnection): LineVerdict;
}

export interface ChatProxyOptions {
  target: Endpoint;
  /** A line that has grown past this without its LF is passed on raw, unseen by the hooks, up to its LF. Default 1 MiB. */
  maxHeldLineBytes?: number;
  hooks?: ChatHooks;
}

export type ChatProxy = RunningProxy<ProxyConnection>;

const LF = 0x0a;
const CR = 0x0d;

/** Cuts one direction into lines, each handed to `onLine` with its terminator. */
class LineCutter {
  private readonly queue = new ByteQueue();
  /** Passing a too-long line on raw, up to its LF. */
  private rawLine = false;

  constructor(private readonly maxHeld: number, private readonly onLine: (raw: Buffer) => boolean, private readonly onRaw: (bytes: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.queue.push(chunk);
    for (;;) {
      const lf = this.queue.indexOf(LF, 0);
      if (this.rawLine) {
        if (lf < 0) { if (this.queue.length > 0) this.onRaw(this.queue.drain()); return; }
        this.onRaw(this.queue.take(lf + 1));
        this.rawLine = false;
        continue;
      }
      if (lf < 0) {
        if (this.queue.length > this.maxHeld) { this.rawLine = true; continue; }
        return;
      }
      if (!this.onLine(this.queue.take(lf + 1))) return;
    }
  }

  /** The bytes after the last LF, emptied. */
  tail(): Buffer {
    return this.queue.drain();
  }

  get passingRaw(): boolean {
    return this.rawLine;
  }
}

/** A raw line (LF included, or a tail without one) as the hooks see it. */
export function chatLineOf(raw: Buffer): ChatLine {
  let end = raw.length;
  if (end > 0 && raw[end - 1] === LF) end--;
  if (end > 0 && raw[end - 1] === CR) end--;
  const bytes = raw.subarray(0, end);
  return { bytes, raw, parsed: parseChatLine(bytes) };
}

export function startChatProxy(options: ChatProxyOptions): Promise<ChatProxy> {
  const hooks = options.hooks ?? {};
  const maxHeld = options.maxHeldLineBytes ?? 1 << 20;
  const cutters = new WeakMap<ProxyConnection, { fromClient: LineCutter; fromServer: LineCutter }>();

  const apply = (verdict: LineVerdict, raw: Buffer, conn: ProxyConnection, write: (b: Uint8Array | string) => void, sent: (b: Uint8Array | string) => void): boolean => {
    if (verdict === 'drop') return true;
    if (verdict === 'close') { conn.close(); return false; }
    for (const b of verdict === 'forward' ? [raw] : verdict) { sent(b); write(b); }
    return true;
  };

  /** LOGIN bookkeeping on what really reaches the server [CHAT-LOGIN-1]. */
  const sentToServer = (conn: ProxyConnection) => (bytes: Uint8Array | string): void => {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    let start = 0;
    for (let lf = buffer.indexOf(LF); lf >= 0; start = lf + 1, lf = buffer.indexOf(LF, start)) {
      const { parsed } = chatLineOf(buffer.subarray(start, lf + 1));
      if (!isChatParseError(parsed) && parsed.command === 'LOGIN') conn.loggedInAs = parsed.name;
    }
  };

  return startPipe(options.target, (index, client, upstream) => {
    const conn = new ProxyConnection(index, client, upstream);
    cutters.set(conn, {
      fromClient: new LineCutter(maxHeld,
        (raw) => conn.open && apply(hooks.clientLine?.(chatLineOf(raw), conn) ?? 'forward', raw, conn, (b) => conn.toServer(b), sentToServer(conn)),
        (bytes) => conn.toServer(bytes)),
      fromServer: new LineCutter(maxHeld,
        (raw) => conn.open && apply(hooks.serverLine?.(chatLineOf(raw), conn) ?? 'forward', raw, conn, (b) => conn.toClient(b), () => undefined),
        (bytes) => conn.toClient(bytes)),
    });
    return conn;
  }, {
    fromClient(conn, chunk) {
      const bytes = hooks.clientChunk ? hooks.clientChunk(chunk, conn) : chunk;
      cutters.get(conn)!.fromClient.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    },
    fromServer(conn, chunk) { cutters.get(conn)!.fromServer.push(chunk); },
    clientEnd(conn) {
      const cutter = cutters.get(conn)!.fromClient;
      const tail = cutter.tail();
      // The rest of a too-long line is passed on as it came; a tail is the hook's to judge.
      const verdict = cutter.passingRaw ? 'forward' : (hooks.clientHalfClose?.(tail, conn) ?? 'forward');
      if (!apply(verdict, tail, conn, (b) => conn.toServer(b), () => undefined)) return;
      if (!conn.upstream.destroyed) conn.upstream.end();
    },
  });
}

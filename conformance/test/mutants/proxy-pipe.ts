// The part of the mutating proxy both protocols share (see mutating-proxy.ts): a listener on
// loopback, one pair of sockets per client (the client's, and ours to the real server), a FIN passed on
// after the bytes before it [IM-CONN-2], a reset passed on as a reset, backpressure passed on (a side
// that does not read stops the other), and a crash that ends everything at once. The protocol parts
// decide what crosses; this part only moves bytes and closes.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from '../../../test-support/doubles/listen.js';

export interface Endpoint {
  host: string;
  port: number;
}

/** One proxied client connection: the client's socket and ours to the server. */
export class ProxyConnection {
  /** Who this connection logged in as, once the server accepted it (IM) or once LOGIN passed (CHAT/1.0). */
  loggedInAs: string | null = null;
  /** Set when the client half-closed (sent FIN). */
  clientEnded = false;

  constructor(readonly index: number, readonly client: Socket, readonly upstream: Socket) {}

  get open(): boolean {
    return !this.client.destroyed && !this.upstream.destroyed;
  }

  /** Set while the server's side is paused until the client's socket drains (and the reverse). */
  private holdingServer = false;
  private holdingClient = false;

  /**
   * Bytes to the client, as if the server had sent them. A client that does not read holds the server
   * back, as it would without the proxy: reading from the server pauses until the client's socket
   * drains, so the server's own bound on what it queues still applies [IM-CONN-3].
   */
  toClient(bytes: Uint8Array | string): void {
    if (this.client.destroyed || !this.client.writable) return;
    if (this.client.write(bytes) || this.holdingServer) return;
    this.holdingServer = true;
    this.upstream.pause();
    this.client.once('drain', () => { this.holdingServer = false; this.upstream.resume(); });
  }

  /** Bytes to the server, as if the client had sent them; a server that does not read holds the client back. */
  toServer(bytes: Uint8Array | string): void {
    if (this.upstream.destroyed || !this.upstream.writable) return;
    if (this.upstream.write(bytes) || this.holdingClient) return;
    this.holdingClient = true;
    this.client.pause();
    this.upstream.once('drain', () => { this.holdingClient = false; this.client.resume(); });
  }

  /** Ends the connection both ways at once, as a server closing it would (the client sees it closed). */
  close(): void {
    this.client.destroy();
    this.upstream.destroy();
  }
}

export interface PipeHandlers<C extends ProxyConnection> {
  /** The client sent bytes. */
  fromClient(conn: C, chunk: Buffer): void;
  /** The server sent bytes. */
  fromServer(conn: C, chunk: Buffer): void;
  /** The client half-closed: pass the FIN on (after whatever must go before it) or not. */
  clientEnd(conn: C): void;
  /** The client's socket closed, however (after its FIN, or reset, or destroyed by us). */
  clientClosed?(conn: C): void;
}

export interface RunningProxy<C extends ProxyConnection> {
  port: number;
  /** Connections not yet closed, oldest first. */
  readonly connections: readonly C[];
  /** Open connections logged in as `user`. */
  loggedIn(user: string): C[];
  /** Connections accepted so far. */
  readonly accepted: number;
  /**
   * The server "crashes": every connection is destroyed and the listener closed, so nothing answers
   * any more and new connections are refused.
   */
  crash(): void;
  readonly crashed: boolean;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

export async function startPipe<C extends ProxyConnection>(target: Endpoint, make: (index: number, client: Socket, upstream: Socket) => C, handlers: PipeHandlers<C>): Promise<RunningProxy<C>> {
  const open = new Set<C>();
  const sockets = new Set<Socket>();
  let accepted = 0;
  let crashed = false;
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    if (crashed) { client.destroy(); return; }
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    const conn = make(accepted++, client, upstream);
    open.add(conn);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.setNoDelay(true);
    // Bytes from the client wait in the socket until the server side is connected.
    client.pause();
    upstream.once('connect', () => client.resume());
    client.on('data', (chunk: Buffer) => handlers.fromClient(conn, chunk));
    upstream.on('data', (chunk: Buffer) => handlers.fromServer(conn, chunk));
    client.on('end', () => { conn.clientEnded = true; handlers.clientEnd(conn); });
    // The server's FIN follows the bytes it sent, which were written to the client synchronously.
    upstream.on('end', () => { if (!client.destroyed) client.end(); });
    // A side that closes without a clean end takes the other down with a reset; a clean close has
    // already passed its FIN on, and the other side closes once its own direction ends.
    const partnerOf = (s: Socket): Socket => (s === client ? upstream : client);
    for (const s of [client, upstream]) {
      s.on('close', (hadError) => {
        if (s === client) handlers.clientClosed?.(conn);
        sockets.delete(s);
        open.delete(conn);
        const partner = partnerOf(s);
        if (partner.destroyed) return;
        if (hadError || !s.readableEnded) partner.resetAndDestroy();
        else if (s === upstream && partner.writableEnded) partner.destroy();
      });
    }
  });
  const port = await listenOnLoopback(server, 'mutating proxy');
  const live = (): C[] => [...open].filter((c) => c.open);
  return {
    port,
    get connections() { return live(); },
    loggedIn: (user) => live().filter((c) => c.loggedInAs === user),
    get accepted() { return accepted; },
    crash() {
      if (crashed) return;
      crashed = true;
      for (const s of sockets) s.destroy();
      server.close();
    },
    get crashed() { return crashed; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) { resolve(); return; }
      server.close(() => resolve());
    }),
  };
}

/** Pieces of bytes held until enough have come, without copying them on every read. */
export class ByteQueue {
  private pieces: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.pieces.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes (n <= length), without removing them. */
  peek(n: number): Buffer {
    const first = this.pieces[0];
    if (first !== undefined && first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.pieces, this.length).subarray(0, n);
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    const first = this.pieces[0];
    let out: Buffer;
    if (first !== undefined && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.pieces.shift();
      else this.pieces[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.pieces, this.length);
      out = all.subarray(0, n);
      this.pieces = all.length > n ? [all.subarray(n)] : [];
    }
    this.length -= n;
    return out;
  }

  /** Everything held, emptied. */
  drain(): Buffer {
    return this.take(this.length);
  }

  /** The offset of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    let base = 0;
    for (const p of this.pieces) {
      if (from < base + p.length) {
        const at = p.indexOf(byte, Math.max(0, from - base));
        if (at >= 0) return base + at;
      }
      base += p.length;
    }
    return -1;
  }
}

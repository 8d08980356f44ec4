// A TCP server that accepts connections and never sends a byte: what a tool meets when the original IM
// server has deadlocked ("After a few such users the server accepts connections and answers nothing",
// docs/ORIGINALS.md), or a peer speaking the other frame layout waits for a bogus length. With
// `closeAtOnce` it closes each connection as soon as it is accepted, as the original does past its
// MaxConn ("at 2048 connections in total (its MaxConn) every new connection is closed at once").
import { createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './listen.js';

export interface SilentServerOptions {
  /** Close every connection right after accepting it. Default false: keep it open, read and discard. */
  closeAtOnce?: boolean;
}

export interface SilentServer {
  port: number;
  /** Connections accepted so far (closed ones included). */
  readonly connections: number;
  /** Connections still open. */
  readonly openConnections: number;
  /** Bytes received and discarded, over all connections. */
  readonly bytesReceived: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export async function startSilentServer(options: SilentServerOptions = {}): Promise<SilentServer> {
  const closeAtOnce = options.closeAtOnce ?? false;
  const open = new Set<Socket>();
  let accepted = 0;
  let bytesReceived = 0;
  // allowHalfOpen: a hung server does not answer a client's FIN with its own; the connection stays
  // half-open until the client gives up or close() is called.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted += 1;
    socket.on('error', () => undefined);
    if (closeAtOnce) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.on('data', (chunk: Buffer) => { bytesReceived += chunk.length; });
    socket.on('close', () => { open.delete(socket); });
  });
  const addressPort = await listenOnLoopback(server, 'silent server');
  return {
    port: addressPort,
    get connections() { return accepted; },
    get openConnections() { return open.size; },
    get bytesReceived() { return bytesReceived; },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}

// A plain TCP proxy that can be frozen: from then on it forwards nothing in either direction and
// keeps every connection open, so the target looks alive at the TCP level and answers nothing (a
// server whose workers are all stuck, as the original IM server ends up after its disconnect
// deadlock). New connections are still accepted, and then hear nothing either.
import { connect, createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './listen.js';

export interface FreezingProxy {
  port: number;
  /** From now on nothing is forwarded; connections stay open. */
  freeze(): void;
  readonly frozen: boolean;
  /** Connections accepted so far (closed ones included). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startFreezingProxy(target: { host: string; port: number }): Promise<FreezingProxy> {
  const sockets = new Set<Socket>();
  let frozen = false;
  let accepted = 0;
  const track = (s: Socket): void => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); };
  const server = createServer((client) => {
    accepted += 1;
    track(client);
    const upstream = connect(target);
    track(upstream);
    client.on('data', (d) => { if (!frozen) upstream.write(d); });
    upstream.on('data', (d) => { if (!frozen) client.write(d); });
    // Before the freeze closes pass through; after it the target is "alive" and silent.
    client.on('end', () => { if (!frozen) upstream.end(); });
    upstream.on('end', () => { if (!frozen) client.end(); });
    client.on('close', () => { if (!frozen) upstream.destroy(); });
    upstream.on('close', () => { if (!frozen) client.destroy(); });
  });
  const port = await listenOnLoopback(server, 'freezing proxy');
  return {
    port,
    freeze: () => { frozen = true; },
    get frozen() { return frozen; },
    get connections() { return accepted; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

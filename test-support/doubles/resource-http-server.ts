// The download side of the original-like IM server: an HTTP server that serves stored bytes under
// `/res/` (docs/ORIGINALS.md: "an HTTP server (gin in the original) serves files under `/res/...`";
// avatars "are stored and served over the same HTTP server (HeadImageUrl)"). Apart from the IM double
// so that each file has one job. GET of a stored path: 200 and the bytes; anything else: 404.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { listenOnLoopback } from './listen.js';

export interface ResourceHttpServer {
  port: number;
  /** Stores `bytes` under `/res/<path>` (path without a leading slash, e.g. "files/ab12.txt"). */
  put(path: string, bytes: Buffer): void;
  /** `http://127.0.0.1:PORT/res/<path>` */
  urlOf(path: string): string;
  /** GET requests answered, by status. */
  readonly requests: { ok: number; notFound: number };
  close(): Promise<void>;
}

export async function startResourceHttpServer(): Promise<ResourceHttpServer> {
  const resources = new Map<string, Buffer>();
  const requests = { ok: 0, notFound: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // The query string is not part of the name.
    const path = (req.url ?? '').split('?')[0] ?? '';
    const bytes = req.method === 'GET' && path.startsWith('/res/') ? resources.get(path.slice('/res/'.length)) : undefined;
    if (bytes === undefined) {
      requests.notFound += 1;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found');
      return;
    }
    requests.ok += 1;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
    res.end(bytes);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const addressPort = await listenOnLoopback(server, 'HTTP server');
  const port = addressPort;
  let closing: Promise<void> | null = null;
  return {
    port,
    put: (path, bytes) => { resources.set(path, bytes); },
    urlOf: (path) => `http://127.0.0.1:${port}/res/${path}`,
    requests,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        // Keep-alive connections would hold close() open: end them with the server.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

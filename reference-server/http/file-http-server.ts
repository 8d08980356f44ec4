// Downloads over HTTP [IM-FILE-3]: GET and HEAD of /res/files/NAME and /res/avatars/NAME, where NAME
// is one the server chose. Nothing else is served; no client string ever reaches a file path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FileKind, Store } from '../storage/store.js';

const ROUTE = /^\/res\/(files|avatars)\/([0-9a-f]{32}(?:\.[a-z0-9]{1,10})?)$/;
const KINDS: Record<string, FileKind> = { files: 'file', avatars: 'avatar' };

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function createFileHttpServer(store: Store, blobs: BlobStore, log: Logger): Server {
  const server = createServer((req, res) => {
    serve(req, res).catch((err: Error) => {
      log.warn(`${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': 0 }).end();
      return;
    }
    const path = (req.url ?? '').split('?')[0]!;
    const match = ROUTE.exec(path);
    const kind = match && KINDS[match[1]!];
    const meta = kind && store.getFile(match[2]!);
    const blob = meta && meta.kind === kind ? await blobs.get(kind, meta.storedName) : undefined;
    if (!meta || !blob) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 10 }).end(req.method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': blob.size,
      'Content-Disposition': contentDisposition(meta.fileName),
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    blob.stream().on('error', (err) => res.destroy(err)).pipe(res);
  }

  return server;
}

// File downloads over HTTP, as the original client fetches what it was sent (the original's gin server
// under /res/). One keep-alive socket pool per worker, bounded (the capacity check counts it): a
// thousand users downloading do not open a thousand sockets.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * Keep-alive HTTP sockets per worker for downloads: the pool's bound, which the capacity check
 * (bench/config/capacity.ts) counts among a process's descriptors.
 */
export const HTTP_SOCKETS_PER_WORKER = 8;

export type DownloadOutcome =
  | { kind: 'done'; status: number; body: Buffer }
  | { kind: 'error'; reason: string; timedOut: boolean };

export class Downloader {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: HTTP_SOCKETS_PER_WORKER });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: HTTP_SOCKETS_PER_WORKER });
  private readonly active = new Set<ClientRequest>();

  /** GETs `url`; the whole exchange, queueing for a pooled socket included, must end within `timeoutMs`. */
  get(url: URL, timeoutMs: number): Promise<DownloadOutcome> {
    return new Promise((resolve) => {
      const secure = url.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(url, { agent: secure ? this.https : this.http });
      this.active.add(req);
      let settled = false;
      const settle = (outcome: DownloadOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.active.delete(req);
        resolve(outcome);
      };
      const timer = setTimeout(() => { settle({ kind: 'error', reason: 'timed out', timedOut: true }); req.destroy(); }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'error', reason: err.code ?? err.message, timedOut: false }));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle({ kind: 'done', status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'error', reason: err.code ?? err.message, timedOut: false }));
      });
      req.end();
    });
  }

  /** Downloads in progress. */
  get pending(): number {
    return this.active.size;
  }

  /** Aborts whatever is in progress and closes the pooled sockets. */
  destroy(): void {
    for (const req of this.active) req.destroy();
    this.active.clear();
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * Where to download a file: the server's URL, or with `--http BASE` the same path and query under BASE
 * (a server that hands out an address the generator cannot reach, 0.0.0.0 or a name inside a cluster).
 */
export function downloadUrl(serverUrl: string, base: string | null): URL {
  const url = new URL(serverUrl);
  if (base === null) return url;
  const over = new URL(base);
  // Joined as text on the base's origin: a path of the server's starting with `//` stays a path.
  return new URL(`${over.origin}${over.pathname.replace(/\/+$/, '')}${url.pathname}${url.search}`);
}

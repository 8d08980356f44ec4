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

/** How a pooled socket the server closed meanwhile fails a request sent on it. */
const STALE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export type DownloadOutcome =
  | { kind: 'done'; status: number; body: Buffer }
  | { kind: 'error'; reason: string; timedOut: boolean };

export class Downloader {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: HTTP_SOCKETS_PER_WORKER });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: HTTP_SOCKETS_PER_WORKER });
  private readonly active = new Set<ClientRequest>();

  /**
   * GETs `url`; the whole exchange, queueing for a pooled socket included, must end within `timeoutMs`.
   * A request on a pooled socket that the server had just closed as idle (a reset, or a close before
   * any reply) is sent again on another socket, as HTTP lets a client do with a GET (RFC 9112, 9.3.1):
   * the server refused nothing. It raced the server's keep-alive timeout once in a main-job run on a
   * fresh clone, and counted as a failed download.
   */
  get(url: URL, timeoutMs: number): Promise<DownloadOutcome> {
    return new Promise((resolve) => {
      const secure = url.protocol === 'https:';
      let req: ClientRequest;
      let settled = false;
      const settle = (outcome: DownloadOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.active.delete(req);
        resolve(outcome);
      };
      const timer = setTimeout(() => { settle({ kind: 'error', reason: 'timed out', timedOut: true }); req.destroy(); }, timeoutMs);
      // Each stale pooled socket is discarded as it fails, so a retry per socket of the pool suffices.
      let retries = HTTP_SOCKETS_PER_WORKER;
      const attempt = (): void => {
        req = (secure ? httpsRequest : httpRequest)(url, { agent: secure ? this.https : this.http });
        this.active.add(req);
        let answered = false;
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (!answered && req.reusedSocket && STALE_SOCKET_ERRORS.has(err.code ?? '') && retries-- > 0 && !settled) {
            this.active.delete(req);
            attempt();
            return;
          }
          settle({ kind: 'error', reason: err.code ?? err.message, timedOut: false });
        });
        req.on('response', (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => settle({ kind: 'done', status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'error', reason: err.code ?? err.message, timedOut: false }));
        });
        req.end();
      };
      attempt();
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

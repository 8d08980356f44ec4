// Where a file is downloaded from: the server's URL, or with --http BASE its path and query under BASE;
// and how a download survives a pooled socket the server closed meanwhile.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Downloader, downloadUrl } from '../../engine/http-downloads.js';

describe('downloadUrl', () => {
  test.each([
    ['http://0.0.0.0:8080/res/files/x?q=1', null, 'http://0.0.0.0:8080/res/files/x?q=1'],
    ['https://files.example:8443/res/a%20b.bin', null, 'https://files.example:8443/res/a%20b.bin'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://127.0.0.1:9090', 'http://127.0.0.1:9090/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://127.0.0.1:9090/', 'http://127.0.0.1:9090/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/prefix/', 'http://h:1/prefix/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/prefix', 'http://h:1/prefix/res/files/x?q=1'],
    ['http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/a/b//', 'http://h:1/a/b/res/files/x?q=1'],
    ['http://server.cluster.local/res/files/tb-1-2-3-0-1-10.bin', 'https://gateway:443/', 'https://gateway/res/files/tb-1-2-3-0-1-10.bin'],
    ['http://0.0.0.0:8080/res/x?a=1&b=2', 'http://h:1/prefix?ignored=1', 'http://h:1/prefix/res/x?a=1&b=2'],
    ['http://0.0.0.0:8080/', 'http://h:1/prefix/', 'http://h:1/prefix/'],
    // A server path starting with // is a path, not a host (joined as text, never resolved as a URL).
    ['http://0.0.0.0:8080//files/x?q=1', 'http://127.0.0.1:9090', 'http://127.0.0.1:9090//files/x?q=1'],
  ])('%s with base %s: %s', (serverUrl, base, expected) => {
    expect(downloadUrl(serverUrl, base).href).toBe(expected);
  });

  test('with a path prefix: /prefix/res/files/x?q=1', () => {
    const url = downloadUrl('http://0.0.0.0:8080/res/files/x?q=1', 'http://h:1/prefix/');
    expect(url.origin).toBe('http://h:1');
    expect(url.pathname + url.search).toBe('/prefix/res/files/x?q=1');
  });

  const arbSegment = fc.stringMatching(/^[a-zA-Z0-9_.~-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
  const arbPath = fc.array(arbSegment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
  const arbQuery = fc.option(fc.stringMatching(/^[a-z]{1,4}=[a-z0-9]{0,4}$/), { nil: undefined });

  test.prop([arbPath, arbQuery, fc.option(arbPath, { nil: undefined }), fc.integer({ min: 1, max: 65_535 })])(
    'the base’s origin, its path as a prefix, the server URL’s path and query',
    (path, query, prefix, port) => {
      const serverUrl = `http://10.0.0.1:8080${path}${query ? `?${query}` : ''}`;
      const base = `http://127.0.0.1:${port}${prefix ?? ''}`;
      const url = downloadUrl(serverUrl, base);
      expect(url.origin).toBe(new URL(base).origin);
      expect(url.pathname).toBe(`${prefix ?? ''}${path}`);
      expect(url.search).toBe(query ? `?${query}` : '');
      expect(downloadUrl(serverUrl, null).href).toBe(new URL(serverUrl).href);
    },
  );
});

// A pooled socket that the server closed as idle, meeting the next request: a GET sent again on
// another socket (the server refused nothing); a reset on a fresh socket stays a failure, tried once.
describe('Downloader and stale keep-alive sockets', () => {
  /** Answers the first request of each connection (keep-alive), resets the connection on a later one, or on `resetFirst` on the first. */
  async function server(resetFirst: boolean): Promise<{ url: URL; connections: () => number; close: () => Promise<void> }> {
    let connections = 0;
    const srv = createServer((socket) => {
      connections++;
      let requests = 0;
      let buffered = '';
      socket.on('data', (chunk) => {
        buffered += chunk.toString('latin1');
        while (buffered.includes('\r\n\r\n')) {
          buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
          requests++;
          if (resetFirst || requests > 1) { socket.resetAndDestroy(); return; }
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n\r\nhello');
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    return { url: new URL(`http://127.0.0.1:${port}/res/files/x`), connections: () => connections, close: () => new Promise((r) => srv.close(() => r())) };
  }

  test('the second GET meets a reset on the pooled socket: sent again on a new one, and done', async () => {
    const s = await server(false);
    const downloader = new Downloader();
    try {
      const first = await downloader.get(s.url, 5000);
      const second = await downloader.get(s.url, 5000);
      expect(first).toMatchObject({ kind: 'done', status: 200 });
      expect(second).toMatchObject({ kind: 'done', status: 200 });
      expect(second.kind === 'done' && second.body.toString()).toBe('hello');
      expect(s.connections()).toBe(2);
    } finally {
      downloader.destroy();
      await s.close();
    }
  });

  test('a reset of a request on a fresh socket is a failed download, not tried again', async () => {
    const s = await server(true);
    const downloader = new Downloader();
    try {
      expect(await downloader.get(s.url, 5000)).toEqual({ kind: 'error', reason: 'ECONNRESET', timedOut: false });
      expect(s.connections()).toBe(1);
      expect(downloader.pending).toBe(0);
    } finally {
      downloader.destroy();
      await s.close();
    }
  });
});

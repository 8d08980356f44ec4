// File traffic end to end (upload to a friend, its file list, an HTTP download checked byte for byte),
// and what a server sends that nobody asked for: CHAT/1.0 lines that do not parse, connections it
// accepts and closes at once. Each is counted where the summary shows it, and fails the run.
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { startTestServer } from '../../test-support/test-server.js';
import { listenOnLoopback } from '../../test-support/doubles/listen.js';
import { startOriginalImServer } from '../../test-support/doubles/original-im-server.js';
import { expectExit, load } from '../../test-support/cli-run.js';
import { keeper } from '../../test-support/cleanup.js';

// The tests of each describe run concurrently, each with servers of its own (closed when it ends):
// they mostly wait on the generator's timers, and none shares anything with another.
type Keep = ReturnType<typeof keeper>;

/** An HTTP server answering every GET with `body(path)`; its port. */
async function httpServer(keep: Keep, body: (path: string) => Buffer | null): Promise<number> {
  const server: Server = createHttpServer((req, res) => {
    const bytes = body(req.url ?? '');
    if (bytes === null) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Length': bytes.length }).end(bytes);
  });
  const port = await listenOnLoopback(server, 'HTTP server');
  keep({ close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) });
  return port;
}

describe('file traffic', () => {
  test.concurrent('--http: downloads go to another base with the same path; one serving other bytes is caught as corrupted', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn' }));
    // --http sends every download to another base with the same path: here one serving other bytes.
    const corrupt = await httpServer(keep, (path) => (path.startsWith('/res/files/') ? Buffer.from('not the bytes that were uploaded') : null));
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '6', '--group-size', '3', '--duration', '2s', '--chat-rate', '0',
      '--upload-rate', '1', '--upload-size', '500', '--file-list-interval', '200ms', '--http', `http://127.0.0.1:${corrupt}`, '--grace', '1500ms', '--seed', 'corrupt']);
    expectExit(run, 99);
    const file = run.result.delivery.file!;
    expect(run.result.ops['file.e2e']!.sent).toBeGreaterThan(0);
    expect(file.corrupted).toBe(run.result.ops['file.e2e']!.sent);
    expect(file.delivered).toBe(0);
    expect(run.result.ops.download!.ok).toBe(file.corrupted);
    expect(run.stdout).toMatch(/file: delivered 0, lost 0, duplicated 0, reordered 0, corrupted [1-9]/);
  });

  test.concurrent('downloads from the server\'s own URLs: every file delivered, download and file.e2e timed, throughput reported', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn' }));
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '6', '--group-size', '3', '--duration', '2s', '--chat-rate', '0',
      '--upload-rate', '1', '--upload-size', '1000-5000', '--file-list-interval', '200ms', '--grace', '1500ms', '--seed', 'files']);
    expectExit(run, 0);
    const sent = run.result.ops['file.e2e']!.sent;
    expect(sent).toBeGreaterThan(3);
    expect(run.result.delivery.file).toMatchObject({ delivered: sent, lost: 0, corrupted: 0 });
    expect(run.result.ops.download!.ok).toBe(sent);
    expect(run.result.downloadBytes).toBeGreaterThanOrEqual(sent * 1000);
    expect(run.result.metrics['download.throughput']).toBeGreaterThan(0);
    // file.e2e includes waiting for the next file-list poll, so it is never below a download.
    expect(run.result.metrics['file.e2e.p50']!).toBeGreaterThanOrEqual(run.result.metrics['download.p50']!);
  });

  test.concurrent('a download server that refuses: failed downloads by HTTP status, the files lost', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn' }));
    const missing = await httpServer(keep, () => null);
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '4', '--group-size', '2', '--duration', '2s', '--chat-rate', '0',
      '--upload-rate', '1', '--upload-size', '300', '--file-list-interval', '200ms', '--http', `http://127.0.0.1:${missing}/`, '--grace', '1s', '--seed', 'http-404']);
    expectExit(run, 99);
    expect(run.result.ops.download!.failedBy).toEqual({ 'HTTP 404': run.result.ops.download!.sent });
    expect(run.result.delivery.file!.lost).toBe(run.result.ops['file.e2e']!.sent);
  });
});

/**
 * A CHAT/1.0 proxy that forwards both ways and adds a malformed line after every line the server
 * sends: what a server with a buggy writer would put on the wire.
 */
async function lineSpoilingProxy(keep: Keep, port: number): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port });
    for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)); }
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => client.write(Buffer.concat([d, Buffer.from('chat/1.0 receive nobody this line is malformed\n')])));
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
  });
  const listening = await listenOnLoopback(server, 'line-spoiling proxy');
  keep({ close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) });
  return listening;
}

describe('what a server sends that nobody asked for', () => {
  test.concurrent('CHAT/1.0 lines that do not parse are counted by kind, shown, and fail the run', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn' }));
    const port = await lineSpoilingProxy(keep, server.chatPort);
    const run = await load(['--protocol', 'chat', '--target', `127.0.0.1:${port}`, '--users', '6', '--duration', '2s', '--chat-rate', '1',
      '--grace', '500ms', '--seed', 'bad-lines']);
    expectExit(run, 99);
    expect(run.result.badLines.INVALID_MESSAGE).toBeGreaterThan(0);
    // The good lines still count: delivery is exact.
    expect(run.result.delivery.send).toMatchObject({ delivered: run.result.ops['send.e2e']!.sent, lost: 0 });
    expect(run.stdout).toMatch(/bad lines from the server: INVALID_MESSAGE \d+/);
  });

  test.concurrent('connections the server accepts and closes at once are failed connects, not ok ones', async (ctx) => {
    const keep = keeper(ctx);
    // The original past its MaxConn: the preflight's connection and two users get in, the rest are closed at once.
    const original = keep(await startOriginalImServer({ maxConn: 3, deadlockOnDisconnect: true }));
    const run = await load(['--target', `127.0.0.1:${original.port}`, '--users', '6', '--group-size', '2', '--duration', '1s',
      '--unanswered', 'heartbeat', '--timeout', '1s', '--grace', '300ms', '--seed', 'maxconn']);
    expect([99, 4], run.stdout).toContain(run.code);
    const connect = run.result.ops.connect!;
    expect(connect.sent).toBe(6);
    expect(connect.failedBy['closed by the server before answering']).toBeGreaterThanOrEqual(3);
    expect(connect.ok).toBeLessThanOrEqual(3);
  });
});

// Mutants of the IM HTTP and connection-handling checks [D-MUTANTS] (conformance/checks/im-http.ts,
// im-connections.ts): download servers that serve a client's path, answer HEAD without looking or
// not at all, take any method for GET or serve no avatar [IM-FILE-2] [IM-FILE-3] [IM-REG-4]; servers
// whose idle timeout never fires, skips a connection stopped mid-frame or counts heartbeats only
// [IM-CONN-1] [IM-HEARTBEAT-2]; that close at a half-close or never [IM-CONN-2]; and that queue
// without bound for a peer that does not read [IM-CONN-3]. Each is the reference server with one bug,
// planted by a server option, the mutating proxy, an HTTP front the checks reach as their httpBase,
// or a plain byte pipe in front of the server. conformance/test/im-connection-checks.test.ts judges
// each against the check it targets.
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { posix } from 'node:path';
import { FrameDecoder, MessageId } from '../../../proto/index.js';
import { listenOnLoopback } from '../../../test-support/doubles/listen.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../test-support/test-server.js';
import type { TargetProfile } from '../../harness/context.js';
import { MUTANT_MAX_BODY_BYTES, frameOf, imMutant, type Mutant, type RunningMutant } from './mutant.js';
import type { ImProxyConnection } from './mutating-proxy.js';

const PROFILE: Partial<TargetProfile> = { layout: 'le', maxBodyBytes: MUTANT_MAX_BODY_BYTES };
/** The idle timeout of the idle mutants, which the checks are told. */
const IDLE_MS = 1000;

const referenceServer = (server: TestServerOptions = {}): Promise<TestServer> =>
  startTestServer({ logLevel: 'error', maxBodyBytes: MUTANT_MAX_BODY_BYTES, layout: 'le', ...server });

/** The mutant, with the checks told its idle timeout (the idle check SKIPs without one). */
function toldIdleTimeout(mutant: Mutant): Mutant {
  return {
    ...mutant,
    async start(): Promise<RunningMutant> {
      const running = await mutant.start();
      return { ...running, profile: { ...running.profile, idleTimeoutMs: IDLE_MS } };
    },
  };
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Passes a request on to the reference server's downloads, by default with its own path and method. */
type Forward = (path?: string, method?: string) => void;

interface HttpMutantSpec {
  name: string;
  bug: string;
  handle(req: IncomingMessage, res: ServerResponse, forward: Forward): void;
}

/** An HTTP front of the reference server's downloads, reached as the checks' httpBase; IM goes to the server itself. */
function httpMutant(spec: HttpMutantSpec): Mutant {
  return {
    name: spec.name,
    protocol: 'im',
    areas: ['im.http.'],
    bug: spec.bug,
    async start() {
      const server = await referenceServer();
      const front = createHttpServer((req, res) => {
        const forward: Forward = (path = req.url ?? '/', method = req.method ?? 'GET') => {
          req.resume();
          try {
            const up = httpRequest({ host: '127.0.0.1', port: server.httpPort, method, path, agent: false, headers: { host: `127.0.0.1:${server.httpPort}` } }, (answer) => {
              // Hop-by-hop headers are the front's own: the client's Connection: close must hold.
              const { connection: _connection, 'keep-alive': _keepAlive, 'transfer-encoding': _encoding, ...headers } = answer.headers;
              res.writeHead(answer.statusCode ?? 502, headers);
              answer.pipe(res);
            });
            up.on('error', () => res.destroy());
            up.end();
          } catch {
            // A path node:http refuses to send (a character no request-target may hold).
            res.writeHead(404, { 'Content-Length': 0 }).end();
          }
        };
        spec.handle(req, res, forward);
      });
      const port = await listenOnLoopback(front, spec.name);
      return {
        port: server.imPort,
        profile: { ...PROFILE, httpBase: `http://127.0.0.1:${port}` },
        close: async () => {
          await closeHttp(front);
          await server.close();
        },
      };
    },
  };
}

/** What a server that serves the client's path would find on its disk. */
const DISK: Record<string, string> = { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n' };

const servesClientPath = httpMutant({
  name: 'im-http-serves-client-path',
  bug: 'decodes the URL path, turns \\ into /, resolves .. and serves whatever file that names, under /res/ or not [IM-FILE-2] [IM-FILE-3]',
  handle(req, res, forward) {
    let path: string;
    try {
      path = posix.normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/\\/g, '/'));
    } catch {
      path = '/';
    }
    if (path.startsWith('/res/')) {
      forward(path);
      return;
    }
    const found = DISK[path];
    if (found === undefined) res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 10 }).end('not found\n');
    else res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': Buffer.byteLength(found) }).end(found);
  },
});

const headNotLookedUp = httpMutant({
  name: 'im-http-head-not-looked-up',
  bug: 'answers every HEAD 200 with Content-Length 0 without looking the name up [IM-FILE-3]',
  handle(req, res, forward) {
    if (req.method === 'HEAD') res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0 }).end();
    else forward();
  },
});

const head404 = httpMutant({
  name: 'im-http-head-404',
  bug: 'answers every HEAD 404, as the original serves GET only [IM-FILE-3]',
  handle(req, res, forward) {
    if (req.method === 'HEAD') res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 10 }).end();
    else forward();
  },
});

const otherMethodsAsGet = httpMutant({
  name: 'im-http-other-methods-as-get',
  bug: 'answers POST, PUT, DELETE and any other method as if it were GET, instead of 405 [IM-FILE-3]',
  handle(req, _res, forward) {
    forward(req.url ?? '/', req.method === 'HEAD' ? 'HEAD' : 'GET');
  },
});

const noAvatars = httpMutant({
  name: 'im-http-no-avatars',
  bug: 'serves /res/files/ only: every avatar is 404 [IM-REG-4] [IM-FILE-3]',
  handle(req, res, forward) {
    if ((req.url ?? '').startsWith('/res/avatars/')) res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 10 }).end('not found\n');
    else forward();
  },
});

const idleNever = toldIdleTimeout(imMutant({
  name: 'im-idle-never',
  areas: ['im.conn.idle-timeout'],
  bug: `never closes a silent connection: its idle timeout is an hour while the checks are told ${IDLE_MS} ms [IM-CONN-1]`,
  server: { idleTimeoutMs: 3_600_000 },
  direct: true,
}));

const idleNotMidFrame = toldIdleTimeout(imMutant({
  name: 'im-idle-not-mid-frame',
  areas: ['im.conn.idle-timeout'],
  bug: 'counts silence only between frames: a connection stopped in the middle of a header is never closed [IM-CONN-1]',
  server: { idleTimeoutMs: IDLE_MS },
  hooks: () => {
    // While a frame is incomplete, heartbeats on the client's behalf keep the server's idle clock from running.
    const state = new WeakMap<ImProxyConnection, { decoder: FrameDecoder; beat: NodeJS.Timeout | null }>();
    const stop = (s: { beat: NodeJS.Timeout | null }): void => {
      if (s.beat !== null) clearInterval(s.beat);
      s.beat = null;
    };
    return {
      clientChunk(chunk, conn) {
        let s = state.get(conn);
        if (s === undefined) state.set(conn, (s = { decoder: new FrameDecoder({ layout: 'le', maxBodyBytes: 0xffffffff }), beat: null }));
        try {
          s.decoder.push(chunk);
        } catch {
          // Not frames: nothing to keep alive.
        }
        const current = s;
        if (current.decoder.bufferedBytes === 0) stop(current);
        else if (current.beat === null) {
          current.beat = setInterval(() => {
            if (conn.open) conn.sendToServer(frameOf(MessageId.HeartbeatRequest, {}));
            else stop(current);
          }, IDLE_MS / 4);
          current.beat.unref();
        }
        return chunk;
      },
      clientGone(conn) {
        const s = state.get(conn);
        if (s !== undefined) stop(s);
      },
    };
  },
}));

const idleHeartbeatsOnly = toldIdleTimeout(imMutant({
  name: 'im-idle-heartbeats-only',
  areas: ['im.conn.idle-timeout'],
  bug: `closes a connection ${IDLE_MS} ms after its first bytes or its last HeartbeatRequest, whatever else it sent, as the original counts heartbeats only [IM-CONN-1] [IM-HEARTBEAT-2]`,
  server: { idleTimeoutMs: IDLE_MS },
  hooks: () => {
    const timers = new WeakMap<ImProxyConnection, NodeJS.Timeout>();
    const arm = (conn: ImProxyConnection): void => {
      clearTimeout(timers.get(conn));
      const timer = setTimeout(() => conn.close(), IDLE_MS);
      timer.unref();
      timers.set(conn, timer);
    };
    return {
      clientChunk(chunk, conn) {
        if (!timers.has(conn)) arm(conn);
        return chunk;
      },
      clientFrame(frame, conn) {
        if (frame.id === MessageId.HeartbeatRequest) arm(conn);
        return 'forward';
      },
      clientGone(conn) {
        clearTimeout(timers.get(conn));
      },
    };
  },
}));

interface PipeMutantSpec {
  name: string;
  areas: readonly string[];
  bug: string;
  /** Whether the client's FIN reaches the server. */
  passFin: boolean;
}

/** A plain byte pipe in front of the reference server: it reads everything either side sends, at once, with no bound. */
function pipeMutant(spec: PipeMutantSpec): Mutant {
  return {
    name: spec.name,
    protocol: 'im',
    areas: spec.areas,
    bug: spec.bug,
    async start() {
      const server = await referenceServer();
      const sockets = new Set<Socket>();
      const front = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
        const upstream = connect({ host: '127.0.0.1', port: server.imPort, allowHalfOpen: true, noDelay: true });
        for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
          sockets.add(from);
          from.on('error', () => undefined);
          from.on('data', (chunk: Buffer) => { if (!to.destroyed) to.write(chunk); });
          from.on('close', (hadError) => {
            sockets.delete(from);
            if (hadError) to.destroy();
            else if (!to.writableEnded) to.end();
          });
        }
        client.on('end', () => { if (spec.passFin) upstream.end(); });
        upstream.on('end', () => client.end());
      });
      const port = await listenOnLoopback(front, spec.name);
      return {
        port,
        profile: PROFILE,
        close: async () => {
          for (const s of sockets) s.destroy();
          await new Promise<void>((resolve) => front.close(() => resolve()));
          await server.close();
        },
      };
    },
  };
}

const finClosesAtOnce = imMutant({
  name: 'im-fin-closes-at-once',
  areas: ['im.conn.half-close-replies'],
  bug: 'closes a connection the moment its peer half-closes, dropping the replies to what it sent before [IM-CONN-2]',
  hooks: () => ({ clientGone: (conn) => conn.close() }),
});

const finNeverCloses = pipeMutant({
  name: 'im-fin-never-closes',
  areas: ['im.conn.half-close-replies'],
  bug: 'answers what a half-closed peer sent, then keeps the connection open instead of closing its side [IM-CONN-2]',
  passFin: false,
});

const noOutboundBound = imMutant({
  name: 'im-no-outbound-bound',
  areas: ['im.conn.slow-reader'],
  bug: 'queues without limit for a peer that does not read (no --max-outbound) [IM-CONN-3]',
  server: { maxOutboundBytes: Number.MAX_SAFE_INTEGER },
  direct: true,
});

const unboundedPipe = pipeMutant({
  name: 'im-unbounded-pipe',
  areas: ['im.conn.slow-reader'],
  bug: 'buffers in front of the server without limit for a peer that does not read, so the server\'s bound never applies [IM-CONN-3]',
  passFin: true,
});

export const IM_CONNECTION_MUTANTS: readonly Mutant[] = [
  servesClientPath, headNotLookedUp, head404, otherMethodsAsGet, noAvatars,
  idleNever, idleNotMidFrame, idleHeartbeatsOnly, finClosesAtOnce, finNeverCloses, noOutboundBound, unboundedPipe,
];

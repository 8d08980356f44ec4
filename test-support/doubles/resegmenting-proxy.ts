// A TCP proxy that re-cuts both byte streams into small pieces, so that the peers on either side
// receive frames and lines split at arbitrary byte offsets. On loopback a whole request usually
// arrives in one read, which hides every reassembly bug; on a real network any frame may be cut at
// any byte (docs/ORIGINALS.md: "on a real network any frame may be cut at any byte: a client must
// reassemble frames from any segmentation"; [IM-FRAME-3], [CHAT-LINE-1]).
//
// Why the pieces really arrive apart: pieces written in one tick are coalesced by TCP (and by the
// receiver's read of its socket buffer). So each direction writes one piece, waits for its write
// callback and then for a gap (setImmediate by default: the event loop passes through its poll phase,
// where a receiver in this process reads the piece, before the next is written), and Nagle is off
// on both sockets so a small write leaves at once. Order is exact: one piece in flight per direction.
//
// Backpressure: a direction pauses its source socket as soon as it holds data and resumes it only
// when every piece has been written, so at most one source read (the socket's highWaterMark, 64 KiB)
// is held per direction, whatever the peers send.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { listenOnLoopback } from './listen.js';

export type ResegmentMode = 'random' | 'one-byte';

export interface ResegmentingProxyOptions {
  /** Where every accepted connection is forwarded. */
  target: { host: string; port: number };
  /** 'random' (default): piece sizes drawn uniformly from 1..maxPiece; 'one-byte': every byte alone. */
  mode?: ResegmentMode;
  /** Largest piece in 'random' mode. Default 7. */
  maxPiece?: number;
  /** Seed of the piece-size generator (random mode). Default 1. Connection n, direction d use a generator derived from (seed, n, d), so one connection's cuts do not depend on the others' timing. */
  seed?: number;
  /** Pause between two pieces of one direction: 0 (default) waits one setImmediate, n > 0 waits n ms (slow: for few bytes only). */
  gapMs?: number;
}

export interface DirectionStats {
  bytes: number;
  pieces: number;
}

export interface ResegmentingProxyStats {
  connectionsAccepted: number;
  /** Client connections not yet closed. */
  connectionsOpen: number;
  /** Connections whose target connect failed (the client side was then closed). */
  connectFailures: number;
  clientToTarget: DirectionStats;
  targetToClient: DirectionStats;
}

export interface ResegmentingProxy {
  port: number;
  stats: ResegmentingProxyStats;
  /** Stops listening and destroys every proxied connection (both sides). */
  close(): Promise<void>;
}

/** A small seeded generator of 32-bit values (xorshift32 over a mixed seed); enough to vary piece sizes reproducibly. */
function makeRandom(seed: number): () => number {
  // Mix the seed so that close seeds (1, 2, 3...) start far apart; xorshift32 must never hold 0.
  let state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  state = (state ^ (state >>> 13)) >>> 0 || 0x2545f491;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
}

/** One direction of one connection: queues what `source` reads and writes it to `sink` piece by piece. */
class PiecePump {
  private readonly queue: Buffer[] = [];
  /** Read position in queue[0]. */
  private offset = 0;
  private writing = false;
  private sourceEnded = false;
  private sinkEnded = false;
  private sinkReady = false;

  constructor(
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly nextSize: () => number,
    private readonly stats: DirectionStats,
    private readonly gapMs: number,
  ) {
    source.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      source.pause(); // resumed when the queue is empty again: at most one read held per direction
      this.pump();
    });
    source.on('end', () => { this.sourceEnded = true; this.pump(); });
  }

  /** The sink is connected: pieces may flow. */
  start(): void {
    this.sinkReady = true;
    this.pump();
  }

  private pump(): void {
    if (this.writing || !this.sinkReady || this.sink.destroyed) return;
    const head = this.queue[0];
    if (head === undefined) {
      if (this.sourceEnded) {
        // Half-close: the source's FIN becomes the sink's FIN once every byte before it is written.
        if (!this.sinkEnded) { this.sinkEnded = true; this.sink.end(); }
      } else if (!this.source.destroyed) {
        this.source.resume();
      }
      return;
    }
    const size = Math.min(this.nextSize(), head.length - this.offset);
    // A view, not a copy: 'data' chunks are fresh buffers nobody overwrites.
    const piece = head.subarray(this.offset, this.offset + size);
    this.offset += size;
    if (this.offset === head.length) { this.queue.shift(); this.offset = 0; }
    this.writing = true;
    this.sink.write(piece, (err) => {
      if (err) { this.writing = false; return; } // the socket's 'close' handler tears the pair down
      this.stats.bytes += piece.length;
      this.stats.pieces += 1;
      const next = (): void => { this.writing = false; this.pump(); };
      if (this.gapMs > 0) setTimeout(next, this.gapMs);
      else setImmediate(next);
    });
  }
}

export async function startResegmentingProxy(options: ResegmentingProxyOptions): Promise<ResegmentingProxy> {
  const mode = options.mode ?? 'random';
  const maxPiece = options.maxPiece ?? 7;
  const seed = options.seed ?? 1;
  const gapMs = options.gapMs ?? 0;
  if (!Number.isInteger(maxPiece) || maxPiece < 1) throw new RangeError(`maxPiece must be a positive integer, got ${maxPiece}`);
  const stats: ResegmentingProxyStats = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    connectFailures: 0,
    clientToTarget: { bytes: 0, pieces: 0 },
    targetToClient: { bytes: 0, pieces: 0 },
  };
  const sockets = new Set<Socket>();
  const sizer = (connection: number, direction: number): (() => number) => {
    if (mode === 'one-byte') return () => 1;
    const random = makeRandom(seed * 1_000_003 + connection * 2 + direction);
    return () => 1 + (random() % maxPiece);
  };

  // allowHalfOpen: a FIN from one peer must not end our other direction; PiecePump passes it on.
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const index = stats.connectionsAccepted++;
    stats.connectionsOpen += 1;
    const upstream = connect({ host: options.target.host, port: options.target.port, allowHalfOpen: true, noDelay: true });
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    const toTarget = new PiecePump(client, upstream, sizer(index, 0), stats.clientToTarget, gapMs);
    const toClient = new PiecePump(upstream, client, sizer(index, 1), stats.targetToClient, gapMs);
    let connected = false;
    upstream.once('connect', () => { connected = true; toTarget.start(); });
    toClient.start(); // the client socket is already connected

    // A socket that closes without a clean end (a reset, an error, a destroy before its FIN) takes
    // its partner down with a reset: the peer on the other side must see the abort, not a FIN. A
    // clean close needs nothing: its FIN already travels (after the queued pieces) through its pump,
    // and the partner closes once its own direction ends.
    const abortPartner = (closed: Socket, partner: Socket, hadError: boolean): void => {
      const clean = !hadError && closed.readableEnded;
      if (clean || partner.destroyed) return;
      partner.resetAndDestroy();
    };
    client.on('error', () => undefined);
    upstream.on('error', () => {
      if (!connected && !client.destroyed) {
        // Target unreachable: close the client side, as a peer whose server is gone sees it.
        stats.connectFailures += 1;
        client.destroy();
      }
    });
    client.on('close', (hadError) => {
      sockets.delete(client);
      stats.connectionsOpen -= 1;
      abortPartner(client, upstream, hadError);
    });
    upstream.on('close', (hadError) => {
      sockets.delete(upstream);
      if (connected) abortPartner(upstream, client, hadError);
    });
  });
  const addressPort = await listenOnLoopback(server, 'proxy');
  return {
    port: addressPort,
    stats,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

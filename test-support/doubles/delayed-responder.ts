// A frame responder whose every answer takes a known time: each frame of an odd id is answered with id
// + 1 and an empty body `delayMs` after it arrived, as a server busy for that long would answer. It
// is the responder of docs' performance anchor, slowed on purpose, so a test knows a lower bound of
// what the server's own latency must be (it cannot answer sooner than `delayMs`).
import { createServer, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../proto/index.js';
import { listenOnLoopback } from './listen.js';

export interface DelayedResponder {
  port: number;
  /** Frames answered so far. */
  readonly answered: number;
  close(): Promise<void>;
}

export async function startDelayedResponder(delayMs: number): Promise<DelayedResponder> {
  const open = new Set<Socket>();
  let answered = 0;
  const server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder({ maxBodyBytes: 1 << 20 });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.id % 2 === 0) continue;
        setTimeout(() => {
          if (socket.destroyed) return;
          socket.write(encodeFrame(frame.id + 1, new Uint8Array(0)));
          answered++;
        }, delayMs);
      }
    });
  });
  const port = await listenOnLoopback(server, 'the delayed responder');
  return {
    port,
    get answered() { return answered; },
    close: () => new Promise<void>((done) => {
      for (const s of open) s.destroy();
      server.close(() => done());
    }),
  };
}

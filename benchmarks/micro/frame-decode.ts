// FrameDecoder.push over a stream of small frames, the load a chat server sees most: heartbeats.
// Each batch pushes the same 1 MiB stream, pre-cut into chunks, through one long-lived decoder, the
// way a connection's 'data' events would. Chunks are Buffers because sockets deliver Buffers.
import { type FrameLayout, FrameDecoder, HEADER_BYTES, MessageId, encodeFrame, encodeMessage } from '../../proto/index.js';
import { type BenchCase, expectChecksum } from './timing.js';

const STREAM_BYTES = 1 << 20;
const KiB = 1024;

/** A HeartbeatRequest body of exactly `bytes` bytes: empty (proto3 omits an empty UserID), or 2 + UserID. */
function heartbeatBody(bytes: number): Uint8Array {
  if (bytes === 0) return encodeMessage(MessageId.HeartbeatRequest, {});
  const body = encodeMessage(MessageId.HeartbeatRequest, { UserID: 'u'.repeat(bytes - 2) });
  expectChecksum('heartbeat body length', body.length, bytes);
  return body;
}

/** As many whole frames as fit in STREAM_BYTES, so the decoder is empty again after each pass. */
function framesInStream(bodyBytes: number): number {
  return Math.floor(STREAM_BYTES / (HEADER_BYTES + bodyBytes));
}

function buildStream(bodyBytes: number, layout: FrameLayout): Buffer {
  const frame = encodeFrame(MessageId.HeartbeatRequest, heartbeatBody(bodyBytes), layout);
  const frames = framesInStream(bodyBytes);
  const stream = Buffer.allocUnsafe(frames * frame.length);
  for (let i = 0; i < frames; i++) stream.set(frame, i * frame.length);
  return stream;
}

function cut(stream: Buffer, chunkBytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += chunkBytes) chunks.push(stream.subarray(at, at + chunkBytes));
  return chunks;
}

function decodeCase(layout: FrameLayout, bodyBytes: number, chunkBytes: number, note = ''): BenchCase {
  const chunkLabel = chunkBytes >= KiB ? `${chunkBytes / KiB} KiB` : `${chunkBytes} B`;
  const frames = framesInStream(bodyBytes);
  return {
    group: 'FrameDecoder.push',
    name: `${layout}, ${bodyBytes} B body, ${chunkLabel} chunks${note}`,
    unit: 'frames/s',
    opsPerBatch: frames,
    setup() {
      const chunks = cut(buildStream(bodyBytes, layout), chunkBytes);
      const decoder = new FrameDecoder({ layout });
      const batch = (): number => {
        let sum = 0;
        for (const chunk of chunks) {
          const decoded = decoder.push(chunk);
          for (let i = 0; i < decoded.length; i++) {
            const frame = decoded[i]!;
            sum += frame.id + frame.body.length;
          }
        }
        // Whole frames went in, so nothing may be left over: a decoder that lost sync would show here.
        if (decoder.bufferedBytes !== 0) throw new Error(`decoder holds ${decoder.bufferedBytes} bytes after a whole stream`);
        return sum;
      };
      expectChecksum(`decode ${layout} ${bodyBytes} B`, batch(), frames * (MessageId.HeartbeatRequest + bodyBytes));
      return batch;
    },
  };
}

export function frameDecodeCases(): BenchCase[] {
  return [
    // The fast path: whole headers and bodies inside large chunks.
    decodeCase('le', 0, 64 * KiB),
    decodeCase('le', 16, 64 * KiB),
    // Smaller reads: more pushes, and with 24-byte frames one frame straddles each 1 KiB boundary.
    decodeCase('le', 0, KiB),
    decodeCase('le', 16, KiB),
    // The slow path on every frame: 7 and 17 are coprime with the frame sizes (8 and 24), so chunk
    // boundaries fall at every offset within frames; headers are reassembled, straddling bodies copied.
    decodeCase('le', 0, 7, ', every header split'),
    decodeCase('le', 16, 17, ', every frame split'),
    // The other layout shares the loop; only the header read differs.
    decodeCase('be', 0, 64 * KiB),
    decodeCase('be', 16, 64 * KiB),
  ];
}

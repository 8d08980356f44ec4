// One-shot reference models of the two framings, written as plainly as possible: the incremental
// decoders must agree with them whatever the chunking.
import type { FrameLayout } from '../frame-codec.js';
import { type PlainEvent, type PlainFrame, toHex } from './helpers.js';

export interface ModelFrames {
  frames: PlainFrame[];
  /** Set when a header announces more than the limit: no frame after it is decoded. */
  tooLarge: { announced: number; limit: number } | null;
  /** Bytes of an incomplete trailing frame. */
  leftover: number;
}

export function modelDecodeFrames(stream: Uint8Array, layout: FrameLayout, maxBodyBytes: number): ModelFrames {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.length);
  const frames: PlainFrame[] = [];
  let at = 0;
  while (stream.length - at >= 8) {
    const length = layout === 'le' ? view.getUint32(at, true) : view.getUint32(at + 4, false);
    const id = layout === 'le' ? view.getUint32(at + 4, true) : view.getUint32(at, false);
    if (length > maxBodyBytes) return { frames, tooLarge: { announced: length, limit: maxBodyBytes }, leftover: 0 };
    if (stream.length - at - 8 < length) break;
    frames.push({ id, body: toHex(stream.subarray(at + 8, at + 8 + length)) });
    at += 8 + length;
  }
  return { frames, tooLarge: null, leftover: stream.length - at };
}

/**
 * Splits a whole stream at each `\n`; the text after the last `\n` is an unfinished line (no event).
 * One `\r` before the `\n` is the terminator's. A line longer than the limit once its terminator is
 * removed is 'too-long', counting every byte before the `\n`.
 */
export function modelSplitLines(stream: Uint8Array, maxLineBytes: number): PlainEvent[] {
  const events: PlainEvent[] = [];
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] !== 0x0a) continue;
    const raw = stream.subarray(start, i);
    const line = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
    events.push(line.length > maxLineBytes ? { kind: 'too-long', bytes: raw.length } : { kind: 'line', line: toHex(line) });
    start = i + 1;
  }
  return events;
}

// Small helpers shared by the protocol-core tests: hex, chunking, caught errors, expected decodes.
import type { Frame, FrameDecoder } from '../frame-codec.js';
import type { LineSplitter, SplitEvent } from '../line-splitter.js';

/** Bytes from a hex string; spaces are ignored so fixtures can be grouped for reading. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex fixture: ${hex}`);
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Cuts `bytes` at the given offsets (each taken modulo length + 1, then sorted), so any list of
 * naturals is a valid chunking. Repeated offsets give empty chunks, which decoders must accept.
 */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const offsets = cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of offsets) { chunks.push(bytes.subarray(from, to)); from = to; }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** A frame with its body copied out and shown as hex: comparable with toEqual, safe past the next push. */
export interface PlainFrame { id: number; body: string }
export const plainFrame = (f: Frame): PlainFrame => ({ id: f.id, body: toHex(f.body) });

/** Pushes every chunk, copying each frame out right after the push that produced it. */
export function decodeChunks(decoder: FrameDecoder, chunks: readonly Uint8Array[]): PlainFrame[] {
  const frames: PlainFrame[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk).map(plainFrame));
  return frames;
}

/**
 * Pushes every chunk the way the load generator's sockets deliver them: copied into one shared
 * `Buffer` (whose slice() is a view, not a copy) that is overwritten with `garbage` right after each
 * push, once the results of that push have been copied out. A decoder that keeps a view of a chunk
 * instead of a copy returns corrupted frames or lines here.
 */
export function throughSharedBuffer<T>(chunks: readonly Uint8Array[], push: (chunk: Buffer) => T[], garbage: number): T[] {
  const shared = Buffer.allocUnsafe(Math.max(1, ...chunks.map((c) => c.length)));
  const out: T[] = [];
  for (const chunk of chunks) {
    shared.set(chunk);
    out.push(...push(shared.subarray(0, chunk.length)));
    shared.fill(garbage);
  }
  return out;
}

export type PlainEvent = { kind: 'line'; line: string } | { kind: 'too-long'; bytes: number };
export const plainEvent = (e: SplitEvent): PlainEvent =>
  e.kind === 'line' ? { kind: 'line', line: toHex(e.line) } : { kind: 'too-long', bytes: e.bytes };

export function splitChunks(splitter: LineSplitter, chunks: readonly Uint8Array[]): PlainEvent[] {
  const events: PlainEvent[] = [];
  for (const chunk of chunks) events.push(...splitter.push(chunk).map(plainEvent));
  return events;
}

/** Runs `fn`, which must throw, and returns what it threw (so tests can compare `code` and fields). */
export type CaughtError = Error & { code?: string; [key: string]: unknown };
export function caught(fn: () => unknown): CaughtError {
  try {
    fn();
  } catch (err) {
    return err as CaughtError;
  }
  throw new Error('expected a throw, got none');
}

/**
 * What protobufjs decoding gives back for `fields`: proto3 default scalars ('' , 0, empty bytes) are
 * not on the wire, so they come back absent; nested messages stay (possibly empty); repeated fields
 * always come back as arrays.
 */
export function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === '' || v === 0 || v === null || v === undefined) continue;
      if (v instanceof Uint8Array && v.length === 0) continue;
      out[key] = withoutDefaults(v);
    }
    return out;
  }
  return value;
}

/**
 * A decoded message as plain data: own enumerable fields only, bytes as plain Uint8Array (protobufjs
 * returns a Buffer when it decodes from a Buffer). Anything else, a Long included, is left as it is.
 */
export function plainMessage(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainMessage);
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (value !== null && typeof value === 'object' && !('low' in value && 'high' in value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainMessage(v)]));
  }
  return value;
}

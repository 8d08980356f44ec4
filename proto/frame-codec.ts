// IM frame codec: an 8-byte header then the protobuf body [IM-FRAME-1].
// Pure and incremental: bytes in any chunking go in, complete frames come out. No sockets, no timers.
import { FrameHeaderError, FrameTooLargeError, ProtocolError, UnexpectedIdError } from './errors.js';

/**
 * `le`: u32 LE body length, then u32 LE id (zinx up to v1.1.2, the original server and C# client).
 * `be`: u32 BE id, then u32 BE body length (zinx v1.1.3 and later). [IM-FRAME-2]
 */
export type FrameLayout = 'le' | 'be';
export const FRAME_LAYOUTS: readonly FrameLayout[] = ['le', 'be'];
export const HEADER_BYTES = 8;
/** Default body limit of `serve` and the clients [IM-FRAME-4]. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface Frame {
  id: number;
  /**
   * Valid until the caller changes the chunk it pushed or pushes again, whichever comes first: a view
   * of that chunk where the frame arrived whole in it. Copy it to keep it longer.
   */
  body: Uint8Array;
}

export interface FrameDecoderOptions {
  layout?: FrameLayout;
  maxBodyBytes?: number;
  /**
   * Checked on each header before its body is awaited: a peer on the other layout shows up at once as
   * an absurd id instead of a bogus length to wait for [IM-FRAME-8]. Default: every id.
   */
  acceptId?: (id: number) => boolean;
}

export function parseLayout(value: string): FrameLayout {
  if (value === 'le' || value === 'be') return value;
  throw new ProtocolError('INVALID_FIELD', `unknown frame layout "${value}": use le (length then id, little-endian) or be (id then length, big-endian)`);
}

function readU32(bytes: Uint8Array, at: number, littleEndian: boolean): number {
  return littleEndian
    ? (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000
    : bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

function writeU32(target: Uint8Array, at: number, value: number, littleEndian: boolean): void {
  if (littleEndian) {
    target[at] = value & 0xff; target[at + 1] = (value >>> 8) & 0xff;
    target[at + 2] = (value >>> 16) & 0xff; target[at + 3] = value >>> 24;
  } else {
    target[at] = value >>> 24; target[at + 1] = (value >>> 16) & 0xff;
    target[at + 2] = (value >>> 8) & 0xff; target[at + 3] = value & 0xff;
  }
}

/**
 * Incremental frame decoder. Buffers at most one header and the bytes received so far of one body,
 * never more than HEADER_BYTES + maxBodyBytes. A header announcing more than maxBodyBytes throws
 * FrameTooLargeError before any of its body is buffered, and the decoder stays failed [IM-FRAME-4].
 */
export class FrameDecoder {
  readonly layout: FrameLayout;
  readonly maxBodyBytes: number;
  private readonly littleEndian: boolean;
  private readonly header = new Uint8Array(HEADER_BYTES);
  private headerFill = 0;
  /** Set while a body spans pushes: its id, length, and the pieces received so far. */
  private bodyId = -1;
  private bodyLength = 0;
  private bodyPieces: Uint8Array[] = [];
  private bodyFill = 0;
  private failure: FrameHeaderError | null = null;
  private readonly acceptId: ((id: number) => boolean) | null;

  constructor(options: FrameDecoderOptions = {}) {
    this.layout = options.layout ?? 'le';
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isInteger(this.maxBodyBytes) || this.maxBodyBytes < 0 || this.maxBodyBytes > 0xffffffff) {
      throw new RangeError(`maxBodyBytes must be an integer from 0 to 4294967295, got ${this.maxBodyBytes}`);
    }
    this.littleEndian = this.layout === 'le';
    this.acceptId = options.acceptId ?? null;
  }

  /** Bytes held between pushes (a partial header and a partial body). */
  get bufferedBytes(): number {
    return this.headerFill + this.bodyFill;
  }

  /**
   * Decodes every frame completed by `chunk`. Throws FrameTooLargeError, or UnexpectedIdError with
   * `acceptId` (then and on every later push); the frames completed before the refused header ride
   * in its `framesBefore`.
   *
   * The contract, whatever the chunk's type (Buffer or Uint8Array): the decoder keeps no reference to
   * `chunk` once push returns (what it holds between pushes is its own copy), so the caller may reuse
   * its read buffer at once; the frames returned are valid until the caller changes `chunk` or pushes
   * again, whichever comes first.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.failure) {
      this.failure.framesBefore = [];
      throw this.failure;
    }
    const frames: Frame[] = [];
    try {
      this.decodeInto(chunk, frames);
    } catch (err) {
      if (err instanceof FrameHeaderError) err.framesBefore = frames;
      throw err;
    }
    return frames;
  }

  private decodeInto(chunk: Uint8Array, frames: Frame[]): void {
    let at = 0;
    const end = chunk.length;
    while (at < end) {
      if (this.bodyId >= 0) {
        at = this.continueBody(chunk, at, frames);
        continue;
      }
      let id: number;
      let length: number;
      if (this.headerFill === 0 && end - at >= HEADER_BYTES) {
        // Fast path: the whole header is in this chunk.
        ({ id, length } = this.readHeader(chunk, at));
        at += HEADER_BYTES;
      } else {
        const take = Math.min(HEADER_BYTES - this.headerFill, end - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        ({ id, length } = this.readHeader(this.header, 0));
      }
      if (end - at >= length) {
        frames.push({ id, body: chunk.subarray(at, at + length) });
        at += length;
      } else {
        this.bodyId = id;
        this.bodyLength = length;
      }
    }
  }

  private readHeader(bytes: Uint8Array, at: number): { id: number; length: number } {
    const first = readU32(bytes, at, this.littleEndian);
    const second = readU32(bytes, at + 4, this.littleEndian);
    const length = this.littleEndian ? first : second;
    const id = this.littleEndian ? second : first;
    if (this.acceptId !== null && !this.acceptId(id)) {
      this.failure = new UnexpectedIdError(id);
      throw this.failure;
    }
    if (length > this.maxBodyBytes) {
      this.failure = new FrameTooLargeError(length, this.maxBodyBytes);
      throw this.failure;
    }
    return { id, length };
  }

  private continueBody(chunk: Uint8Array, at: number, frames: Frame[]): number {
    const take = Math.min(this.bodyLength - this.bodyFill, chunk.length - at);
    const piece = chunk.subarray(at, at + take);
    this.bodyFill += take;
    if (this.bodyFill < this.bodyLength) {
      // The caller may reuse its chunk after push returns: keep our own copy of a partial body. Not
      // piece.slice(): on a Buffer that is a view of the caller's memory, not a copy.
      this.bodyPieces.push(new Uint8Array(piece));
      return at + take;
    }
    let body: Uint8Array;
    if (this.bodyPieces.length === 0) {
      body = piece;
    } else {
      body = new Uint8Array(this.bodyLength);
      let fill = 0;
      for (const p of this.bodyPieces) { body.set(p, fill); fill += p.length; }
      body.set(piece, fill);
    }
    frames.push({ id: this.bodyId, body });
    this.bodyId = -1;
    this.bodyLength = 0;
    this.bodyPieces = [];
    this.bodyFill = 0;
    return at + take;
  }
}

/** Writes an 8-byte header for `id` and a body of `bodyLength` bytes at `target[at]`. */
export function writeFrameHeader(target: Uint8Array, at: number, id: number, bodyLength: number, layout: FrameLayout = 'le'): void {
  const le = layout === 'le';
  writeU32(target, at, le ? bodyLength : id, le);
  writeU32(target, at + 4, le ? id : bodyLength, le);
}

/** One frame: header and body in a single new buffer, ready for one socket write. */
export function encodeFrame(id: number, body: Uint8Array, layout: FrameLayout = 'le'): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new ProtocolError('INVALID_FIELD', `message id must be a u32, got ${id}`);
  }
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  writeFrameHeader(out, 0, id, body.length, layout);
  out.set(body, HEADER_BYTES);
  return out;
}

// FrameDecoder and encodeFrame unit tests: the size limit, failure, views and copies [IM-FRAME-1..4].
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_MAX_BODY_BYTES, FrameDecoder, HEADER_BYTES, encodeFrame, parseLayout, writeFrameHeader,
} from '../frame-codec.js';
import { FrameTooLargeError, UnexpectedIdError } from '../errors.js';
import { caught, fromHex, plainFrame, toHex } from './helpers.js';

/** An 'le' header: u32 LE length, then u32 LE id. */
const leHeader = (length: number, id: number) => {
  const h = new Uint8Array(8);
  new DataView(h.buffer).setUint32(0, length, true);
  new DataView(h.buffer).setUint32(4, id, true);
  return h;
};

describe('FrameDecoder body size limit [IM-FRAME-4]', () => {
  test('a header announcing maxBodyBytes + 1 throws FRAME_TOO_LARGE with announced and limit', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 16 });
    const err = caught(() => decoder.push(fromHex('11000000' + '01000000')));
    expect(err).toBeInstanceOf(FrameTooLargeError);
    expect({ code: err.code, announced: err.announced, limit: err.limit })
      .toEqual({ code: 'FRAME_TOO_LARGE', announced: 17, limit: 16 });
  });

  test('the error is thrown before any body byte is buffered', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 16 });
    const chunk = new Uint8Array([...leHeader(17, 1), ...new Uint8Array(10).fill(0x61)]);
    expect(caught(() => decoder.push(chunk)).code).toBe('FRAME_TOO_LARGE');
    expect(decoder.bufferedBytes).toBe(0);
  });

  test('a split over-large header throws on the push that completes it, buffering only header bytes', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 16 });
    const header = leHeader(17, 1);
    expect(decoder.push(header.subarray(0, 5))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(5);
    const rest = new Uint8Array([...header.subarray(5), 0x61, 0x62, 0x63]);
    expect(caught(() => decoder.push(rest)).code).toBe('FRAME_TOO_LARGE');
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(HEADER_BYTES);
  });

  test('a body of exactly maxBodyBytes is accepted', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 16 });
    const frames = decoder.push(new Uint8Array([...leHeader(16, 7), ...new Uint8Array(16).fill(0x62)]));
    expect(frames.map(plainFrame)).toEqual([{ id: 7, body: '62'.repeat(16) }]);
  });

  test('maxBodyBytes 0 accepts empty frames and rejects a 1-byte body', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 0 });
    expect(decoder.push(leHeader(0, 20)).map(plainFrame)).toEqual([{ id: 20, body: '' }]);
    expect(caught(() => decoder.push(leHeader(1, 20))).announced).toBe(1);
  });

  test('a length of 0xffffffff is read unsigned and reported as announced', () => {
    const err = caught(() => new FrameDecoder().push(fromHex('ffffffff' + '01000000')));
    expect({ code: err.code, announced: err.announced, limit: err.limit })
      .toEqual({ code: 'FRAME_TOO_LARGE', announced: 0xffffffff, limit: DEFAULT_MAX_BODY_BYTES });
  });

  test('be layout: the length is the second big-endian u32', () => {
    const decoder = new FrameDecoder({ layout: 'be', maxBodyBytes: 255 });
    const err = caught(() => decoder.push(fromHex('00000001' + '00000100')));
    expect({ code: err.code, announced: err.announced }).toEqual({ code: 'FRAME_TOO_LARGE', announced: 256 });
  });

  test('an le peer read by a be decoder fails fast instead of waiting for a bogus body [IM-FRAME-2]', () => {
    // LoginRequest in le: be reads id 0x0d000000 and length 0x01000000 (16 MiB), over a 4096 limit.
    const decoder = new FrameDecoder({ layout: 'be', maxBodyBytes: 4096 });
    expect(caught(() => decoder.push(fromHex('0d000000' + '01000000'))).announced).toBe(0x01000000);
  });

  test('after FRAME_TOO_LARGE the decoder stays failed on every later push', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 16 });
    const first = caught(() => decoder.push(leHeader(17, 1)));
    const valid = new Uint8Array([...leHeader(1, 1), 0x61]);
    for (const chunk of [valid, new Uint8Array(0), leHeader(0, 2)]) {
      const again = caught(() => decoder.push(chunk));
      expect(again.code).toBe('FRAME_TOO_LARGE');
      expect(again.announced).toBe(first.announced);
    }
  });

  test('frames completed before the oversized header in the same push ride in framesBefore (regression)', () => {
    const decoder = new FrameDecoder({ maxBodyBytes: 16 });
    const chunk = new Uint8Array([...leHeader(1, 19), 0x61, ...leHeader(0, 20), ...leHeader(17, 1)]);
    const err = caught(() => decoder.push(chunk)) as unknown as FrameTooLargeError;
    expect(err.code).toBe('FRAME_TOO_LARGE');
    expect(err.framesBefore.map((f) => [f.id, toHex(f.body)])).toEqual([[19, '61'], [20, '']]);
    expect((caught(() => decoder.push(new Uint8Array(0))) as unknown as FrameTooLargeError).framesBefore).toEqual([]);
  });

  test('acceptId refuses an id at its header, before its body is awaited, keeping earlier frames', () => {
    const decoder = new FrameDecoder({ acceptId: (id) => id % 2 === 1 });
    const chunk = new Uint8Array([...leHeader(0, 19), ...leHeader(1_000_000, 20)]);
    const err = caught(() => decoder.push(chunk)) as unknown as UnexpectedIdError;
    expect(err.code).toBe('UNKNOWN_MESSAGE_ID');
    expect(err.id).toBe(20);
    expect(err.framesBefore.map((f) => f.id)).toEqual([19]);
    expect(decoder.bufferedBytes).toBe(0);
    expect(caught(() => decoder.push(new Uint8Array(0))).code).toBe('UNKNOWN_MESSAGE_ID');
  });

  test('the constructor rejects a limit that is not a u32', () => {
    for (const maxBodyBytes of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => new FrameDecoder({ maxBodyBytes }), String(maxBodyBytes)).toThrow(RangeError);
    }
  });
});

describe('FrameDecoder framing', () => {
  test('defaults: le layout and DEFAULT_MAX_BODY_BYTES', () => {
    const decoder = new FrameDecoder();
    expect({ layout: decoder.layout, max: decoder.maxBodyBytes }).toEqual({ layout: 'le', max: DEFAULT_MAX_BODY_BYTES });
  });

  test('several frames in one chunk, including empty ones, come out in order', () => {
    const chunk = fromHex('00000000' + '14000000' + '02000000' + '0a000000' + 'aabb' + '00000000' + 'ffffffff');
    expect(new FrameDecoder().push(chunk).map(plainFrame))
      .toEqual([{ id: 20, body: '' }, { id: 10, body: 'aabb' }, { id: 0xffffffff, body: '' }]);
  });

  test('bufferedBytes counts a partial header, then a partial body', () => {
    const decoder = new FrameDecoder();
    const frame = fromHex('04000000' + '05000000' + '01020304');
    decoder.push(frame.subarray(0, 3));
    expect(decoder.bufferedBytes).toBe(3);
    decoder.push(frame.subarray(3, 10));
    expect(decoder.bufferedBytes).toBe(2);
    expect(decoder.push(frame.subarray(10)).map(plainFrame)).toEqual([{ id: 5, body: '01020304' }]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  test('an empty push returns no frames and changes nothing', () => {
    const decoder = new FrameDecoder();
    decoder.push(fromHex('0400'));
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(2);
  });
});

describe('FrameDecoder views and copies', () => {
  test('bodies that arrive whole are views into the pushed chunk (no copy)', () => {
    const chunk = fromHex('02000000' + '01000000' + 'aabb' + '01000000' + '02000000' + 'cc');
    const frames = new FrameDecoder().push(chunk);
    expect(frames).toHaveLength(2);
    expect(frames[0]!.body.buffer).toBe(chunk.buffer);
    expect(frames[0]!.body.byteOffset).toBe(chunk.byteOffset + 8);
    expect(frames[1]!.body.buffer).toBe(chunk.buffer);
    expect(frames[1]!.body.byteOffset).toBe(chunk.byteOffset + 18);
  });

  test('a body that arrives whole in the chunk after its header is a view into that chunk', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(fromHex('03000000' + '09000000'))).toEqual([]);
    const bodyChunk = fromHex('010203');
    const [frame] = decoder.push(bodyChunk);
    expect(frame!.body.buffer).toBe(bodyChunk.buffer);
    expect(toHex(frame!.body)).toBe('010203');
  });

  test('a body split across pushes is a correct copy, unaffected by the caller reusing its chunks', () => {
    const decoder = new FrameDecoder();
    const first = fromHex('05000000' + '03000000' + '0102');
    const second = fromHex('030405' + '00000000');
    expect(decoder.push(first)).toEqual([]);
    first.fill(0xee); // the caller reuses its read buffer after push returns
    const frames = decoder.push(second);
    expect(frames.map(plainFrame)).toEqual([{ id: 3, body: '0102030405' }]);
    expect(frames[0]!.body.buffer).not.toBe(first.buffer);
    expect(frames[0]!.body.buffer).not.toBe(second.buffer);
    second.fill(0xee);
    expect(toHex(frames[0]!.body)).toBe('0102030405');
  });

  test('a body in three pieces, with the header itself split, is reassembled', () => {
    const decoder = new FrameDecoder({ layout: 'be' });
    const pieces = ['0000', '002a' + '0000', '0006' + 'aa', 'bbccdd', 'ee', 'ff'].map(fromHex);
    const frames = pieces.flatMap((p) => decoder.push(p).map(plainFrame));
    expect(frames).toEqual([{ id: 42, body: 'aabbccddeeff' }]);
  });
});

describe('encodeFrame and writeFrameHeader', () => {
  test('encodeFrame writes le and be headers for an id with the top bit set', () => {
    const body = fromHex('0102');
    expect(toHex(encodeFrame(0x80000001, body))).toBe('02000000' + '01000080' + '0102');
    expect(toHex(encodeFrame(0x80000001, body, 'be'))).toBe('80000001' + '00000002' + '0102');
  });

  test('encodeFrame returns a fresh buffer, not a view of the body', () => {
    const body = fromHex('0102');
    const frame = encodeFrame(1, body);
    body.fill(0);
    expect(toHex(frame)).toBe('02000000' + '01000000' + '0102');
  });

  test('encodeFrame rejects an id that is not a u32 with INVALID_FIELD', () => {
    for (const id of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(caught(() => encodeFrame(id, new Uint8Array(0))).code, String(id)).toBe('INVALID_FIELD');
    }
  });

  test('writeFrameHeader writes 8 bytes at the given offset and nothing else', () => {
    const target = new Uint8Array(12).fill(0xaa);
    writeFrameHeader(target, 2, 24, 0x0102, 'le');
    expect(toHex(target)).toBe('aaaa' + '02010000' + '18000000' + 'aaaa');
    writeFrameHeader(target, 2, 24, 0x0102, 'be');
    expect(toHex(target)).toBe('aaaa' + '00000018' + '00000102' + 'aaaa');
  });

  test('parseLayout accepts le and be, and rejects anything else with INVALID_FIELD', () => {
    expect([parseLayout('le'), parseLayout('be')]).toEqual(['le', 'be']);
    for (const value of ['LE', 'little', '']) expect(caught(() => parseLayout(value)).code).toBe('INVALID_FIELD');
  });
});

// Properties of the frame codec: any chunking, round trips, and random bytes [IM-FRAME-1..4].
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { FrameDecoder, HEADER_BYTES, encodeFrame, writeFrameHeader } from '../frame-codec.js';
import { FrameTooLargeError } from '../errors.js';
import { arbCuts, arbFrame, arbLayout, arbLineBytes } from './arbitraries.js';
import { concatBytes, decodeChunks, plainFrame, splitAt, throughSharedBuffer, toHex } from './helpers.js';
import { modelDecodeFrames } from './models.js';

describe('frame codec properties', () => {
  test.prop([fc.array(arbFrame, { maxLength: 8 }), arbCuts, arbLayout])(
    'any chunking of a stream of frames decodes to the same frames, both layouts',
    (frames, cuts, layout) => {
      const stream = concatBytes(frames.map((f) => encodeFrame(f.id, f.body, layout)));
      const decoder = new FrameDecoder({ layout, maxBodyBytes: 4096 });
      const out = decodeChunks(decoder, splitAt(stream, cuts));
      expect(out).toEqual(frames.map(plainFrame));
      expect(decoder.bufferedBytes).toBe(0);
    },
  );

  test.prop([fc.array(arbFrame, { maxLength: 6 }), arbCuts, arbLayout, fc.constantFrom(0x00, 0xa5, 0xff)])(
    'the decoder keeps nothing of a chunk past its push: Buffer chunks of one shared read buffer, overwritten after every push',
    (frames, cuts, layout, garbage) => {
      const stream = concatBytes(frames.map((f) => encodeFrame(f.id, f.body, layout)));
      const decoder = new FrameDecoder({ layout });
      const out = throughSharedBuffer(splitAt(stream, cuts), (chunk) => decoder.push(chunk).map(plainFrame), garbage);
      expect(out).toEqual(frames.map(plainFrame));
    },
  );

  test.prop([fc.array(fc.uint8Array({ minLength: 20, maxLength: 3000 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 9 })])(
    'large bodies cut into small Buffer pieces of a reused read buffer come out whole (a 124 KB user list in 5-byte reads)',
    (bodies, pieceBytes) => {
      const stream = concatBytes(bodies.map((b) => encodeFrame(16, b)));
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < stream.length; at += pieceBytes) pieces.push(stream.subarray(at, at + pieceBytes));
      const decoder = new FrameDecoder();
      const out = throughSharedBuffer(pieces, (chunk) => decoder.push(chunk).map(plainFrame), 0x5a);
      expect(out).toEqual(bodies.map((b) => ({ id: 16, body: toHex(b) })));
    },
  );

  test.prop([arbFrame, arbLayout])('decode(encode(frame)) is the frame, in one push', (frame, layout) => {
    const bytes = encodeFrame(frame.id, frame.body, layout);
    expect(bytes.length).toBe(HEADER_BYTES + frame.body.length);
    expect(new FrameDecoder({ layout }).push(bytes).map(plainFrame)).toEqual([plainFrame(frame)]);
  });

  test.prop([arbFrame, arbLayout])('encodeFrame starts with the header writeFrameHeader writes', (frame, layout) => {
    const header = new Uint8Array(HEADER_BYTES);
    writeFrameHeader(header, 0, frame.id, frame.body.length, layout);
    const bytes = encodeFrame(frame.id, frame.body, layout);
    expect(toHex(bytes.subarray(0, HEADER_BYTES))).toBe(toHex(header));
    expect(toHex(bytes.subarray(HEADER_BYTES))).toBe(toHex(frame.body));
  });
});

describe('FrameDecoder on random bytes', () => {
  const arbStream = fc.oneof(fc.uint8Array({ maxLength: 600 }), arbLineBytes);

  test.prop([arbStream, arbCuts, arbLayout, fc.integer({ min: 0, max: 64 })], { numRuns: 300 })(
    'yields frames or FRAME_TOO_LARGE, nothing else; buffers at most 8 + maxBodyBytes',
    (stream, cuts, layout, maxBodyBytes) => {
      const decoder = new FrameDecoder({ layout, maxBodyBytes });
      for (const chunk of splitAt(stream, cuts)) {
        let frames;
        try {
          frames = decoder.push(chunk);
        } catch (err) {
          expect(err).toBeInstanceOf(FrameTooLargeError);
          expect((err as FrameTooLargeError).code).toBe('FRAME_TOO_LARGE');
          expect((err as FrameTooLargeError).announced).toBeGreaterThan(maxBodyBytes);
          expect((err as FrameTooLargeError).limit).toBe(maxBodyBytes);
          return;
        } finally {
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(HEADER_BYTES + maxBodyBytes);
        }
        for (const f of frames) {
          expect(Number.isInteger(f.id) && f.id >= 0 && f.id <= 0xffffffff).toBe(true);
          expect(f.body.length).toBeLessThanOrEqual(maxBodyBytes);
        }
      }
    },
  );

  test.prop([arbStream, arbCuts, arbLayout, fc.integer({ min: 0, max: 64 })], { numRuns: 300 })(
    'agrees with a one-shot reference parser, whatever the chunking',
    (stream, cuts, layout, maxBodyBytes) => {
      const model = modelDecodeFrames(stream, layout, maxBodyBytes);
      const decoder = new FrameDecoder({ layout, maxBodyBytes });
      const out = [];
      let failure: FrameTooLargeError | null = null;
      for (const chunk of splitAt(stream, cuts)) {
        try {
          out.push(...decoder.push(chunk).map(plainFrame));
        } catch (err) {
          failure = err as FrameTooLargeError;
          break;
        }
      }
      if (model.tooLarge) {
        expect(failure?.code).toBe('FRAME_TOO_LARGE');
        expect({ announced: failure?.announced, limit: failure?.limit }).toEqual(model.tooLarge);
        // Frames completed by the failing push are lost with the throw: what came out is a prefix.
        expect(model.frames.slice(0, out.length)).toEqual(out);
      } else {
        expect(failure).toBeNull();
        expect(out).toEqual(model.frames);
        // A complete header is consumed; only a partial header or the body bytes so far are held.
        expect(decoder.bufferedBytes).toBe(model.leftover >= HEADER_BYTES ? model.leftover - HEADER_BYTES : model.leftover);
      }
    },
  );
});

// Byte fixtures: every message id, its exact frame bytes, checked in both directions and in every
// two-push split. The hex is written by hand in im-fixtures.ts, never produced by the encoder.
import { describe, expect, test } from 'vitest';
import { FrameDecoder, HEADER_BYTES, encodeFrame } from '../frame-codec.js';
import { MessageId, messageName } from '../message-ids.js';
import { decodeMessage, encodeMessage } from '../messages.js';
import { FRAME_FIXTURES } from './im-fixtures.js';
import { fromHex, toHex } from './helpers.js';

describe('IM frame fixtures', () => {
  test('cover every one of the 24 message ids', () => {
    const covered = new Set(FRAME_FIXTURES.map((r) => r.id));
    expect([...covered].sort((a, b) => a - b)).toEqual(Object.values(MessageId).sort((a, b) => a - b));
    expect(covered.size).toBe(24);
  });

  test('cover both layouts and an empty body', () => {
    expect(FRAME_FIXTURES.some((r) => r.layout === 'be')).toBe(true);
    expect(FRAME_FIXTURES.some((r) => r.hex.length === HEADER_BYTES * 2)).toBe(true);
  });

  test('the worked example of docs/ORIGINALS.md is a row, byte for byte', () => {
    const row = FRAME_FIXTURES.find((r) => r.name.includes('worked example'));
    expect(row?.fields).toEqual({ UserID: 'alice', Password: 'pa', Status: 2 });
    expect(row?.hex).toBe('0d000000' + '01000000' + '0a05616c696365' + '12027061' + '1802');
  });
});

describe.each(FRAME_FIXTURES)('fixture: $name', (row) => {
  const frame = fromHex(row.hex);
  const body = frame.subarray(HEADER_BYTES);

  test('the id is the one docs/ORIGINALS.md gives the message', () => {
    expect(MessageId[row.message]).toBe(row.id);
    expect(messageName(row.id)).toBe(row.message);
  });

  test('the header announces the body length', () => {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.length);
    const length = row.layout === 'le' ? view.getUint32(0, true) : view.getUint32(4, false);
    const id = row.layout === 'le' ? view.getUint32(4, true) : view.getUint32(0, false);
    expect({ id, length }).toEqual({ id: row.id, length: body.length });
  });

  test('encodeMessage + encodeFrame give exactly the fixture bytes', () => {
    expect(toHex(encodeMessage(row.id, row.fields))).toBe(toHex(body));
    expect(toHex(encodeFrame(row.id, encodeMessage(row.id, row.fields), row.layout))).toBe(row.hex);
  });

  test('FrameDecoder decodes the bytes to the id and body', () => {
    const decoder = new FrameDecoder({ layout: row.layout });
    const frames = decoder.push(frame);
    expect(frames.map((f) => ({ id: f.id, body: toHex(f.body) }))).toEqual([{ id: row.id, body: toHex(body) }]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  test('decodeMessage gives back the fields', () => {
    expect(decodeMessage(row.id, body)).toEqual(row.fields);
  });

  test('the bytes split at every offset (two pushes) decode to the same frame', () => {
    for (let cut = 0; cut <= frame.length; cut++) {
      const decoder = new FrameDecoder({ layout: row.layout });
      const first = decoder.push(frame.slice(0, cut));
      expect(first.length, `after the first push, cut at ${cut}`).toBe(cut === frame.length ? 1 : 0);
      const frames = [...first, ...decoder.push(frame.slice(cut))];
      expect(frames.map((f) => ({ id: f.id, body: toHex(f.body) })), `cut at ${cut}`)
        .toEqual([{ id: row.id, body: toHex(body) }]);
      expect(decoder.bufferedBytes, `cut at ${cut}`).toBe(0);
    }
  });

  test('a decoder of the other layout does not read this frame as the same id and length', () => {
    // Each layout reads a mismatched header as a different (usually huge) length or id [IM-FRAME-2].
    const other = new FrameDecoder({ layout: row.layout === 'le' ? 'be' : 'le', maxBodyBytes: 0xffffffff });
    const frames = other.push(frame);
    expect(frames.some((f) => f.id === row.id && f.body.length === body.length)).toBe(false);
  });
});

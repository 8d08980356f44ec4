// LineSplitter unit tests: the length limit, terminators and chunking [CHAT-LINE-1, CHAT-LINE-4].
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from '../line-splitter.js';
import { type PlainEvent, plainEvent, splitChunks, toHex } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const line = (s: string): PlainEvent => ({ kind: 'line', line: toHex(enc(s)) });
const tooLong = (bytes: number): PlainEvent => ({ kind: 'too-long', bytes });
/** Pushes `text` one chunk of `size` bytes at a time. */
const inChunks = (text: string, size: number) => {
  const bytes = enc(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
  return chunks;
};

describe('LineSplitter limit [CHAT-LINE-4]', () => {
  test('the default limit is 4096 bytes, as the original reader', () => {
    expect(new LineSplitter().maxLineBytes).toBe(DEFAULT_MAX_LINE_BYTES);
    expect(DEFAULT_MAX_LINE_BYTES).toBe(4096);
  });

  test('a line of exactly maxLineBytes is accepted, whole or byte by byte', () => {
    const text = 'x'.repeat(4096);
    expect(splitChunks(new LineSplitter(), [enc(text + '\n')])).toEqual([line(text)]);
    expect(splitChunks(new LineSplitter(), inChunks(text + '\n', 1))).toEqual([line(text)]);
  });

  test('a line of exactly maxLineBytes with \\r\\n is accepted (the \\r is not counted)', () => {
    const text = 'x'.repeat(8);
    expect(splitChunks(new LineSplitter({ maxLineBytes: 8 }), inChunks(text + '\r\n', 3))).toEqual([line(text)]);
  });

  test('maxLineBytes + 1 is reported once as too-long, and the next line still parses', () => {
    const text = 'x'.repeat(4097);
    const events = splitChunks(new LineSplitter(), [enc(text + '\nCHAT/1.0 LOGOUT\n')]);
    expect(events).toEqual([tooLong(4097), line('CHAT/1.0 LOGOUT')]);
  });

  test('maxLineBytes + 1 in two chunks split right before the \\n is reported the same way', () => {
    const splitter = new LineSplitter({ maxLineBytes: 8 });
    expect(splitChunks(splitter, [enc('x'.repeat(9)), enc('\nok\n')])).toEqual([tooLong(9), line('ok')]);
  });

  test('an over-long line in many small chunks is reported once, and buffering stays bounded', () => {
    const splitter = new LineSplitter({ maxLineBytes: 16 });
    const events: PlainEvent[] = [];
    for (const chunk of inChunks('y'.repeat(1000), 3)) {
      events.push(...splitChunks(splitter, [chunk]));
      expect(splitter.bufferedBytes).toBeLessThanOrEqual(17);
    }
    expect(events).toEqual([]);
    events.push(...splitChunks(splitter, [enc('yy\r\nnext\n')]));
    expect(events).toEqual([tooLong(1003), line('next')]);
  });

  test('an over-long line that never ends produces no event and holds nothing', () => {
    const splitter = new LineSplitter({ maxLineBytes: 4 });
    expect(splitChunks(splitter, inChunks('z'.repeat(50), 7))).toEqual([]);
    expect(splitter.bufferedBytes).toBe(0);
  });

  test('the constructor rejects a limit below 1 or not an integer', () => {
    for (const maxLineBytes of [0, -1, 2.5, Number.NaN]) {
      expect(() => new LineSplitter({ maxLineBytes }), String(maxLineBytes)).toThrow(RangeError);
    }
  });
});

describe('LineSplitter terminators [CHAT-LINE-1]', () => {
  test('\\n and \\r\\n both end lines', () => {
    expect(splitChunks(new LineSplitter(), [enc('a\nb\r\nc\n')])).toEqual([line('a'), line('b'), line('c')]);
  });

  test('a \\r\\n split between two pushes ends the line', () => {
    expect(splitChunks(new LineSplitter(), [enc('abc\r'), enc('\ndef\n')])).toEqual([line('abc'), line('def')]);
  });

  test('a \\r in the middle of a line is kept', () => {
    expect(splitChunks(new LineSplitter(), [enc('a\rb\n')])).toEqual([line('a\rb')]);
  });

  test('only one \\r before the \\n belongs to the terminator', () => {
    expect(splitChunks(new LineSplitter(), [enc('a\r\r\n')])).toEqual([line('a\r')]);
  });

  test('a lone \\r does not end a line', () => {
    const splitter = new LineSplitter();
    expect(splitChunks(splitter, [enc('a\rb\r')])).toEqual([]);
    expect(splitter.bufferedBytes).toBe(4);
  });

  test('empty lines are lines', () => {
    expect(splitChunks(new LineSplitter(), [enc('\n\r\n')])).toEqual([line(''), line('')]);
  });

  test('a partial line is held until its \\n arrives', () => {
    const splitter = new LineSplitter();
    expect(splitChunks(splitter, [enc('CHAT/1.0 LO')])).toEqual([]);
    expect(splitter.bufferedBytes).toBe(11);
    expect(splitChunks(splitter, [enc('GOUT\n')])).toEqual([line('CHAT/1.0 LOGOUT')]);
    expect(splitter.bufferedBytes).toBe(0);
  });

  test('a line split across pushes is a copy: the caller may reuse its chunk', () => {
    const splitter = new LineSplitter();
    const first = enc('hel');
    splitter.push(first);
    first.fill(0x21);
    expect(splitChunks(splitter, [enc('lo\n')])).toEqual([line('hello')]);
  });

  test('a multi-byte character split across pushes is reassembled', () => {
    const bytes = enc('é😀\n');
    const events = splitChunks(new LineSplitter(), [bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)]);
    expect(events).toEqual([line('é😀')]);
  });

  test('at the end of the stream, the bytes after the last \n are the last line, \r\n rules included', () => {
    const splitter = new LineSplitter();
    expect(splitChunks(splitter, [enc('CHAT/1.0 LOGOUT\nCHAT/1.0 SEND bob hi')])).toEqual([line('CHAT/1.0 LOGOUT')]);
    expect(splitter.end().map(plainEvent)).toEqual([line('CHAT/1.0 SEND bob hi')]);
    expect(splitter.bufferedBytes).toBe(0);
    expect(splitter.end()).toEqual([]);
    const crlf = new LineSplitter();
    crlf.push(enc('abc\r'));
    expect(crlf.end().map(plainEvent)).toEqual([line('abc')]);
  });

  test('the end of the stream after a \n, or of an empty one, is no line; an over-long tail is too-long', () => {
    const splitter = new LineSplitter({ maxLineBytes: 4 });
    splitter.push(enc('ab\n'));
    expect(splitter.end()).toEqual([]);
    splitter.push(enc('abcdefgh'));
    expect(splitter.end()).toEqual([tooLong(8)]);
    expect(new LineSplitter().end()).toEqual([]);
  });
});

// Properties of the CHAT/1.0 codec: LineSplitter on any bytes and any chunking, parse/format round
// trips, and parseChatLine never throwing [CHAT-LINE-1..6].
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { CHAT_COMMANDS, formatChatLine, isChatParseError, parseChatLine } from '../chat-line.js';
import { LineSplitter } from '../line-splitter.js';
import { arbChatCommand, arbChatLikeLine, arbCuts, arbLineBytes } from './arbitraries.js';
import { concatBytes, plainEvent, splitAt, splitChunks, throughSharedBuffer } from './helpers.js';
import { modelSplitLines } from './models.js';

const arbMaxLine = fc.integer({ min: 1, max: 40 });
const enc = (s: string) => new TextEncoder().encode(s);

describe('LineSplitter on random bytes', () => {
  test.prop([arbLineBytes, arbCuts, arbMaxLine], { numRuns: 300 })(
    'yields only lines (at most maxLineBytes, no \\n) and too-long events; buffers at most maxLineBytes + 1',
    (stream, cuts, maxLineBytes) => {
      const splitter = new LineSplitter({ maxLineBytes });
      for (const chunk of splitAt(stream, cuts)) {
        for (const event of splitter.push(chunk)) {
          if (event.kind === 'line') {
            expect(event.line.length).toBeLessThanOrEqual(maxLineBytes);
            expect(event.line.includes(0x0a)).toBe(false);
          } else {
            expect(event.kind).toBe('too-long');
            expect(event.bytes).toBeGreaterThan(maxLineBytes);
          }
        }
        expect(splitter.bufferedBytes).toBeLessThanOrEqual(maxLineBytes + 1);
      }
    },
  );

  test.prop([arbLineBytes, arbCuts, arbMaxLine], { numRuns: 300 })(
    'any chunking gives the events of a one-shot reference splitter',
    (stream, cuts, maxLineBytes) => {
      const events = splitChunks(new LineSplitter({ maxLineBytes }), splitAt(stream, cuts));
      expect(events).toEqual(modelSplitLines(stream, maxLineBytes));
    },
  );

  test.prop([arbLineBytes, arbCuts, arbMaxLine, fc.constantFrom(0x0a, 0x0d, 0x41)], { numRuns: 300 })(
    'any chunking gives the same events as one push: Buffer chunks of one shared read buffer, overwritten after every push',
    (stream, cuts, maxLineBytes, garbage) => {
      const whole = splitChunks(new LineSplitter({ maxLineBytes }), [stream]);
      const splitter = new LineSplitter({ maxLineBytes });
      const chunked = throughSharedBuffer(splitAt(stream, cuts), (chunk) => splitter.push(chunk).map(plainEvent), garbage);
      expect(chunked).toEqual(whole);
    },
  );
});

describe('LineSplitter on streams of lines', () => {
  const arbLine = fc.string({ unit: fc.constantFrom('a', ' ', '\r', 'é', '😀'), maxLength: 30 });
  const arbStreamOfLines = fc.array(fc.tuple(arbLine, fc.constantFrom('\n', '\r\n')), { maxLength: 10 });

  test.prop([arbStreamOfLines, arbCuts, arbMaxLine])(
    'any chunking of a stream of lines gives each line once, in order, or too-long for the long ones',
    (lines, cuts, maxLineBytes) => {
      const stream = enc(lines.map(([l, end]) => l + end).join(''));
      const expected = lines.map(([l, end]) => {
        const withoutTerminator = end === '\r\n' ? l : l.replace(/\r$/, '');
        const bytes = enc(withoutTerminator);
        return bytes.length > maxLineBytes
          ? { kind: 'too-long', bytes: enc(l).length + end.length - 1 }
          : { kind: 'line', line: Buffer.from(bytes).toString('hex') };
      });
      expect(splitChunks(new LineSplitter({ maxLineBytes }), splitAt(stream, cuts))).toEqual(expected);
    },
  );
});

describe('CHAT/1.0 round trips [CHAT-LINE-6]', () => {
  test.prop([arbChatCommand])('parseChatLine(formatChatLine(c)) deep-equals c', (cmd) => {
    const line = formatChatLine(cmd);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(parseChatLine(line.slice(0, -1))).toEqual(cmd);
  });

  test.prop([fc.array(fc.tuple(arbChatCommand, fc.boolean()), { maxLength: 8 }), arbCuts])(
    'commands formatted, sent as UTF-8 in any chunking (\\n or \\r\\n) and parsed come back equal',
    (commands, cuts) => {
      const stream = concatBytes(commands.map(([cmd, crlf]) => {
        const line = formatChatLine(cmd);
        return enc(crlf ? line.slice(0, -1) + '\r\n' : line);
      }));
      const splitter = new LineSplitter({ maxLineBytes: 1 << 16 });
      const parsed = [];
      for (const chunk of splitAt(stream, cuts)) {
        for (const event of splitter.push(chunk)) parsed.push(event.kind === 'line' ? parseChatLine(event.line) : event);
      }
      expect(parsed).toEqual(commands.map(([cmd]) => cmd));
    },
  );

  test.prop([arbChatLikeLine], { numRuns: 500 })(
    'for any line parseChatLine accepts, formatChatLine(result) === line + "\\n"',
    (line) => {
      for (const input of [line, enc(line)]) {
        const result = parseChatLine(input);
        if (!isChatParseError(result)) expect(formatChatLine(result)).toBe(line + '\n');
      }
    },
  );
});

describe('parseChatLine never throws', () => {
  const CODES = ['INVALID_MESSAGE', 'UNSUPPORTED_COMMAND', 'INVALID_UTF8'];
  const check = (input: Uint8Array | string) => {
    const result = parseChatLine(input);
    if (isChatParseError(result)) {
      expect(CODES).toContain(result.error);
      expect(typeof result.reason).toBe('string');
    } else {
      expect(CHAT_COMMANDS).toContain(result.command);
    }
  };

  test.prop([fc.oneof(fc.uint8Array({ maxLength: 200 }), arbLineBytes)], { numRuns: 300 })(
    'random bytes give a command or INVALID_MESSAGE / UNSUPPORTED_COMMAND / INVALID_UTF8',
    (bytes) => check(bytes),
  );

  test.prop([
    fc.constantFrom('CHAT/1.0 ', 'CHAT/1.0 SEND ', 'CHAT/1.0 GROUP ', 'CHAT/1.0 LOGIN ', 'CHAT/1.0 LOGOUT', ''),
    fc.uint8Array({ maxLength: 60 }),
  ], { numRuns: 300 })('random bytes after a valid prefix give a command or an error code', (prefix, tail) => {
    check(concatBytes([enc(prefix), tail]));
  });

  test.prop([fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }), arbChatLikeLine)])(
    'random strings give a command or an error code',
    (text) => check(text),
  );
});

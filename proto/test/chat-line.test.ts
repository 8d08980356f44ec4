// CHAT/1.0 line codec, table-driven: accepted lines, rejected lines with their error code, and
// formatChatLine's exact output and INVALID_FIELD refusals [CHAT-LINE-2..6].
import { describe, expect, test } from 'vitest';
import {
  type ChatCommand, type ChatParseErrorCode, formatChatLine, isChatParseError, parseChatLine,
} from '../chat-line.js';
import { LineSplitter } from '../line-splitter.js';
import { caught, fromHex } from './helpers.js';

const VALID: { line: string; cmd: ChatCommand }[] = [
  { line: 'CHAT/1.0 LOGIN alice', cmd: { command: 'LOGIN', name: 'alice' } },
  { line: 'CHAT/1.0 LOGIN élise-中😀', cmd: { command: 'LOGIN', name: 'élise-中😀' } },
  { line: 'CHAT/1.0 LOGOUT', cmd: { command: 'LOGOUT' } },
  { line: 'CHAT/1.0 SEND bob hello', cmd: { command: 'SEND', name: 'bob', data: 'hello' } },
  { line: 'CHAT/1.0 SEND bob ', cmd: { command: 'SEND', name: 'bob', data: '' } },
  { line: 'CHAT/1.0 SEND bob hello there,  two  spaces ', cmd: { command: 'SEND', name: 'bob', data: 'hello there,  two  spaces ' } },
  { line: 'CHAT/1.0 SEND bob  leading space', cmd: { command: 'SEND', name: 'bob', data: ' leading space' } },
  { line: 'CHAT/1.0 SEND bob CHAT/1.0 LOGOUT', cmd: { command: 'SEND', name: 'bob', data: 'CHAT/1.0 LOGOUT' } },
  { line: 'CHAT/1.0 SEND bob a\rb', cmd: { command: 'SEND', name: 'bob', data: 'a\rb' } },
  { line: 'CHAT/1.0 RECEIVE alice hi bob', cmd: { command: 'RECEIVE', from: 'alice', data: 'hi bob' } },
  { line: 'CHAT/1.0 RECEIVE alice ', cmd: { command: 'RECEIVE', from: 'alice', data: '' } },
  { line: 'CHAT/1.0 GROUP team alice bob', cmd: { command: 'GROUP', group: 'team', members: ['alice', 'bob'] } },
  { line: 'CHAT/1.0 GROUP team', cmd: { command: 'GROUP', group: 'team', members: [] } },
  { line: 'CHAT/1.0 LEAVE team', cmd: { command: 'LEAVE', group: 'team' } },
  { line: 'CHAT/1.0 BROADCAST team hi all', cmd: { command: 'BROADCAST', group: 'team', data: 'hi all' } },
  { line: 'CHAT/1.0 BROADCAST team ', cmd: { command: 'BROADCAST', group: 'team', data: '' } },
];

describe('parseChatLine accepts', () => {
  test.each(VALID)('$line', ({ line, cmd }) => {
    expect(parseChatLine(line)).toEqual(cmd);
    expect(parseChatLine(new TextEncoder().encode(line))).toEqual(cmd);
  });

  test('all 7 commands are in the table', () => {
    expect(new Set(VALID.map((v) => v.cmd.command)).size).toBe(7);
  });

  test('a line ended by \\r\\n through the splitter parses like one ended by \\n', () => {
    const splitter = new LineSplitter();
    const events = splitter.push(new TextEncoder().encode('CHAT/1.0 SEND bob hi \r\nCHAT/1.0 SEND bob hi \n'));
    const parsed = events.map((e) => (e.kind === 'line' ? parseChatLine(e.line) : e));
    expect(parsed).toEqual([
      { command: 'SEND', name: 'bob', data: 'hi ' },
      { command: 'SEND', name: 'bob', data: 'hi ' },
    ]);
  });

  test('a line that is a view into a larger buffer parses only its own bytes', () => {
    const bytes = new TextEncoder().encode('xxCHAT/1.0 LOGIN bobyy');
    expect(parseChatLine(bytes.subarray(2, 20))).toEqual({ command: 'LOGIN', name: 'bob' });
  });
});

describe('formatChatLine', () => {
  test.each(VALID)('formats $cmd.command back to exactly "$line\\n"', ({ line, cmd }) => {
    expect(formatChatLine(cmd)).toBe(line + '\n');
  });

  test.each<{ what: string; cmd: ChatCommand }>([
    { what: 'a name with a space', cmd: { command: 'LOGIN', name: 'bob smith' } },
    { what: 'an empty name', cmd: { command: 'LOGIN', name: '' } },
    { what: 'a name with \\r', cmd: { command: 'SEND', name: 'bo\rb', data: 'x' } },
    { what: 'a name with \\n', cmd: { command: 'LEAVE', group: 'te\nam' } },
    { what: 'data containing \\n', cmd: { command: 'SEND', name: 'bob', data: 'line1\nline2' } },
    { what: 'data ending in \\r', cmd: { command: 'BROADCAST', group: 'team', data: 'hi\r' } },
    { what: 'a RECEIVE sender with a space', cmd: { command: 'RECEIVE', from: 'a b', data: 'x' } },
    { what: 'a GROUP member with a space', cmd: { command: 'GROUP', group: 'team', members: ['alice', 'b ob'] } },
    { what: 'an empty GROUP member', cmd: { command: 'GROUP', group: 'team', members: [''] } },
    { what: 'a name with a lone surrogate (UTF-8 cannot carry it)', cmd: { command: 'LOGIN', name: 'a\uD800' } },
    { what: 'data with a lone low surrogate', cmd: { command: 'SEND', name: 'bob', data: 'x\uDC00y' } },
  ])('throws INVALID_FIELD for $what', ({ cmd }) => {
    expect(caught(() => formatChatLine(cmd)).code).toBe('INVALID_FIELD');
  });
});

const INVALID: { what: string; line: string; code: ChatParseErrorCode }[] = [
  { what: 'another protocol version', line: 'CHAT/2.0 LOGIN a', code: 'INVALID_MESSAGE' },
  { what: 'another protocol', line: 'HTTP/1.1 GET /', code: 'INVALID_MESSAGE' },
  { what: 'a lower-case protocol', line: 'chat/1.0 LOGIN a', code: 'INVALID_MESSAGE' },
  { what: 'an empty line', line: '', code: 'INVALID_MESSAGE' },
  { what: 'a string line holding \\n (regression: parsed, then format threw)', line: 'CHAT/1.0 SEND bob a\nb', code: 'INVALID_MESSAGE' },
  { what: 'the protocol alone', line: 'CHAT/1.0', code: 'INVALID_MESSAGE' },
  { what: 'the protocol and a space', line: 'CHAT/1.0 ', code: 'INVALID_MESSAGE' },
  { what: 'a leading space', line: ' CHAT/1.0 LOGIN a', code: 'INVALID_MESSAGE' },
  { what: 'a lower-case command', line: 'CHAT/1.0 login a', code: 'UNSUPPORTED_COMMAND' },
  { what: 'a mixed-case command', line: 'CHAT/1.0 Logout', code: 'UNSUPPORTED_COMMAND' },
  { what: 'an unknown command', line: 'CHAT/1.0 JOIN team', code: 'UNSUPPORTED_COMMAND' },
  { what: 'a command glued to a \\r', line: 'CHAT/1.0 LOGOUT\r', code: 'UNSUPPORTED_COMMAND' },
  { what: 'SEND without data field', line: 'CHAT/1.0 SEND bob', code: 'INVALID_MESSAGE' },
  { what: 'SEND without anything', line: 'CHAT/1.0 SEND', code: 'INVALID_MESSAGE' },
  { what: 'BROADCAST without data field', line: 'CHAT/1.0 BROADCAST team', code: 'INVALID_MESSAGE' },
  { what: 'RECEIVE without data field', line: 'CHAT/1.0 RECEIVE alice', code: 'INVALID_MESSAGE' },
  { what: 'LOGIN without a name', line: 'CHAT/1.0 LOGIN', code: 'INVALID_MESSAGE' },
  { what: 'LOGIN with an empty name', line: 'CHAT/1.0 LOGIN ', code: 'INVALID_MESSAGE' },
  { what: 'LEAVE without a group', line: 'CHAT/1.0 LEAVE', code: 'INVALID_MESSAGE' },
  { what: 'GROUP without a group', line: 'CHAT/1.0 GROUP', code: 'INVALID_MESSAGE' },
  { what: 'LOGIN with an extra field', line: 'CHAT/1.0 LOGIN a b', code: 'INVALID_MESSAGE' },
  { what: 'LOGIN with a trailing space', line: 'CHAT/1.0 LOGIN a ', code: 'INVALID_MESSAGE' },
  { what: 'LOGOUT with an argument', line: 'CHAT/1.0 LOGOUT x', code: 'INVALID_MESSAGE' },
  { what: 'LOGOUT with a trailing space', line: 'CHAT/1.0 LOGOUT ', code: 'INVALID_MESSAGE' },
  { what: 'LEAVE with an extra field', line: 'CHAT/1.0 LEAVE team x', code: 'INVALID_MESSAGE' },
  { what: 'a double space after the protocol', line: 'CHAT/1.0  LOGIN a', code: 'INVALID_MESSAGE' },
  { what: 'a double space before a LOGIN name', line: 'CHAT/1.0 LOGIN  a', code: 'INVALID_MESSAGE' },
  { what: 'a double space before a SEND name', line: 'CHAT/1.0 SEND  bob hi', code: 'INVALID_MESSAGE' },
  { what: 'a double space between GROUP members', line: 'CHAT/1.0 GROUP team  bob', code: 'INVALID_MESSAGE' },
  { what: 'a trailing space after GROUP members', line: 'CHAT/1.0 GROUP team bob ', code: 'INVALID_MESSAGE' },
  { what: 'a name carrying a \\r', line: 'CHAT/1.0 LOGIN a\rb', code: 'INVALID_MESSAGE' },
  { what: 'a LOGIN whose \\r was not stripped', line: 'CHAT/1.0 LOGIN a\r', code: 'INVALID_MESSAGE' },
  { what: 'data ending in \\r (a terminator left in)', line: 'CHAT/1.0 SEND bob hi\r', code: 'INVALID_MESSAGE' },
];

describe('parseChatLine rejects', () => {
  test('a string line with a lone surrogate, which no UTF-8 line can carry', () => {
    const result = parseChatLine('CHAT/1.0 LOGIN a\uD800');
    expect(isChatParseError(result) ? result.error : result).toBe('INVALID_UTF8');
  });

  test.each(INVALID)('$what: "$line" is $code', ({ line, code }) => {
    for (const input of [line, new TextEncoder().encode(line)]) {
      const result = parseChatLine(input);
      expect(isChatParseError(result) ? result.error : result).toBe(code);
    }
  });

  test.each([
    { what: 'a 0xff byte', hex: 'ff' },
    { what: 'an overlong NUL (c0 80)', hex: 'c080' },
    { what: 'an overlong slash (e0 80 af)', hex: 'e080af' },
    { what: 'a lone surrogate (ed a0 80)', hex: 'eda080' },
    { what: 'a truncated sequence (e2 82)', hex: 'e282' },
    { what: 'a code point over U+10FFFF (f4 90 80 80)', hex: 'f4908080' },
  ])('$what in the data is INVALID_UTF8', ({ hex }) => {
    const line = new Uint8Array([...new TextEncoder().encode('CHAT/1.0 SEND bob '), ...fromHex(hex)]);
    const result = parseChatLine(line);
    expect(isChatParseError(result) ? result.error : result).toBe('INVALID_UTF8');
  });

  test('invalid UTF-8 is reported even before the protocol field', () => {
    const result = parseChatLine(fromHex('ff' + Buffer.from('CHAT/1.0 LOGOUT').toString('hex')));
    expect(isChatParseError(result) && result.error).toBe('INVALID_UTF8');
  });

  test('every error carries a reason a person can read', () => {
    for (const { line } of INVALID) {
      const result = parseChatLine(line);
      expect(isChatParseError(result) && result.reason.length > 0, line).toBe(true);
    }
  });
});

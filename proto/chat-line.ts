// CHAT/1.0 line codec: a pure parser from one line (terminator removed) to a typed command or a typed
// error, and its exact inverse. The grammar is strict so that every line it accepts is the one its
// command formats to: parse(format(c)) equals c, and format(parse(l)) equals l [CHAT-LINE-6].
import { isUtf8 } from 'node:buffer';
import { ProtocolError } from './errors.js';

export const CHAT_PROTOCOL = 'CHAT/1.0';

export type ChatCommand =
  | { command: 'LOGIN'; name: string }
  | { command: 'LOGOUT' }
  | { command: 'SEND'; name: string; data: string }
  | { command: 'RECEIVE'; from: string; data: string }
  | { command: 'GROUP'; group: string; members: string[] }
  | { command: 'LEAVE'; group: string }
  | { command: 'BROADCAST'; group: string; data: string };

export type ChatCommandName = ChatCommand['command'];
export const CHAT_COMMANDS: readonly ChatCommandName[] = ['LOGIN', 'LOGOUT', 'SEND', 'RECEIVE', 'GROUP', 'LEAVE', 'BROADCAST'];

export type ChatParseErrorCode = 'INVALID_MESSAGE' | 'UNSUPPORTED_COMMAND' | 'INVALID_UTF8';
/** A line that is not a CHAT/1.0 command. Returned, not thrown: bad lines are ordinary input. */
export interface ChatParseError {
  error: ChatParseErrorCode;
  reason: string;
}

export function isChatParseError(value: ChatCommand | ChatParseError): value is ChatParseError {
  return 'error' in value;
}

const invalid = (reason: string): ChatParseError => ({ error: 'INVALID_MESSAGE', reason });
const PREFIX = CHAT_PROTOCOL + ' ';

/** A UTF-16 surrogate without its pair: no UTF-8 line can carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A name (user or group) is one non-empty field: no space, `\r` or `\n` [CHAT-LINE-2].
 */
export function isValidChatName(name: string): boolean {
  return name.length > 0 && !/[ \r\n]/.test(name) && !LONE_SURROGATE.test(name);
}

/** Data runs to the end of the line: anything but `\n`, and not ending in `\r` (the terminator's). */
export function isValidChatData(data: string): boolean {
  return !data.includes('\n') && !data.endsWith('\r') && !LONE_SURROGATE.test(data);
}

/** Parses one line, its `\n` or `\r\n` already removed (LineSplitter does that). */
export function parseChatLine(line: Uint8Array | string): ChatCommand | ChatParseError {
  let text: string;
  if (typeof line === 'string') {
    // Bytes from LineSplitter never hold a `\n`; a string from elsewhere might.
    if (line.includes('\n')) return invalid('a line cannot contain "\\n"');
    if (LONE_SURROGATE.test(line)) return { error: 'INVALID_UTF8', reason: 'line has a lone surrogate, which UTF-8 cannot carry' };
    text = line;
  } else {
    if (line.includes(0x0a)) return invalid('a line cannot contain "\\n"');
    if (!isUtf8(line)) return { error: 'INVALID_UTF8', reason: 'line is not valid UTF-8' };
    text = Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8');
  }
  if (!text.startsWith(PREFIX)) {
    return invalid(text.startsWith('CHAT/') ? 'unsupported protocol version' : `line does not start with "${PREFIX}"`);
  }
  const space = text.indexOf(' ', PREFIX.length);
  const command = space < 0 ? text.slice(PREFIX.length) : text.slice(PREFIX.length, space);
  const rest = space < 0 ? null : text.slice(space + 1);
  switch (command) {
    case 'LOGIN':
      return rest !== null && isValidChatName(rest) ? { command, name: rest } : invalid('LOGIN takes exactly one name');
    case 'LOGOUT':
      return rest === null ? { command } : invalid('LOGOUT takes no arguments');
    case 'LEAVE':
      return rest !== null && isValidChatName(rest) ? { command, group: rest } : invalid('LEAVE takes exactly one group name');
    case 'SEND':
    case 'RECEIVE':
    case 'BROADCAST': {
      const split = rest === null ? -1 : rest.indexOf(' ');
      if (rest === null || split < 0) return invalid(`${command} takes a name, a space and data`);
      const name = rest.slice(0, split);
      const data = rest.slice(split + 1);
      if (!isValidChatName(name) || data.endsWith('\r')) return invalid(`${command} takes a name, a space and data`);
      if (command === 'SEND') return { command, name, data };
      if (command === 'RECEIVE') return { command, from: name, data };
      return { command, group: name, data };
    }
    case 'GROUP': {
      const fields = rest === null ? [] : rest.split(' ');
      if (fields.length === 0 || !fields.every(isValidChatName)) return invalid('GROUP takes a group name and member names, one space apart');
      return { command, group: fields[0]!, members: fields.slice(1) };
    }
    default:
      return command.length === 0
        ? invalid('missing command')
        : { error: 'UNSUPPORTED_COMMAND', reason: `unsupported command "${command.slice(0, 32)}"` };
  }
}

function checkName(kind: string, value: string): string {
  if (!isValidChatName(value)) throw new ProtocolError('INVALID_FIELD', `${kind} ${JSON.stringify(value)} must be non-empty, without spaces or line breaks`);
  return value;
}

function checkData(value: string): string {
  if (!isValidChatData(value)) throw new ProtocolError('INVALID_FIELD', 'data must not contain "\\n" nor end with "\\r"');
  return value;
}

/** Formats a command as one line, `\n` included. Throws ProtocolError INVALID_FIELD for values no line can carry. */
export function formatChatLine(cmd: ChatCommand): string {
  switch (cmd.command) {
    case 'LOGIN': return `${PREFIX}LOGIN ${checkName('name', cmd.name)}\n`;
    case 'LOGOUT': return `${PREFIX}LOGOUT\n`;
    case 'SEND': return `${PREFIX}SEND ${checkName('name', cmd.name)} ${checkData(cmd.data)}\n`;
    case 'RECEIVE': return `${PREFIX}RECEIVE ${checkName('name', cmd.from)} ${checkData(cmd.data)}\n`;
    case 'GROUP': return `${PREFIX}GROUP ${[cmd.group, ...cmd.members].map((n) => checkName('name', n)).join(' ')}\n`;
    case 'LEAVE': return `${PREFIX}LEAVE ${checkName('group', cmd.group)}\n`;
    case 'BROADCAST': return `${PREFIX}BROADCAST ${checkName('group', cmd.group)} ${checkData(cmd.data)}\n`;
  }
}

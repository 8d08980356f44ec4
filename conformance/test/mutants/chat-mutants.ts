// CHAT/1.0 mutants of lines [D-MUTANTS]: the reference server behind the mutating proxy, with one bug
// each in how bytes become lines and bad lines are treated (docs/PROTOCOL.md section 11).
// CHAT_MUTANTS lists these, the command mutants (chat-command-mutants.ts) and the servers that crash
// (robustness-mutants.ts).
import { formatChatLine, isChatParseError } from '../../../proto/index.js';
import { CHAT_COMMAND_MUTANTS } from './chat-command-mutants.js';
import { CHAT_ROBUSTNESS_MUTANTS } from './robustness-mutants.js';
import { MUTANT_MAX_LINE_BYTES, chatMutant, type Mutant } from './mutant.js';
import type { ProxyConnection } from './mutating-proxy.js';

const LF = 0x0a;

const malformedCloses = chatMutant({
  name: 'chat-malformed-closes',
  areas: ['chat.line.'],
  bug: 'closes the connection on a malformed line (bad shape, unknown command, invalid UTF-8) instead of discarding it [CHAT-LINE-7]',
  hooks: () => ({ clientLine: (line) => (isChatParseError(line.parsed) ? 'close' : 'forward') }),
});

const lastLineDropped = chatMutant({
  name: 'chat-last-line-dropped',
  areas: ['chat.line.'],
  bug: 'drops the bytes after the last LF when the client half-closes, instead of handling them as its last line [CHAT-LINE-1]',
  hooks: () => ({ clientHalfClose: () => 'drop' }),
});

const partialReadsAsLines = chatMutant({
  name: 'chat-partial-reads-as-lines',
  areas: ['chat.line.'],
  bug: 'ends a line at the end of each TCP read, LF or not [CHAT-LINE-1]',
  hooks: () => ({ clientChunk: (chunk) => (chunk[chunk.length - 1] === LF ? chunk : Buffer.concat([chunk, Buffer.from('\n')])) }),
});

const oneLinePerRead = chatMutant({
  name: 'chat-one-line-per-read',
  // Not the other line checks: the liveness probe (LOGIN and SEND in one write) fails against it, so
  // every check after its first failure would be ERROR.
  areas: ['chat.line.several-per-write'],
  bug: 'handles the first line of each TCP read and discards the rest of the read [CHAT-LINE-1] [CHAT-SEND-3]',
  hooks: () => {
    /** Whether the connection is inside a line begun by an earlier read (then this read's first LF ends it). */
    const midLine = new WeakMap<ProxyConnection, boolean>();
    return {
      clientChunk(chunk, conn) {
        const lf = chunk.indexOf(LF);
        const inLine = midLine.get(conn) ?? false;
        if (lf < 0) { midLine.set(conn, true); return chunk; }
        const second = inLine ? chunk.indexOf(LF, lf + 1) : -1;
        midLine.set(conn, false);
        return chunk.subarray(0, (second >= 0 ? second : lf) + 1);
      },
    };
  },
});

const crlfRefused = chatMutant({
  name: 'chat-crlf-refused',
  areas: ['chat.line.'],
  bug: 'discards lines ended by CRLF: only a bare LF ends a line [CHAT-LINE-1]',
  hooks: () => ({ clientLine: (line) => (line.raw.length >= 2 && line.raw[line.raw.length - 2] === 0x0d ? 'drop' : 'forward') }),
});

const crlfSent = chatMutant({
  name: 'chat-crlf-sent',
  areas: ['chat.line.'],
  bug: 'ends the lines it sends with CRLF instead of a single LF [CHAT-LINE-1]',
  hooks: () => ({ serverLine: (line) => [Buffer.concat([line.bytes, Buffer.from('\r\n')])] }),
});

const longLinesSplit = chatMutant({
  name: 'chat-long-lines-split',
  areas: ['chat.line.'],
  bug: `cuts a line over ${MUTANT_MAX_LINE_BYTES} bytes into ${MUTANT_MAX_LINE_BYTES}-byte lines, each handled as a line, as the original's buffer does [CHAT-LINE-4]`,
  maxHeldLineBytes: 4 << 20,
  hooks: () => ({
    clientLine(line) {
      if (line.bytes.length <= MUTANT_MAX_LINE_BYTES) return 'forward';
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < line.bytes.length; at += MUTANT_MAX_LINE_BYTES) pieces.push(Buffer.concat([line.bytes.subarray(at, at + MUTANT_MAX_LINE_BYTES), Buffer.from('\n')]));
      return pieces;
    },
  }),
});

const receiveAsSend = chatMutant({
  name: 'chat-receive-as-send',
  areas: ['chat.line.'],
  bug: 'handles a RECEIVE line from a client as a SEND to the name it carries [CHAT-LINE-8]',
  hooks: () => ({
    clientLine(line) {
      const c = line.parsed;
      return isChatParseError(c) || c.command !== 'RECEIVE' ? 'forward' : [formatChatLine({ command: 'SEND', name: c.from, data: c.data })];
    },
  }),
});

export const CHAT_MUTANTS: readonly Mutant[] = [
  malformedCloses, lastLineDropped, partialReadsAsLines, oneLinePerRead, crlfRefused, crlfSent, longLinesSplit, receiveAsSend,
  ...CHAT_COMMAND_MUTANTS, ...CHAT_ROBUSTNESS_MUTANTS,
];

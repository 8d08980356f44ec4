// CHAT/1.0: LineSplitter over a stream of SEND lines, then parseChatLine and formatChatLine on one line
// of each common command, and on a mix of them.
import { type ChatCommand, LineSplitter, formatChatLine, isChatParseError, parseChatLine } from '../../proto/index.js';
import { type BenchCase, expectChecksum } from './timing.js';

const STREAM_BYTES = 1 << 20;
const SPLIT_CHUNK_BYTES = 64 * 1024;
const LINES_PER_BATCH = 1000;

/** The lines parsed and formatted, one per command, as a client or server would typically send them. */
const COMMANDS: readonly ChatCommand[] = [
  { command: 'SEND', name: 'bob', data: 'hello world, are you coming to the standup?' },
  { command: 'BROADCAST', group: 'team-7', data: 'deploy finished, all checks green' },
  { command: 'LOGIN', name: 'alice' },
  { command: 'GROUP', group: 'team-7', members: ['alice', 'bob', 'carol', 'dave'] },
];

/** A number read from every field of a command, so that building none of them can be skipped. */
function summarize(cmd: ChatCommand): number {
  switch (cmd.command) {
    case 'LOGIN': return cmd.name.length;
    case 'LOGOUT': return 1;
    case 'SEND': return cmd.name.length + cmd.data.length;
    case 'RECEIVE': return cmd.from.length + cmd.data.length;
    case 'LEAVE': return cmd.group.length;
    case 'BROADCAST': return cmd.group.length + cmd.data.length;
    case 'GROUP': return cmd.group.length + cmd.members.length;
  }
}

function label(cmd: ChatCommand): string {
  return `${cmd.command} (${formatChatLine(cmd).length - 1} B)`;
}

/** One batch's inputs: `commands` repeated in turn. A mix makes call sites polymorphic, as real traffic does. */
function batchOf(commands: readonly ChatCommand[]): ChatCommand[] {
  return Array.from({ length: LINES_PER_BATCH }, (_, i) => commands[i % commands.length]!);
}

/** Line `i` of the splitter's stream: numbered so lines differ, as real traffic does; all the same length. */
function sendLine(i: number): string {
  return `CHAT/1.0 SEND bob hello world, message ${String(i).padStart(7, '0')}\n`;
}

function splitterCase(): BenchCase {
  const lineBytes = sendLine(0).length;
  const lines = Math.floor(STREAM_BYTES / lineBytes); // whole lines only: nothing is left over after a pass
  return {
    group: 'LineSplitter.push',
    name: `SEND lines (${lineBytes - 1} B), 64 KiB chunks`,
    unit: 'lines/s',
    opsPerBatch: lines,
    setup() {
      const stream = Buffer.from(Array.from({ length: lines }, (_, i) => sendLine(i)).join(''), 'latin1');
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; at += SPLIT_CHUNK_BYTES) chunks.push(stream.subarray(at, at + SPLIT_CHUNK_BYTES));
      const splitter = new LineSplitter();
      const batch = (): number => {
        let sum = 0;
        for (const chunk of chunks) {
          const events = splitter.push(chunk);
          for (let i = 0; i < events.length; i++) {
            const event = events[i]!;
            sum += event.kind === 'line' ? event.line.length + 1 : 1e9; // a too-long line spoils the checksum
          }
        }
        if (splitter.bufferedBytes !== 0) throw new Error(`splitter holds ${splitter.bufferedBytes} bytes after whole lines`);
        return sum;
      };
      expectChecksum('LineSplitter', batch(), stream.length);
      return batch;
    },
  };
}

function parseCase(name: string, commands: readonly ChatCommand[]): BenchCase {
  return {
    group: 'parseChatLine',
    name,
    unit: 'lines/s',
    opsPerBatch: LINES_PER_BATCH,
    setup() {
      const encoder = new TextEncoder();
      const inputs = batchOf(commands);
      // Uint8Arrays without the '\n', as LineSplitter hands them over.
      const lines = inputs.map((cmd) => encoder.encode(formatChatLine(cmd).slice(0, -1)));
      const batch = (): number => {
        let sum = 0;
        for (let i = 0; i < lines.length; i++) {
          const parsed = parseChatLine(lines[i]!);
          if (isChatParseError(parsed)) throw new Error(`fixture does not parse: ${parsed.reason}`);
          sum += summarize(parsed);
        }
        return sum;
      };
      expectChecksum(`parse ${name}`, batch(), inputs.reduce((sum, cmd) => sum + summarize(cmd), 0));
      return batch;
    },
  };
}

function formatCase(name: string, commands: readonly ChatCommand[]): BenchCase {
  return {
    group: 'formatChatLine',
    name,
    unit: 'lines/s',
    opsPerBatch: LINES_PER_BATCH,
    setup() {
      const inputs = batchOf(commands);
      // Reads the length and the last character. V8 may keep a concatenation as a rope (cons string)
      // until something flattens it; charCodeAt at the end flattens it, as writing it to a socket would.
      const batch = (): number => {
        let sum = 0;
        for (let i = 0; i < inputs.length; i++) {
          const text = formatChatLine(inputs[i]!);
          sum += text.length + text.charCodeAt(text.length - 1);
        }
        return sum;
      };
      const expected = inputs.reduce((sum, cmd) => sum + formatChatLine(cmd).length + 0x0a, 0);
      expectChecksum(`format ${name}`, batch(), expected);
      return batch;
    },
  };
}

export function chatCases(): BenchCase[] {
  const mix = `mix of the ${COMMANDS.length} above, in turn`;
  return [
    splitterCase(),
    ...COMMANDS.map((cmd) => parseCase(label(cmd), [cmd])),
    parseCase(mix, COMMANDS),
    ...COMMANDS.map((cmd) => formatCase(label(cmd), [cmd])),
    formatCase(mix, COMMANDS),
  ];
}

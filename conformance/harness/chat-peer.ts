// A CHAT/1.0 connection of a check: lines out, lines in, each in the transcript as text. The only
// line a server sends is `CHAT/1.0 RECEIVE from data` [CHAT-LINE-6]; anything else it sends is kept
// as a bad line, for the check to judge.
import { randomBytes } from 'node:crypto';
import { LineSplitter, formatChatLine, isChatParseError, parseChatLine, type ChatCommand } from '../../proto/index.js';
import { Peer, type WaitOptions } from './peer.js';
import type { Socket } from 'node:net';
import type { Transcript } from './transcript.js';

export interface ChatLine {
  /** The line as sent, terminator removed, decoded leniently (for the transcript and messages). */
  text: string;
  /** The command, when the line is one a server may send. */
  command: ChatCommand | null;
  /** Why it is not, otherwise. */
  problem: string | null;
}

type Receive = Extract<ChatCommand, { command: 'RECEIVE' }>;

/** The data of a barrier's SEND to oneself: nothing a check sends looks like it. */
const BARRIER_PREFIX = 'tb-barrier ';
const BARRIER_MARKER = /^tb-barrier [0-9a-f]{12}$/;

export class ChatPeer extends Peer<ChatLine> {
  /** Lines of more than 1 MiB from a server are not CHAT/1.0 either: reading stops there. */
  private readonly splitter = new LineSplitter({ maxLineBytes: 1 << 20 });
  /** The name this connection logged in as, once it did. */
  loggedInAs: string | null = null;

  constructor(name: string, socket: Socket, transcript: Transcript, timeoutMs: number) {
    super(name, socket, transcript, timeoutMs);
  }

  protected decode(chunk: Buffer): ChatLine[] {
    const lines: ChatLine[] = [];
    for (const event of this.splitter.push(chunk)) {
      if (event.kind !== 'line') throw new Error(`a line of over ${event.bytes} bytes`);
      const text = Buffer.from(event.line).toString('utf8');
      const parsed = parseChatLine(event.line);
      if (isChatParseError(parsed)) lines.push({ text, command: null, problem: `${parsed.error}: ${parsed.reason}` });
      else if (parsed.command !== 'RECEIVE') lines.push({ text, command: parsed, problem: 'a server sends RECEIVE lines only' });
      else lines.push({ text, command: parsed, problem: null });
    }
    return lines;
  }

  describe(line: ChatLine): string {
    return line.problem === null ? JSON.stringify(line.text) : `${JSON.stringify(line.text)} (${line.problem})`;
  }

  protected summary(lines: readonly ChatLine[]): string {
    const shown = lines.slice(-5).map((l) => JSON.stringify(l.text)).join(', ');
    return `${lines.length} line(s)${lines.length > 5 ? ', the last 5' : ''}: ${shown}`;
  }

  /** Sends one command, formatted canonically. */
  send(command: ChatCommand): void {
    const line = formatChatLine(command);
    this.write(Buffer.from(line, 'utf8'), JSON.stringify(line));
    if (command.command === 'LOGIN') this.loggedInAs = command.name;
  }

  /** Sends bytes as they are: a malformed line, a line without its terminator, several lines at once. */
  sendRaw(bytes: string | Uint8Array): void {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    this.write(buffer, JSON.stringify(Buffer.from(buffer).toString('utf8')));
  }

  /** The next `RECEIVE from data` with exactly this sender and data. */
  async expectReceive(from: string, data: string, options: WaitOptions = {}): Promise<void> {
    await this.take((l) => isReceive(l, from, data), `the line ${JSON.stringify(formatChatLine({ command: 'RECEIVE', from, data }).slice(0, -1))}`, options);
  }

  /**
   * A round trip the server must answer after every line this connection sent before it: a SEND to
   * its own name with a fresh marker [D-CONFORM]. Needs a logged-in connection.
   */
  async barrier(options: WaitOptions = {}): Promise<void> {
    const name = this.loggedInAs;
    if (name === null) throw new Error('a CHAT/1.0 barrier needs a logged-in connection');
    const marker = `${BARRIER_PREFIX}${randomBytes(6).toString('hex')}`;
    this.send({ command: 'SEND', name, data: marker });
    await this.expectReceive(name, marker, options);
  }

  /**
   * Lines received and not taken (RECEIVEs nobody waited for, bad lines), less the barrier markers
   * of other connections logged in under the same name: a SEND to oneself reaches them all.
   */
  leftovers(): ChatLine[] {
    return this.inbox.filter((l) => !(l.problem === null && l.command?.command === 'RECEIVE' && BARRIER_MARKER.test(l.command.data)));
  }
}

export function isReceive(line: ChatLine, from: string, data: string): boolean {
  const c = line.command as Receive | null;
  return line.problem === null && c !== null && c.from === from && c.data === data;
}

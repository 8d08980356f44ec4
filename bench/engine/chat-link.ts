// One generator-side CHAT/1.0 connection: a socket, a line splitter and a callback per parsed line,
// the CHAT/1.0 counterpart of im-link.ts. Lines go out through the protocol core's formatChatLine, so
// the generator only ever sends the canonical form [CHAT-LINE-6].
import { Link, openSocket, type ConnectOptions, type OpenedSocket } from './link.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, formatChatLine, isChatParseError, parseChatLine, type ChatCommand } from '../../proto/index.js';

export interface ChatLinkOptions extends ConnectOptions {
  /** Longest line accepted from the server (default 4096, the protocol's own limit). */
  maxLineBytes?: number;
}

export class ChatLink extends Link {
  onLine: (command: ChatCommand) => void = () => undefined;
  /**
   * A line from the server that did not parse (or was too long), by kind: dropped, not fatal (unlike an
   * IM frame, a bad line does not desynchronise the stream), and counted as an error [D-VERDICT].
   */
  onBadLine: (kind: string) => void = () => undefined;
  /** After the lines of one read have been handled. */
  onLinesDone: () => void = () => undefined;
  private readonly splitter: LineSplitter;

  private constructor(opened: OpenedSocket, options: ChatLinkOptions) {
    super(opened);
    this.splitter = new LineSplitter({ maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
  }

  static async open(options: ChatLinkOptions): Promise<ChatLink> {
    return new ChatLink(await openSocket(options), options);
  }

  protected receive(chunk: Buffer): void {
    const events = this.splitter.push(chunk);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.kind !== 'line') { this.onBadLine('LINE_TOO_LONG'); continue; }
      const command = parseChatLine(event.line);
      if (isChatParseError(command)) this.onBadLine(command.error);
      else this.onLine(command);
    }
    this.onLinesDone();
  }

  /**
   * Sends commands, in order, in one write: lines that belong together (GROUP and the markers after it)
   * then leave in one segment where they fit. Throws ProtocolError INVALID_FIELD for a value no line
   * can carry (a name with a space): a bug in the scenario, not a server problem.
   */
  send(...commands: ChatCommand[]): void {
    this.write(commands.length === 1 ? formatChatLine(commands[0]!) : commands.map(formatChatLine).join(''));
  }
}

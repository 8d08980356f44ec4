// One generator-side CHAT/1.0 connection: a socket, a line splitter and a callback per parsed line,
// the CHAT/1.0 counterpart of im-link.ts. Lines go out through the protocol core's formatChatLine, so
// the generator only ever sends the canonical form [CHAT-LINE-6].
import { connect, type Socket } from 'node:net';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, formatChatLine, isChatParseError, parseChatLine, type ChatCommand } from '../../proto/index.js';

export interface ChatLinkOptions {
  host: string;
  port: number;
  localAddress?: string;
  /** Give up connecting after this long. */
  connectTimeoutMs: number;
  /** Longest line accepted from the server (default 4096, the protocol's own limit). */
  maxLineBytes?: number;
}

export class ChatLink {
  closed = false;
  /** Why the connection ended, once it has. */
  closeReason = '';
  /**
   * Lines from the server that did not parse (or were too long). They are dropped, not fatal: unlike an
   * IM frame, a bad line does not desynchronise the stream, and whatever it should have carried shows
   * up as a lost delivery. Counted for whoever wants to look.
   */
  badLines = 0;
  onLine: (command: ChatCommand) => void = () => undefined;
  /** After the lines of one read have been handled. */
  onLinesDone: () => void = () => undefined;
  onClose: (reason: string) => void = () => undefined;
  private readonly splitter: LineSplitter;
  private intentional = false;

  private constructor(readonly socket: Socket, options: ChatLinkOptions) {
    this.splitter = new LineSplitter({ maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
    socket.on('data', (chunk: Buffer) => {
      const events = this.splitter.push(chunk);
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        if (event.kind !== 'line') { this.badLines++; continue; }
        const command = parseChatLine(event.line);
        if (isChatParseError(command)) this.badLines++;
        else this.onLine(command);
      }
      this.onLinesDone();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.noteReason(err.code ?? err.message));
    socket.on('end', () => this.noteReason('closed by the server'));
    socket.on('close', () => {
      this.closed = true;
      this.noteReason(this.intentional ? 'closed by the generator' : 'connection lost');
      this.onClose(this.closeReason);
    });
  }

  /** Connects; rejects with the socket error (ECONNREFUSED, ETIMEDOUT...) when it cannot. */
  static open(options: ChatLinkOptions): Promise<ChatLink> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port, localAddress: options.localAddress, noDelay: true });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), options.connectTimeoutMs);
      socket.once('error', (err) => { clearTimeout(timer); reject(err); });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ChatLink(socket, options));
      });
    });
  }

  /**
   * Sends commands, in order, in one write: lines that belong together (GROUP and the markers after it)
   * then leave in one segment where they fit. Throws ProtocolError INVALID_FIELD for a value no line
   * can carry (a name with a space): a bug in the scenario, not a server problem.
   */
  send(...commands: ChatCommand[]): void {
    if (this.closed) return;
    this.socket.write(commands.length === 1 ? formatChatLine(commands[0]!) : commands.map(formatChatLine).join(''));
  }

  /** Ends the connection from our side (the end of a run, or a user given up on). */
  close(): void {
    this.intentional = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private noteReason(reason: string): void {
    if (this.closeReason === '') this.closeReason = reason;
  }
}

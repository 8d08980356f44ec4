// One CHAT/1.0 connection: lines in, commands handled in order. Bad lines are discarded, the
// connection stays open, and each kind of bad line is logged once [D-CHATLINE].
import type { Socket } from 'node:net';
import { LineSplitter, isChatParseError, parseChatLine, type ChatCommand, type SplitEvent } from '../../proto/index.js';
import type { Logger } from '../log.js';
import type { ManagedConnection } from '../transport/listener.js';
import { PeerConnection } from '../transport/peer-connection.js';
import type { ChatCommandHandler } from './chat-command.js';
import type { ChatHub } from './chat-hub.js';

export interface ChatConfig {
  maxLineBytes: number;
  maxOutboundBytes: number;
  /** A connection that has not logged in this long after connecting is closed; logged-in ones rely on TCP keepalive. */
  idleTimeoutMs: number;
}

/** TCP keepalive for logged-in connections: CHAT/1.0 has no heartbeat of its own. */
const KEEPALIVE_MS = 30_000;

export class ChatConnection implements ManagedConnection {
  readonly peer: PeerConnection;
  name: string | null = null;
  private readonly splitter: LineSplitter;

  constructor(
    socket: Socket,
    log: Logger,
    private readonly config: ChatConfig,
    private readonly hub: ChatHub,
    private readonly handlers: ReadonlyMap<string, ChatCommandHandler>,
  ) {
    this.peer = new PeerConnection(socket, log, config.maxOutboundBytes);
    this.splitter = new LineSplitter({ maxLineBytes: config.maxLineBytes });
    socket.setKeepAlive(true, KEEPALIVE_MS);
    socket.on('data', (chunk) => this.onData(chunk));
    // A half-close ends the last line, `\n` or not (`printf 'CHAT/1.0 SEND bob hi' | nc`) [CHAT-LINE-1]:
    // handled here, before the peer connection flushes and ends our side.
    socket.on('end', () => this.handle(this.splitter.end()));
    this.peer.onClose(() => { if (this.name !== null) hub.part(this.name, this); });
  }

  /**
   * A connection must LOGIN within the idle timeout of connecting, whatever else it sends; once
   * logged in it stays until its peer leaves (CHAT/1.0 has no heartbeat) [CHAT-LOGIN-3].
   */
  expiry(now: number): string | null {
    const limit = this.config.idleTimeoutMs;
    return this.name === null && now - this.peer.connectedAt > limit ? `idle: not logged in within ${limit} ms` : null;
  }

  private onData(chunk: Buffer): void {
    this.peer.lastReceivedAt = performance.now();
    this.handle(this.splitter.push(chunk));
  }

  private handle(events: readonly SplitEvent[]): void {
    for (const event of events) {
      if (this.peer.closing) return;
      if (event.kind === 'too-long') {
        this.peer.logOnce('LINE_TOO_LONG', `discarded a line of ${event.bytes} bytes, over the ${this.config.maxLineBytes}-byte limit`, 'warn');
        continue;
      }
      const parsed = parseChatLine(event.line);
      if (isChatParseError(parsed)) {
        this.peer.logOnce(parsed.error, `discarded a bad line: ${parsed.error}: ${parsed.reason}`, 'warn');
        continue;
      }
      this.execute(parsed);
    }
  }

  private execute(command: ChatCommand): void {
    const handler = this.handlers.get(command.command);
    if (!handler) {
      // RECEIVE is a server's line; a client sending it is confused, not malicious.
      this.peer.logOnce(`FROM_CLIENT:${command.command}`, `discarded ${command.command}: only servers send it`, 'warn');
      return;
    }
    if (handler.requiresLogin && this.name === null) {
      this.peer.logOnce('NOT_LOGGED_IN', `discarded ${command.command} before LOGIN`, 'warn');
      return;
    }
    (handler.handle as (c: ChatCommand, conn: ChatConnection, hub: ChatHub) => void)(command, this, this.hub);
  }
}

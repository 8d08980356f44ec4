// A minimal CHAT/1.0 client over one TCP connection: write lines, await parsed lines.
import { connect, type Socket } from 'node:net';
import { LineSplitter, formatChatLine, isChatParseError, parseChatLine, type ChatCommand } from '../proto/index.js';

export class ChatClient {
  readonly received: ChatCommand[] = [];
  closed = false;
  private readonly splitter = new LineSplitter({ maxLineBytes: 1 << 20 });
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      for (const event of this.splitter.push(chunk)) {
        if (event.kind !== 'line') continue;
        const parsed = parseChatLine(event.line);
        if (!isChatParseError(parsed)) this.received.push(parsed);
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => { this.closed = true; this.wake(); });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<ChatClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => { socket.off('error', reject); resolve(new ChatClient(socket)); });
    });
  }

  send(command: ChatCommand): void {
    this.socket.write(formatChatLine(command));
  }

  sendRaw(bytes: string | Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Waits until `predicate` holds over what was received (or the connection closed); rejects after `timeoutMs`. */
  async until(predicate: (client: ChatClient) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

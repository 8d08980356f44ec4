// A TCP listener for one protocol: accepts, keeps serving at the open-file limit, sweeps idle
// connections on one timer, and closes everything on shutdown.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../log.js';
import type { ConnectionBudget } from './connection-budget.js';
import type { PeerConnection } from './peer-connection.js';

export interface ManagedConnection {
  readonly peer: PeerConnection;
  /** Why this connection should be closed at `now` (performance.now()), or null to keep it. */
  expiry(now: number): string | null;
}

export class Listener<C extends ManagedConnection> {
  readonly connections = new Set<C>();
  private readonly server: Server;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly name: string,
    private readonly log: Logger,
    private readonly accept: (socket: Socket) => C,
    private readonly sweepEveryMs: number,
    private readonly budget: ConnectionBudget,
  ) {
    this.server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.onSocket(socket));
  }

  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => reject(err);
      this.server.once('error', fail);
      this.server.listen({ host, port, backlog: 4096 }, () => {
        this.server.off('error', fail);
        this.server.on('error', (err: NodeJS.ErrnoException) => this.onAcceptError(err));
        resolve();
      });
    });
    this.sweeper = setInterval(() => this.sweepIdle(), this.sweepEveryMs);
    this.sweeper.unref();
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error(`${this.name}: no TCP address`);
    return { host: address.address, port: address.port };
  }

  /** Stops accepting; existing connections are left to the caller (see allClosed). */
  stopAccepting(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.server.listening) this.server.close();
  }

  /** Resolves once every connection has emitted 'close'. */
  allClosed(): Promise<void> {
    return Promise.all([...this.connections].map((c) => new Promise<void>((resolve) => {
      if (c.peer.socket.closed) resolve();
      else c.peer.onClose(() => resolve());
    }))).then(() => undefined);
  }

  private onSocket(socket: Socket): void {
    if (!this.budget.admit()) {
      socket.destroy();
      return;
    }
    const connection = this.accept(socket);
    this.connections.add(connection);
    connection.peer.onClose(() => {
      this.connections.delete(connection);
      this.budget.released();
    });
  }

  private onAcceptError(err: NodeJS.ErrnoException): void {
    // libuv keeps listening after EMFILE (it sheds the pending connection): the budget logs it once.
    if (err.code === 'EMFILE' || err.code === 'ENFILE') this.budget.acceptFailed(err.code);
    else this.log.error(`accept failed: ${err.message}`);
  }

  private sweepIdle(): void {
    const now = performance.now();
    for (const connection of this.connections) {
      const reason = connection.expiry(now);
      if (reason !== null) connection.peer.destroy(reason);
    }
  }
}

// Connections under the open-file limit [SRV-CONN-1]. libuv sheds connections it cannot accept for
// lack of descriptors without telling Node (its EMFILE trick), so the server keeps its own count: past
// the budget a new connection is closed at once, the condition is logged once (not per attempt), and
// its end is logged when a connection is accepted again. The reserve keeps descriptors for the store,
// the listeners, uploads in progress and Node itself.
import { openFileLimit } from '../../util/open-file-limit.js';
import type { Logger } from '../log.js';

export const RESERVED_DESCRIPTORS = 64;

export class ConnectionBudget {
  open = 0;
  private refused = 0;
  private atLimit = false;

  constructor(readonly limit: number, private readonly log: Logger) {}

  static forThisProcess(log: Logger): ConnectionBudget {
    const files = openFileLimit();
    return new ConnectionBudget(files === null ? Number.MAX_SAFE_INTEGER : Math.max(1, files - RESERVED_DESCRIPTORS), log);
  }

  /** A connection was accepted: true to keep it, false to close it at once. */
  admit(): boolean {
    if (this.open >= this.limit) {
      this.refused++;
      if (!this.atLimit) {
        this.atLimit = true;
        this.log.warn(`open-file limit reached: ${this.open} connections open (limit ${this.limit}, ${RESERVED_DESCRIPTORS} descriptors kept in reserve); serving them and refusing new ones until some close`);
      }
      return false;
    }
    if (this.atLimit) {
      this.log.warn(`accepting again; ${this.refused} connection attempt(s) failed at the open-file limit`);
      this.atLimit = false;
      this.refused = 0;
    }
    this.open++;
    return true;
  }

  /** libuv reported EMFILE itself (descriptors used elsewhere): same condition, same single line. */
  acceptFailed(code: string): void {
    this.refused++;
    if (!this.atLimit) {
      this.atLimit = true;
      this.log.warn(`accept failed: ${code} (open-file limit reached); serving the ${this.open} connections open, accepting again when descriptors free up`);
    }
  }

  released(): void {
    this.open--;
  }
}

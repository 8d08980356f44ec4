// The IM side: a listener whose connections feed the request dispatcher.
import type { Logger } from '../log.js';
import type { ConnectionBudget } from '../transport/connection-budget.js';
import { Listener } from '../transport/listener.js';
import { createDispatcher } from './dispatch.js';
import { IM_HANDLERS } from './handlers/index.js';
import { ImConnection } from './im-connection.js';
import type { ImHub } from './im-hub.js';

export function createImListener(hub: ImHub, log: Logger, budget: ConnectionBudget): Listener<ImConnection> {
  const dispatch = createDispatcher(IM_HANDLERS, hub);
  const sweepEveryMs = Math.min(1000, Math.max(50, hub.config.idleTimeoutMs / 4));
  return new Listener('im', log, (socket) => {
    const connection = new ImConnection(socket, log, hub.config, dispatch);
    connection.peer.onClose((reason) => hub.wentOffline(connection, reason));
    return connection;
  }, sweepEveryMs, budget);
}

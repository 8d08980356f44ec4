// The CHAT/1.0 side: a listener whose connections share one hub.
import type { Logger } from '../log.js';
import type { ConnectionBudget } from '../transport/connection-budget.js';
import { Listener } from '../transport/listener.js';
import { CHAT_COMMAND_HANDLERS } from './commands/index.js';
import { ChatConnection, type ChatConfig } from './chat-connection.js';
import { ChatHub } from './chat-hub.js';

export function createChatListener(config: ChatConfig, log: Logger, budget: ConnectionBudget): Listener<ChatConnection> {
  const hub = new ChatHub();
  const sweepEveryMs = Math.min(1000, Math.max(50, config.idleTimeoutMs / 4));
  return new Listener('chat', log, (socket) => new ChatConnection(socket, log, config, hub, CHAT_COMMAND_HANDLERS), sweepEveryMs, budget);
}

// The shape of one CHAT/1.0 command handler: one file per command, listed in commands/index.ts.
import type { ChatCommand } from '../../proto/index.js';
import type { ChatConnection } from './chat-connection.js';
import type { ChatHub } from './chat-hub.js';

export interface ChatCommandHandler<C extends ChatCommand['command'] = ChatCommand['command']> {
  command: C;
  /** Before LOGIN the command is discarded and logged once [CHAT-LOGIN-2]. */
  requiresLogin: boolean;
  handle(command: Extract<ChatCommand, { command: C }>, connection: ChatConnection, hub: ChatHub): void;
}

export function defineChatCommand<C extends ChatCommand['command']>(handler: ChatCommandHandler<C>): ChatCommandHandler<C> {
  return handler;
}

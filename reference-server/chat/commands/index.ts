// Every CHAT/1.0 command a client may send. RECEIVE is absent on purpose: only servers send it.
import type { ChatCommandHandler } from '../chat-command.js';
import { broadcast } from './broadcast.js';
import { group } from './group.js';
import { leave } from './leave.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { send } from './send.js';

export const CHAT_COMMAND_HANDLERS = new Map<string, ChatCommandHandler>(
  ([login, logout, send, group, leave, broadcast] as unknown as ChatCommandHandler[]).map((h) => [h.command, h]),
);

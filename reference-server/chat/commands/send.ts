// SEND name data: `RECEIVE sender data` to every connection logged in as `name`. Nobody under that
// name: the line is dropped, as in the original [CHAT-SEND-1, CHAT-SEND-2].
import { defineChatCommand } from '../chat-command.js';

export const send = defineChatCommand({
  command: 'SEND',
  requiresLogin: true,
  handle({ name, data }, connection, hub) {
    if (hub.deliver([name], connection.name!, data) === 0) {
      connection.peer.logOnce('SEND_NOBODY', `SEND to ${name}, who is not logged in: dropped`, 'debug');
    }
  },
});

// LEAVE group: the sender's name leaves the group; the last one out deletes it [CHAT-GROUP-2].
import { defineChatCommand } from '../chat-command.js';

export const leave = defineChatCommand({
  command: 'LEAVE',
  requiresLogin: true,
  handle({ group }, connection, hub) {
    if (!hub.leaveGroup(group, connection.name!)) {
      connection.peer.logOnce('LEAVE_NOT_MEMBER', `LEAVE ${group}: ${connection.name} is not a member`, 'debug');
    }
  },
});

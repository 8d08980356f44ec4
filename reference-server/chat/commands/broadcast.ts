// BROADCAST group data: `RECEIVE sender data` to every connection of every member but the sender
// [CHAT-GROUP-3]. Anyone logged in may broadcast to an existing group, as in the original.
import { defineChatCommand } from '../chat-command.js';

export const broadcast = defineChatCommand({
  command: 'BROADCAST',
  requiresLogin: true,
  handle({ group, data }, connection, hub) {
    const members = hub.members(group);
    if (!members) {
      connection.peer.logOnce('NO_GROUP', `BROADCAST to ${group}, which does not exist: dropped`, 'debug');
      return;
    }
    const sender = connection.name!;
    const others = [...members].filter((m) => m !== sender);
    hub.deliver(others, sender, data);
  },
});

// GROUP group member...: creates the group, or adds to it; the sender is a member too [CHAT-GROUP-1].
import { defineChatCommand } from '../chat-command.js';

export const group = defineChatCommand({
  command: 'GROUP',
  requiresLogin: true,
  handle({ group: name, members }, connection, hub) {
    hub.addToGroup(name, [connection.name!, ...members]);
  },
});

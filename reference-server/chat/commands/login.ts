// LOGIN name: the connection now speaks as `name`; a second LOGIN renames it [CHAT-LOGIN-1].
import { defineChatCommand } from '../chat-command.js';

export const login = defineChatCommand({
  command: 'LOGIN',
  requiresLogin: false,
  handle({ name }, connection, hub) {
    if (connection.name !== null) hub.part(connection.name, connection);
    connection.name = name;
    hub.join(name, connection);
    connection.peer.log.info(`logged in as ${name}`);
  },
});

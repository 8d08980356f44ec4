// LOGOUT: the session ends and the server closes the connection, logged in or not [CHAT-LOGOUT-1].
import { defineChatCommand } from '../chat-command.js';

export const logout = defineChatCommand({
  command: 'LOGOUT',
  requiresLogin: false,
  handle(_command, connection) {
    connection.peer.close(connection.name === null ? 'LOGOUT' : `${connection.name} logged out`);
  },
});

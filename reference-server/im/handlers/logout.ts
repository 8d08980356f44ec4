// 7 UserOfflineRequest: online friends get 8, then the server closes the connection [IM-LOGOUT-1].
// The offline notice itself is sent by ImHub.wentOffline, which every way of leaving goes through.
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';

export const logout = defineHandler({
  id: MessageId.UserOfflineRequest,
  requiresLogin: true,
  handle(_request, connection, hub) {
    hub.wentOffline(connection, 'logged out');
    connection.peer.close('logged out', 'debug');
  },
});

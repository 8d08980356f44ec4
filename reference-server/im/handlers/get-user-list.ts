// 15 GetUserListRequest -> 16 GetUserListResponse: registered users ordered by id, at most
// --max-user-list of them, each with its current status [IM-USERS-1].
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS } from '../results.js';

export const getUserList = defineHandler({
  id: MessageId.GetUserListRequest,
  requiresLogin: true,
  handle(_request, connection, hub) {
    const users = hub.store.listUsers(hub.config.maxUserList).map((u) => hub.userInfo(u));
    connection.send(MessageId.GetUserListResponse, { Result: SUCCESS, UserList: users });
  },
});

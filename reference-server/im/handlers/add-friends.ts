// 17 AddFriendsRequest -> 18 AddFriendsResponse: every listed user becomes a friend both ways, or
// none does [IM-FRIENDS-2]. Already being friends is not an error.
import { MessageId, ResultCode, type ResultCodeValue } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS, refuse } from '../results.js';

export const addFriends = defineHandler({
  id: MessageId.AddFriendsRequest,
  requiresLogin: true,
  handle(request, connection, hub) {
    const userId = connection.userId!;
    const ids = [...new Set(request.UserIDList)];
    const fail = (code: ResultCodeValue, reason: string) => refuse(connection, MessageId.AddFriendsRequest, { code, reason });
    if (ids.length === 0) return fail(ResultCode.Failure, 'UserIDList is empty');
    if (ids.includes(userId)) return fail(ResultCode.Failure, 'a user cannot befriend itself');
    const unknown = ids.find((id) => !hub.store.getUser(id));
    if (unknown !== undefined) return fail(ResultCode.UserNotExists, `no user ${JSON.stringify(unknown)}`);
    hub.store.addFriendships(userId, ids);
    connection.send(MessageId.AddFriendsResponse, { Result: SUCCESS });
  },
});

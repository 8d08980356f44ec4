// 5 GetFriendsRequest -> 6 GetFriendsResponse: the session user's friends with their current status.
// The request's UserID is ignored: a session sees its own friends only [IM-FRIENDS-1].
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS } from '../results.js';

export const getFriends = defineHandler({
  id: MessageId.GetFriendsRequest,
  requiresLogin: true,
  handle(_request, connection, hub) {
    const friends = hub.store.friends(connection.userId!).map((u) => hub.userInfo(u));
    connection.send(MessageId.GetFriendsResponse, { Result: SUCCESS, Friends: friends });
  },
});

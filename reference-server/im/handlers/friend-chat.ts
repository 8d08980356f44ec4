// 13 FriendChatRequest: the receiver gets 14, now or at its next login [IM-CHAT-1..4]. The sender is
// the session user whatever FromUserID says, and the receiver must be a friend. No reply [D-REPLY].
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { refuse } from '../results.js';

export const friendChat = defineHandler({
  id: MessageId.FriendChatRequest,
  requiresLogin: true,
  handle(request, connection, hub) {
    const from = connection.userId!;
    const to = request.ToUserID;
    if (!hub.store.areFriends(from, to)) {
      refuse(connection, MessageId.FriendChatRequest, { kind: 'NOT_A_FRIEND', reason: `chat to ${JSON.stringify(to)}, who is not a friend of ${from}` });
      return;
    }
    hub.deliverChat(from, to, request.Content);
  },
});

// 9 ChangeStatusRequest: stored, and online friends get 10. No reply to the requester [D-REPLY].
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { refuse } from '../results.js';
import { isChoosableStatus } from '../validate.js';

export const changeStatus = defineHandler({
  id: MessageId.ChangeStatusRequest,
  requiresLogin: true,
  handle(request, connection, hub) {
    if (!isChoosableStatus(request.Status)) {
      refuse(connection, MessageId.ChangeStatusRequest, { kind: 'BAD_STATUS', reason: `status ${request.Status} is not one of 1-5 (use logout to go offline)` });
      return;
    }
    const userId = connection.userId!;
    connection.status = request.Status;
    hub.store.setStatus(userId, request.Status);
    hub.pushToOnlineFriends(userId, MessageId.ChangeStatusNotice, { UserID: userId, Status: request.Status });
  },
});

// 1 LoginRequest -> 2 LoginResponse [IM-LOGIN-1..5]. On success online friends get 10 and the user
// gets the chats stored while away.
import { MessageId, ResultCode, UserStatus, type ResultCodeValue } from '../../../proto/index.js';
import { verifyPassword } from '../../auth/password.js';
import { defineHandler } from '../handler.js';
import { SUCCESS, refuse } from '../results.js';
import { isChoosableStatus } from '../validate.js';

export const login = defineHandler({
  id: MessageId.LoginRequest,
  requiresLogin: false,
  async handle(request, connection, hub) {
    const reply = (code: ResultCodeValue, reason: string) => refuse(connection, MessageId.LoginRequest, { code, reason });
    if (connection.userId !== null) {
      reply(ResultCode.RepeatLogin, `this connection is already logged in as ${connection.userId}`);
      return;
    }
    const user = hub.store.getUser(request.UserID);
    if (!user) {
      reply(ResultCode.UserNotExists, `no user ${JSON.stringify(request.UserID)}`);
      return;
    }
    if (!(await verifyPassword(request.Password, user.passwordHash))) {
      reply(ResultCode.WrongPassword, 'wrong password');
      return;
    }
    // Checked after the (asynchronous) hash: another connection may have logged in meanwhile.
    if (hub.online.has(user.userId)) {
      reply(ResultCode.RepeatLogin, `${user.userId} is already logged in on another connection`);
      return;
    }
    if (connection.peer.closing) return;
    const status = isChoosableStatus(request.Status) ? request.Status : UserStatus.Online;
    hub.wentOnline(connection, user, status);
    connection.send(MessageId.LoginResponse, { Result: SUCCESS, User: hub.userInfo(user) });
    connection.peer.log.info(`${user.userId} logged in`);
    hub.pushToOnlineFriends(user.userId, MessageId.ChangeStatusNotice, { UserID: user.userId, Status: status });
    hub.track(hub.deliverPending(connection)).catch((err: Error) => connection.peer.destroy(`delivering stored chats failed: ${err.message}`, 'warn'));
  },
});

// 3 RegisterRequest -> 4 RegisterResponse [IM-REG-1..4]. The password is stored only as a scrypt hash.
import { randomBytes } from 'node:crypto';
import { MessageId, ResultCode, UserStatus, type ResultCodeValue } from '../../../proto/index.js';
import { hashPassword } from '../../auth/password.js';
import { defineHandler } from '../handler.js';
import { SUCCESS, refuse } from '../results.js';
import { LIMITS, textProblem, userIdProblem } from '../validate.js';

export const register = defineHandler({
  id: MessageId.RegisterRequest,
  requiresLogin: false,
  async handle(request, connection, hub) {
    const reply = (code: ResultCodeValue, reason: string) => refuse(connection, MessageId.RegisterRequest, { code, reason });
    const problem = userIdProblem(request.UserID)
      ?? (request.Password.length === 0 ? 'Password is empty' : null)
      ?? (Buffer.byteLength(request.Password) > LIMITS.passwordBytes ? `Password is longer than ${LIMITS.passwordBytes} bytes` : null)
      ?? textProblem('NickName', request.NickName, LIMITS.nickNameChars)
      ?? textProblem('Signature', request.Signature, LIMITS.signatureChars)
      ?? (request.HeadImageData.length > LIMITS.avatarBytes ? `HeadImageData is larger than ${LIMITS.avatarBytes} bytes` : null);
    if (problem) {
      reply(ResultCode.Failure, problem);
      return;
    }
    // Checked before hashing to spare the CPU, and again by the insert, which alone is authoritative.
    if (hub.store.getUser(request.UserID)) {
      reply(ResultCode.UserExists, `user ${JSON.stringify(request.UserID)} exists`);
      return;
    }
    const passwordHash = await hashPassword(request.Password, hub.config.scryptCost);
    let headImageUrl = '';
    if (request.HeadImageData.length > 0) {
      const storedName = randomBytes(16).toString('hex');
      await hub.blobs.put('avatar', storedName, request.HeadImageData);
      hub.store.insertFile({
        storedName, kind: 'avatar', owner: request.UserID, toUser: '', userType: 0,
        fileName: 'avatar', size: request.HeadImageData.length, createdAt: Date.now(),
      });
      // Stored as a path: the URL is built on the way out, so it follows --public-url and the port.
      headImageUrl = hub.resourcePath('avatar', storedName);
    }
    const inserted = hub.store.insertUser({
      userId: request.UserID,
      passwordHash,
      nickName: request.NickName,
      signature: request.Signature,
      headImageUrl,
      createTime: Math.floor(Date.now() / 1000),
      status: UserStatus.Online,
    });
    if (!inserted) {
      reply(ResultCode.UserExists, `user ${JSON.stringify(request.UserID)} exists`);
      return;
    }
    connection.send(MessageId.RegisterResponse, { Result: SUCCESS });
    connection.peer.log.info(`registered ${request.UserID}`);
  },
});

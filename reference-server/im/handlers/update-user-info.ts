// 11 UpdateUserInfoRequest -> 12 UpdateUserInfoResponse: NickName, Signature and HeadImageUrl of the
// session user. UserID, CreateTime and Status in the request are ignored [IM-INFO-1].
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS, refuse } from '../results.js';
import { LIMITS, textProblem } from '../validate.js';

export const updateUserInfo = defineHandler({
  id: MessageId.UpdateUserInfoRequest,
  requiresLogin: true,
  handle(request, connection, hub) {
    if (!request.User) {
      refuse(connection, MessageId.UpdateUserInfoRequest, { reason: 'User (field 2) is missing' });
      return;
    }
    const profile = {
      nickName: request.User.NickName ?? '',
      signature: request.User.Signature ?? '',
      headImageUrl: request.User.HeadImageUrl ?? '',
    };
    const problem = textProblem('NickName', profile.nickName, LIMITS.nickNameChars)
      ?? textProblem('Signature', profile.signature, LIMITS.signatureChars)
      ?? textProblem('HeadImageUrl', profile.headImageUrl, LIMITS.headImageUrlChars);
    if (problem) {
      refuse(connection, MessageId.UpdateUserInfoRequest, { reason: problem });
      return;
    }
    hub.store.updateProfile(connection.userId!, profile);
    connection.send(MessageId.UpdateUserInfoResponse, { Result: SUCCESS });
  },
});

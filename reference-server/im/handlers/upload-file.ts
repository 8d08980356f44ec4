// 21 UploadFileRequest -> 22 UploadFileResponse [IM-FILE-1..3]. The bytes are stored under a name the
// server draws; the client's fileName is only shown, never used as a path. DownUrl serves them over HTTP.
import { randomBytes } from 'node:crypto';
import { MessageId, ResultCode } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS, refuse } from '../results.js';
import { displayFileName } from '../validate.js';

/** Keeps a short, plain extension so downloads open with the right program; anything else is dropped. */
function storedNameFor(fileName: string): string {
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(fileName)?.[1]?.toLowerCase();
  return randomBytes(16).toString('hex') + (ext ? `.${ext}` : '');
}

export const uploadFile = defineHandler({
  id: MessageId.UploadFileRequest,
  requiresLogin: true,
  async handle(request, connection, hub) {
    const owner = connection.userId!;
    if (request.ToUserID !== '' && !hub.store.getUser(request.ToUserID)) {
      refuse(connection, MessageId.UploadFileRequest, { code: ResultCode.UserNotExists, reason: `no user ${JSON.stringify(request.ToUserID)}` });
      return;
    }
    const fileName = displayFileName(request.fileName);
    const storedName = storedNameFor(fileName);
    await hub.blobs.put('file', storedName, request.Data);
    hub.store.insertFile({
      storedName, kind: 'file', owner, toUser: request.ToUserID, userType: request.UserType,
      fileName, size: request.Data.length, createdAt: Date.now(),
    });
    connection.send(MessageId.UploadFileResponse, { Result: SUCCESS, FileName: fileName, DownUrl: hub.downloadUrl('file', storedName) });
  },
});

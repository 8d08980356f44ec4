// 23 GetFileListRequest -> 24 GetFileListResponse: the files the session user uploaded or was sent,
// newest first [IM-FILE-4]. The request's UserID and UserType are ignored: a session sees its own.
import { MessageId } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS } from '../results.js';

export const getFileList = defineHandler({
  id: MessageId.GetFileListRequest,
  requiresLogin: true,
  handle(_request, connection, hub) {
    const files = hub.store.filesFor(connection.userId!).map((f) => ({
      UserID: f.owner, FileSize: f.size, FileName: f.fileName, DownUrl: hub.downloadUrl('file', f.storedName),
    }));
    connection.send(MessageId.GetFileListResponse, { Result: SUCCESS, FileList: files });
  },
});

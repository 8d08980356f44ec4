// 19 HeartbeatRequest -> 20 HeartbeatResponse, logged in or not [IM-HEARTBEAT-1]. Any frame keeps a
// connection alive; this one exists for clients with nothing else to say. The reply is encoded once.
import { encodeMessageFrame, MessageId, type FrameLayout } from '../../../proto/index.js';
import { defineHandler } from '../handler.js';
import { SUCCESS } from '../results.js';

const replies = new Map<FrameLayout, Buffer>();

function successFrame(layout: FrameLayout): Buffer {
  let frame = replies.get(layout);
  if (!frame) {
    frame = Buffer.from(encodeMessageFrame(MessageId.HeartbeatResponse, { Result: SUCCESS }, layout));
    replies.set(layout, frame);
  }
  return frame;
}

export const heartbeat = defineHandler({
  id: MessageId.HeartbeatRequest,
  requiresLogin: false,
  handle(_request, connection) {
    connection.sendFrame(successFrame(connection.config.layout));
  },
});

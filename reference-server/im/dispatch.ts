// From a frame to its handler: id check, login check, body decoding, and the refusal each request
// kind gets [D-REPLY]. Requests with a paired response always get it; 7, 9 and 13 have none.
import {
  MessageId, ResultCode, decodeMessage, messageName, responseIdFor,
  type Frame, type MessageIdNumber,
} from '../../proto/index.js';
import type { ImHandler } from './handler.js';
import type { FrameHandler, ImConnection } from './im-connection.js';
import type { ImHub } from './im-hub.js';
import { failure } from './results.js';

export function createDispatcher(handlers: readonly ImHandler[], hub: ImHub): FrameHandler {
  const byId = new Map<number, ImHandler>(handlers.map((h) => [h.id, h]));
  return (connection, frame) => {
    // The decoder refuses every id that is not a request, at its header [IM-FRAME-6].
    const handler = byId.get(frame.id)!;
    let request: unknown;
    try {
      request = decodeMessage(frame.id, frame.body);
    } catch (err) {
      refuse(connection, handler.id, 'UNDECODABLE_BODY', (err as Error).message);
      return;
    }
    if (handler.requiresLogin && connection.userId === null) {
      refuse(connection, handler.id, 'NOT_LOGGED_IN', `${messageName(handler.id)} requires a logged-in session`);
      return;
    }
    const pending = (handler.handle as (r: unknown, c: ImConnection, h: ImHub) => void | Promise<void>)(request, connection, hub);
    return pending && hub.track(pending);
  };
}

/**
 * The refusal of a request [D-REPLY]: its paired response with a Failure result; for a logout, the
 * connection closed; for a status change or a chat, nothing at all, with the reason logged once.
 */
export function refuse(connection: ImConnection, requestId: MessageIdNumber, kind: string, reason: string): void {
  const responseId = responseIdFor(requestId);
  if (responseId !== null) {
    connection.send(responseId, { Result: failure(ResultCode.Failure, reason) });
    connection.peer.log.debug(`refused ${messageName(requestId)}: ${reason}`);
  } else if (requestId === MessageId.UserOfflineRequest) {
    connection.peer.close(`logout refused: ${reason}`);
  } else {
    connection.peer.logOnce(`${requestId}:${kind}`, `ignored ${messageName(requestId)}: ${reason}`);
  }
}

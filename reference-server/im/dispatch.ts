// From a frame to its handler: id check, login check, body decoding, and the refusal each request
// kind gets [D-REPLY]. Requests with a paired response always get it; 7, 9 and 13 have none.
import { decodeMessage, messageName } from '../../proto/index.js';
import type { ImHandler } from './handler.js';
import type { FrameHandler, ImConnection } from './im-connection.js';
import type { ImHub } from './im-hub.js';
import { refuse } from './results.js';

export function createDispatcher(handlers: readonly ImHandler[], hub: ImHub): FrameHandler {
  const byId = new Map<number, ImHandler>(handlers.map((h) => [h.id, h]));
  return (connection, frame) => {
    // The decoder refuses every id that is not a request, at its header [IM-FRAME-6].
    const handler = byId.get(frame.id)!;
    let request: unknown;
    try {
      request = decodeMessage(frame.id, frame.body);
    } catch (err) {
      refuse(connection, handler.id, { kind: 'UNDECODABLE_BODY', reason: (err as Error).message });
      return;
    }
    if (handler.requiresLogin && connection.userId === null) {
      refuse(connection, handler.id, { kind: 'NOT_LOGGED_IN', reason: `${messageName(handler.id)} requires a logged-in session` });
      return;
    }
    const pending = (handler.handle as (r: unknown, c: ImConnection, h: ImHub) => void | Promise<void>)(request, connection, hub);
    return pending && hub.track(pending);
  };
}


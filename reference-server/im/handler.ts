// The shape of one IM request handler: one file per request id, listed in handlers/index.ts.
import type { DecodedMessage, MessageIdNumber } from '../../proto/index.js';
import type { ImConnection } from './im-connection.js';
import type { ImHub } from './im-hub.js';

export interface ImHandler<K extends MessageIdNumber = MessageIdNumber> {
  id: K;
  /** Refused with a failure Result (or, for 7, 9 and 13, without effect) when not logged in [IM-AUTH-1]. */
  requiresLogin: boolean;
  handle(request: DecodedMessage<K>, connection: ImConnection, hub: ImHub): void | Promise<void>;
}

/** Keeps each handler's request type tied to its id. */
export function defineHandler<K extends MessageIdNumber>(handler: ImHandler<K>): ImHandler<K> {
  return handler;
}

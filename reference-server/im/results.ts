// Result values [IM-MSG-4], and the one way a request is refused [D-REPLY]. Msg says why a request
// failed, in words a client author can act on.
import { MessageId, ResultCode, messageName, responseIdFor, type MessageIdNumber, type ResultCodeValue, type im } from '../../proto/index.js';
import type { ImConnection } from './im-connection.js';

export const SUCCESS: im.IResult = { Code: ResultCode.Success };

export function failure(code: ResultCodeValue, message: string): im.IResult {
  return { Code: code, Msg: message };
}

export interface Refusal {
  /** Why, in words a client author can act on: the response's Msg, or the log line. */
  reason: string;
  /** The response's Result code; Failure unless the handler names a better one (WrongPassword...). */
  code?: ResultCodeValue;
  /**
   * A refusal of the protocol's own (UNDECODABLE_BODY, NOT_LOGGED_IN, BAD_STATUS...), not an answer
   * the handler chose: logged, at debug when the requester got a Result, once per connection and
   * kind when it got nothing (7, 9 and 13 have no response).
   */
  kind?: string;
}

/**
 * The refusal of request `requestId` [D-REPLY]: its paired response with a failure Result; for a
 * logout, the connection closed; for a status change or a chat, nothing at all, the reason logged.
 */
export function refuse(connection: ImConnection, requestId: MessageIdNumber, refusal: Refusal): void {
  const responseId = responseIdFor(requestId);
  if (responseId !== null) {
    connection.send(responseId, { Result: failure(refusal.code ?? ResultCode.Failure, refusal.reason) });
    if (refusal.kind !== undefined) connection.peer.log.debug(`refused ${messageName(requestId)}: ${refusal.reason}`);
  } else if (requestId === MessageId.UserOfflineRequest) {
    connection.peer.close(`logout refused: ${refusal.reason}`);
  } else {
    connection.peer.logOnce(`${requestId}:${refusal.kind ?? 'REFUSED'}`, `ignored ${messageName(requestId)}: ${refusal.reason}`);
  }
}

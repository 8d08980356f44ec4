// Result values [IM-MSG-4]. Msg says why a request failed, in words a client author can act on.
import { ResultCode, type MessageIdNumber, type ResultCodeValue, type im } from '../../proto/index.js';
import type { ImConnection } from './im-connection.js';

export const SUCCESS: im.IResult = { Code: ResultCode.Success };

export function failure(code: ResultCodeValue, message: string): im.IResult {
  return { Code: code, Msg: message };
}

/** Every response id whose body has a Result in field 1 (all nine paired responses do). */
export type ResponseId = 2 | 4 | 6 | 12 | 16 | 18 | 20 | 22 | 24;

/** Sends response `id` carrying only a failure Result. */
export function replyFailure(connection: ImConnection, id: ResponseId, code: ResultCodeValue, message: string): void {
  connection.send(id as MessageIdNumber, { Result: failure(code, message) } as never);
}

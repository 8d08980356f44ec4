// What a simulated IM user puts on the wire: every field the original C# client fills, so that a
// server that reads them (the original does) works with the generator [IM-AUTH-2]. The original server
// refuses a registration without an avatar, and AddFriends or UpdateUserInfo without the requester's
// UserID (docs/PROTOCOL.md, the original server's needs).
import { MessageId, ResultCode, UserStatus, decodeMessage, type MessageFields } from '../../proto/index.js';
import type { UserSpec } from '../model/population.js';

/** A 1x1 PNG: the small image the original client always sends as HeadImageData. */
export const AVATAR_PNG = Uint8Array.from(Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3e5f2ad0000000049454e44ae426082',
  'hex',
));

export const CODE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ResultCode).map(([name, code]) => [code, name]));

export const codeName = (code: number): string => CODE_NAMES.get(code) ?? `code ${code}`;

export const registerRequest = (u: UserSpec): MessageFields<typeof MessageId.RegisterRequest> => ({
  UserID: u.name, Password: u.password, NickName: `user ${u.index}`, Signature: 'talkbench', HeadImageData: AVATAR_PNG,
});

export const loginRequest = (u: UserSpec): MessageFields<typeof MessageId.LoginRequest> => ({
  UserID: u.name, Password: u.password, Status: UserStatus.Online,
});

export const updateUserInfoRequest = (u: UserSpec, dueMs: number): MessageFields<typeof MessageId.UpdateUserInfoRequest> => ({
  User: { UserID: u.name, NickName: `user ${u.index}`, Signature: `at ${Math.round(dueMs)}` },
});

/**
 * The server's words on a refusal (Result.Msg), decoded only for failures: a reply's body is a view
 * of the read buffer, so the message is taken now or never.
 */
export function refusalMessage(id: number, body: Uint8Array): string | undefined {
  try {
    const reply = decodeMessage(id, body) as { Result?: { Msg?: string } | null };
    return reply.Result?.Msg || undefined;
  } catch {
    return 'the reply does not decode';
  }
}

// The setup IM checks share: accounts registered and logged in the way the original client does it,
// every field filled that it fills (an avatar at registration, UserID in AddFriends...: see
// docs/ORIGINALS.md), so a check fails for the server's reason, never because of a request the
// original would have refused. A setup step that is refused fails the check, naming the step.
import { MessageId, ResultCode, UserStatus, type UserStatusValue } from '../../proto/index.js';
import type { CheckContext } from '../harness/context.js';
import type { ImPeer } from '../harness/im-peer.js';
import { expectThat } from '../harness/verdicts.js';

/** A 1x1 PNG: the avatar every registration carries (the original refuses a registration without one). */
export const AVATAR = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0f6a8d40000000049454e44ae426082', 'hex');

export interface Account {
  user: string;
  password: string;
  peer: ImPeer;
}

const resultText = (r: { Code?: number | null; Msg?: string | null } | null | undefined): string =>
  r ? `Code ${r.Code ?? 0}${r.Msg ? ` "${r.Msg}"` : ''}` : 'no Result';

/** Registers a fresh user on a new connection (not logged in). */
export async function registered(ctx: CheckContext, tag: string): Promise<Account> {
  const user = ctx.name(tag);
  const password = `pw-${user}`;
  const peer = await ctx.im(tag);
  peer.send(MessageId.RegisterRequest, { UserID: user, Password: password, NickName: tag, Signature: `conformance ${tag}`, HeadImageData: AVATAR });
  const reply = await peer.expect(MessageId.RegisterResponse, { what: `id 4 (RegisterResponse) to the registration of ${user} (setup)` });
  expectThat(reply.Result?.Code === ResultCode.Success, `RegisterResponse Success for a new user ${user} (setup) [IM-REG-1]`, () => resultText(reply.Result));
  return { user, password, peer };
}

/** Logs an account in on its connection. */
export async function logIn(account: Account, status: UserStatusValue = UserStatus.Online): Promise<void> {
  account.peer.send(MessageId.LoginRequest, { UserID: account.user, Password: account.password, Status: status });
  const reply = await account.peer.expect(MessageId.LoginResponse, { what: `id 2 (LoginResponse) to the login of ${account.user} (setup)` });
  expectThat(reply.Result?.Code === ResultCode.Success, `LoginResponse Success for ${account.user} with its password (setup) [IM-LOGIN-1]`, () => resultText(reply.Result));
}

/** A fresh user, registered and logged in on its own connection. */
export async function loggedIn(ctx: CheckContext, tag: string, status: UserStatusValue = UserStatus.Online): Promise<Account> {
  const account = await registered(ctx, tag);
  await logIn(account, status);
  return account;
}

/** A new connection for an existing account, logged in. */
export async function reconnect(ctx: CheckContext, account: Account, label: string): Promise<Account> {
  const again = { ...account, peer: await ctx.im(label) };
  await logIn(again);
  return again;
}

/** Makes `account` friends with `others` (both ways, [IM-FRIENDS-2]). */
export async function befriend(account: Account, ...others: Account[]): Promise<void> {
  account.peer.send(MessageId.AddFriendsRequest, { UserID: account.user, UserIDList: others.map((o) => o.user) });
  const reply = await account.peer.expect(MessageId.AddFriendsResponse, { what: `id 18 (AddFriendsResponse) to ${account.user} adding ${others.map((o) => o.user).join(', ')} (setup)` });
  expectThat(reply.Result?.Code === ResultCode.Success, `AddFriendsResponse Success (setup) [IM-FRIENDS-2]`, () => resultText(reply.Result));
}

export { resultText };

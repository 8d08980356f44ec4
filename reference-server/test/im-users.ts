// IM test steps that many tests share: register, log in, befriend.
import { expect } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode, UserStatus } from '../../proto/index.js';

export async function register(port: number, userId: string, password = `pw-${userId}`, extra: { NickName?: string; HeadImageData?: Uint8Array } = {}): Promise<void> {
  const client = await ImClient.connect(port);
  client.send(MessageId.RegisterRequest, { UserID: userId, Password: password, ...extra });
  const reply = await client.next(MessageId.RegisterResponse);
  client.close();
  expect(reply.Result?.Code, reply.Result?.Msg ?? '').toBe(ResultCode.Success);
}

/** Registers `userId` and returns a connection logged in as it. */
export async function loggedIn(port: number, userId: string, status: number = UserStatus.Online): Promise<ImClient> {
  await register(port, userId);
  return login(port, userId, status);
}

export async function login(port: number, userId: string, status: number = UserStatus.Online): Promise<ImClient> {
  const client = await ImClient.connect(port);
  client.send(MessageId.LoginRequest, { UserID: userId, Password: `pw-${userId}`, Status: status });
  const reply = await client.next(MessageId.LoginResponse);
  expect(reply.Result?.Code, reply.Result?.Msg ?? '').toBe(ResultCode.Success);
  return client;
}

export async function befriend(client: ImClient, ...friendIds: string[]): Promise<void> {
  client.send(MessageId.AddFriendsRequest, { UserIDList: friendIds });
  const reply = await client.next(MessageId.AddFriendsResponse);
  expect(reply.Result?.Code, reply.Result?.Msg ?? '').toBe(ResultCode.Success);
}

/** Sends a heartbeat and waits for its reply: every frame sent before it has been handled. */
export async function roundTrip(client: ImClient): Promise<void> {
  client.send(MessageId.HeartbeatRequest, {});
  await client.next(MessageId.HeartbeatResponse);
}

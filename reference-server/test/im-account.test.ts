// Register, login and user info over real sockets [IM-REG-*, IM-LOGIN-*, IM-INFO-1].
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode, UserStatus } from '../../proto/index.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { befriend, loggedIn, login, register } from './im-users.js';

let t: TestServer;
const clients: ImClient[] = [];
async function client(): Promise<ImClient> {
  const c = await ImClient.connect(t.imPort);
  clients.push(c);
  return c;
}

beforeEach(async () => { t = await startTestServer(); });
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t.close();
});

describe('register (3 -> 4)', () => {
  test('a new user gets Success; the same id again gets UserExists', async () => {
    await register(t.imPort, 'alice');
    const c = await client();
    c.send(MessageId.RegisterRequest, { UserID: 'alice', Password: 'other' });
    expect((await c.next(MessageId.RegisterResponse)).Result?.Code).toBe(ResultCode.UserExists);
  });

  test('concurrent registrations of one id: exactly one succeeds', async () => {
    const cs = await Promise.all([client(), client(), client()]);
    for (const c of cs) c.send(MessageId.RegisterRequest, { UserID: 'racer', Password: 'x' });
    const codes = await Promise.all(cs.map(async (c) => (await c.next(MessageId.RegisterResponse)).Result?.Code));
    expect(codes.filter((code) => code === ResultCode.Success)).toHaveLength(1);
    expect(codes.filter((code) => code === ResultCode.UserExists)).toHaveLength(2);
  });

  test.each([
    ['an empty UserID', { UserID: '', Password: 'x' }],
    ['an empty password', { UserID: 'bob', Password: '' }],
    ['a UserID with a control character', { UserID: 'bo\nb', Password: 'x' }],
    ['a UserID over 64 characters', { UserID: 'u'.repeat(65), Password: 'x' }],
  ])('%s is refused with a Failure that says why', async (_name, fields) => {
    const c = await client();
    c.send(MessageId.RegisterRequest, fields);
    const reply = await c.next(MessageId.RegisterResponse);
    expect(reply.Result?.Code).toBe(ResultCode.Failure);
    expect(reply.Result?.Msg).not.toBe('');
  });
});

describe('login (1 -> 2)', () => {
  test('success carries the user info with the chosen status', async () => {
    await register(t.imPort, 'alice', 'pw-alice', { NickName: 'Alice' });
    const c = await client();
    c.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'pw-alice', Status: UserStatus.Busy });
    const reply = await c.next(MessageId.LoginResponse);
    expect(reply.Result?.Code).toBe(ResultCode.Success);
    expect(reply.User?.UserID).toBe('alice');
    expect(reply.User?.NickName).toBe('Alice');
    expect(reply.User?.Status).toBe(UserStatus.Busy);
    expect(Math.abs(Number(reply.User?.CreateTime) - Date.now() / 1000)).toBeLessThan(600);
  });

  test('a wrong password gets WrongPassword and an unknown user UserNotExists', async () => {
    await register(t.imPort, 'alice');
    const c = await client();
    c.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'nope' });
    expect((await c.next(MessageId.LoginResponse)).Result?.Code).toBe(ResultCode.WrongPassword);
    c.send(MessageId.LoginRequest, { UserID: 'nobody', Password: 'x' });
    expect((await c.next(MessageId.LoginResponse)).Result?.Code).toBe(ResultCode.UserNotExists);
  });

  test('a second login of an online user gets RepeatLogin, on another connection or the same', async () => {
    const first = await loggedIn(t.imPort, 'alice');
    clients.push(first);
    const other = await client();
    other.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'pw-alice' });
    expect((await other.next(MessageId.LoginResponse)).Result?.Code).toBe(ResultCode.RepeatLogin);
    first.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'pw-alice' });
    expect((await first.next(MessageId.LoginResponse)).Result?.Code).toBe(ResultCode.RepeatLogin);
  });

  test('after the first connection closes, the user can log in again', async () => {
    const first = await loggedIn(t.imPort, 'alice');
    first.close();
    await t.logged(/alice offline/);
    clients.push(await login(t.imPort, 'alice'));
  });

  test('an unknown or missing status logs in as Online', async () => {
    await register(t.imPort, 'alice');
    const c = await client();
    c.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'pw-alice', Status: 42 });
    expect((await c.next(MessageId.LoginResponse)).User?.Status).toBe(UserStatus.Online);
  });

  test('requests pipelined behind a login are answered after it, in order', async () => {
    await register(t.imPort, 'alice');
    const c = await client();
    c.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'pw-alice' });
    c.send(MessageId.GetFriendsRequest, {});
    c.send(MessageId.HeartbeatRequest, {});
    const order = [await c.nextFrame(), await c.nextFrame(), await c.nextFrame()].map((f) => f.id);
    expect(order).toEqual([MessageId.LoginResponse, MessageId.GetFriendsResponse, MessageId.HeartbeatResponse]);
  });
});

describe('update user info (11 -> 12)', () => {
  test('the new profile is what friends then see', async () => {
    const alice = await loggedIn(t.imPort, 'alice');
    const bob = await loggedIn(t.imPort, 'bob');
    clients.push(alice, bob);
    await befriend(alice, 'bob');
    alice.send(MessageId.UpdateUserInfoRequest, { User: { UserID: 'mallory', NickName: 'Al', Signature: 'hi', HeadImageUrl: 'http://x/a.png' } });
    expect((await alice.next(MessageId.UpdateUserInfoResponse)).Result?.Code).toBe(ResultCode.Success);
    bob.send(MessageId.GetFriendsRequest, {});
    const friends = (await bob.next(MessageId.GetFriendsResponse)).Friends;
    expect(friends).toHaveLength(1);
    expect(friends[0]).toMatchObject({ UserID: 'alice', NickName: 'Al', Signature: 'hi', HeadImageUrl: 'http://x/a.png' });
  });

  test('a missing User or an over-long NickName is refused', async () => {
    const alice = await loggedIn(t.imPort, 'alice');
    clients.push(alice);
    alice.send(MessageId.UpdateUserInfoRequest, {});
    expect((await alice.next(MessageId.UpdateUserInfoResponse)).Result?.Code).toBe(ResultCode.Failure);
    alice.send(MessageId.UpdateUserInfoRequest, { User: { NickName: 'n'.repeat(65) } });
    expect((await alice.next(MessageId.UpdateUserInfoResponse)).Result?.Code).toBe(ResultCode.Failure);
  });
});

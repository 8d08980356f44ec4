// Friends, status, user list, chat and logout over real sockets: notices reach exactly the right
// online users [IM-FRIENDS-*, IM-NOTICE-1, IM-CHAT-*, IM-LOGOUT-*, IM-USERS-1].
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode, UserStatus } from '../../proto/index.js';
import { befriend, loggedIn, login, register, roundTrip } from './im-users.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
const clients: ImClient[] = [];
async function online(userId: string): Promise<ImClient> {
  const c = await loggedIn(t.imPort, userId);
  clients.push(c);
  return c;
}
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

beforeEach(async () => { t = await startTestServer(); });
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t.close();
});

describe('friends (17 -> 18, 5 -> 6)', () => {
  test('adding a friend makes the friendship both ways, with current status', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    await befriend(alice, 'bob');
    alice.send(MessageId.GetFriendsRequest, { UserID: 'someone-else' });
    const mine = await alice.next(MessageId.GetFriendsResponse);
    expect(mine.Result?.Code).toBe(ResultCode.Success);
    expect(mine.Friends.map((f) => [f.UserID, f.Status])).toEqual([['bob', UserStatus.Online]]);
    bob.send(MessageId.GetFriendsRequest, {});
    expect((await bob.next(MessageId.GetFriendsResponse)).Friends.map((f) => f.UserID)).toEqual(['alice']);
    bob.close();
    await t.logged(/bob offline/);
    alice.send(MessageId.GetFriendsRequest, {});
    expect((await alice.next(MessageId.GetFriendsResponse)).Friends[0]?.Status).toBe(UserStatus.Offline);
  });

  test('an unknown user in the list refuses the whole request', async () => {
    const alice = await online('alice');
    await register(t.imPort, 'bob');
    alice.send(MessageId.AddFriendsRequest, { UserIDList: ['bob', 'ghost'] });
    const reply = await alice.next(MessageId.AddFriendsResponse);
    expect(reply.Result?.Code).toBe(ResultCode.UserNotExists);
    expect(reply.Result?.Msg).toContain('ghost');
    alice.send(MessageId.GetFriendsRequest, {});
    expect((await alice.next(MessageId.GetFriendsResponse)).Friends).toEqual([]);
  });

  test('befriending oneself or nobody is refused; befriending twice is harmless', async () => {
    const alice = await online('alice');
    await register(t.imPort, 'bob');
    alice.send(MessageId.AddFriendsRequest, { UserIDList: ['alice'] });
    expect((await alice.next(MessageId.AddFriendsResponse)).Result?.Code).toBe(ResultCode.Failure);
    alice.send(MessageId.AddFriendsRequest, { UserIDList: [] });
    expect((await alice.next(MessageId.AddFriendsResponse)).Result?.Code).toBe(ResultCode.Failure);
    await befriend(alice, 'bob', 'bob');
    await befriend(alice, 'bob');
    alice.send(MessageId.GetFriendsRequest, {});
    expect((await alice.next(MessageId.GetFriendsResponse)).Friends).toHaveLength(1);
  });
});

describe('user list (15 -> 16)', () => {
  test('lists registered users by id with their status, up to --max-user-list', async () => {
    await t.close();
    t = await startTestServer({ maxUserList: 3 });
    for (const id of ['dave', 'carol', 'bob']) await register(t.imPort, id);
    const alice = await online('alice');
    alice.send(MessageId.GetUserListRequest, {});
    const reply = await alice.next(MessageId.GetUserListResponse);
    expect(reply.Result?.Code).toBe(ResultCode.Success);
    expect(reply.UserList.map((u) => [u.UserID, u.Status])).toEqual([
      ['alice', UserStatus.Online], ['bob', UserStatus.Offline], ['carol', UserStatus.Offline],
    ]);
  });
});

describe('status notices (9 -> 10 to friends)', () => {
  test('login and status changes reach online friends only, and nothing goes back to the sender', async () => {
    const bob = await online('bob');
    const carol = await online('carol');   // not a friend
    await register(t.imPort, 'alice');
    const aliceSetup = await login(t.imPort, 'alice');
    await befriend(aliceSetup, 'bob');
    aliceSetup.close();
    await t.logged(/alice offline/);
    expect((await bob.next(MessageId.UserOfflineNotice)).UserID).toBe('alice');

    const alice = await login(t.imPort, 'alice', UserStatus.Away);
    clients.push(alice);
    expect(await bob.next(MessageId.ChangeStatusNotice)).toMatchObject({ UserID: 'alice', Status: UserStatus.Away });
    alice.send(MessageId.ChangeStatusRequest, { Status: UserStatus.DoNotDisturb });
    expect(await bob.next(MessageId.ChangeStatusNotice)).toMatchObject({ UserID: 'alice', Status: UserStatus.DoNotDisturb });
    await roundTrip(alice);
    await roundTrip(carol);
    expect(alice.inbox).toEqual([]);
    expect(carol.inbox).toEqual([]);
    bob.send(MessageId.GetFriendsRequest, {});
    expect((await bob.next(MessageId.GetFriendsResponse)).Friends[0]?.Status).toBe(UserStatus.DoNotDisturb);
  });

  test('an invalid status is ignored: no notice, no change', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    await befriend(alice, 'bob');
    for (const Status of [0, 6, 7, -1]) alice.send(MessageId.ChangeStatusRequest, { Status });
    await roundTrip(alice);
    await roundTrip(bob);
    expect(bob.inbox).toEqual([]);
    await t.logged(/ignored ChangeStatusRequest: status 0 is not one of 1-5/);
  });
});

describe('friend chat (13 -> 14)', () => {
  test('delivered to the receiver with the session user as sender, whatever FromUserID says', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    await befriend(alice, 'bob');
    alice.send(MessageId.FriendChatRequest, { FromUserID: 'mallory', ToUserID: 'bob', Content: text('hi bob') });
    const notice = await bob.next(MessageId.FriendChatNotice);
    expect(notice.FromUserID).toBe('alice');
    expect(notice.ToUserID).toBe('bob');
    expect(decode(notice.Content)).toBe('hi bob');
    await roundTrip(alice);
    expect(alice.inbox).toEqual([]);
  });

  test('chat to a non-friend or an unknown user is neither delivered nor stored', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    alice.send(MessageId.FriendChatRequest, { ToUserID: 'bob', Content: text('spam') });
    alice.send(MessageId.FriendChatRequest, { ToUserID: 'ghost', Content: text('spam') });
    await roundTrip(alice);
    await roundTrip(bob);
    expect(bob.inbox).toEqual([]);
    bob.close();
    await t.logged(/bob offline/);
    const bobAgain = await login(t.imPort, 'bob');
    clients.push(bobAgain);
    await roundTrip(bobAgain);
    expect(bobAgain.inbox).toEqual([]);
  });

  test('chat to an offline friend is stored and delivered, in order, at the next login', async () => {
    const alice = await online('alice');
    await register(t.imPort, 'bob');
    await befriend(alice, 'bob');
    for (let i = 0; i < 600; i++) alice.send(MessageId.FriendChatRequest, { ToUserID: 'bob', Content: text(`m${i}`) });
    await roundTrip(alice);
    const bob = await login(t.imPort, 'bob');
    clients.push(bob);
    const got: string[] = [];
    for (let i = 0; i < 600; i++) got.push(decode((await bob.next(MessageId.FriendChatNotice)).Content));
    expect(got).toEqual(Array.from({ length: 600 }, (_, i) => `m${i}`));
    // Delivered means gone from the store: the next login gets nothing more.
    bob.close();
    await t.logged(/bob offline/);
    const bobAgain = await login(t.imPort, 'bob');
    clients.push(bobAgain);
    await roundTrip(bobAgain);
    expect(bobAgain.inbox.filter((f) => f.id === MessageId.FriendChatNotice)).toEqual([]);
  });
});

describe('logout (7 -> 8 to friends, then closed)', () => {
  test('friends get the offline notice and the connection is closed', async () => {
    const alice = await online('alice');
    const bob = await online('bob');
    const carol = await online('carol');
    await befriend(alice, 'bob');
    alice.send(MessageId.UserOfflineRequest, { UserID: 'alice' });
    await alice.waitClosed();
    expect(await bob.next(MessageId.UserOfflineNotice)).toMatchObject({ UserID: 'alice', Status: UserStatus.Offline });
    await roundTrip(carol);
    expect(carol.inbox).toEqual([]);
  });
});

describe('requests that need a login, without one [D-REPLY]', () => {
  test.each([
    [MessageId.GetFriendsRequest, MessageId.GetFriendsResponse],
    [MessageId.UpdateUserInfoRequest, MessageId.UpdateUserInfoResponse],
    [MessageId.GetUserListRequest, MessageId.GetUserListResponse],
    [MessageId.AddFriendsRequest, MessageId.AddFriendsResponse],
    [MessageId.UploadFileRequest, MessageId.UploadFileResponse],
    [MessageId.GetFileListRequest, MessageId.GetFileListResponse],
  ] as const)('request %i gets %i with a Failure result', async (request, response) => {
    const c = await ImClient.connect(t.imPort);
    clients.push(c);
    c.sendRaw(Buffer.from([0, 0, 0, 0, request, 0, 0, 0]));   // an empty body: every field at its default
    const reply = (await c.next(response)) as { Result?: { Code?: number | null; Msg?: string | null } | null };
    expect(reply.Result?.Code).toBe(ResultCode.Failure);
    expect(reply.Result?.Msg).toMatch(/logged-in/);
  });

  test('a logout closes the connection; a status change and a chat do nothing', async () => {
    const bob = await online('bob');
    const anon = await ImClient.connect(t.imPort);
    clients.push(anon);
    anon.send(MessageId.ChangeStatusRequest, { UserID: 'bob', Status: 3 });
    anon.send(MessageId.FriendChatRequest, { FromUserID: 'x', ToUserID: 'bob', Content: text('x') });
    await roundTrip(anon);
    await roundTrip(bob);
    expect(bob.inbox).toEqual([]);
    anon.send(MessageId.UserOfflineRequest, {});
    await anon.waitClosed();
    await t.logged(/logout refused: UserOfflineRequest requires a logged-in session/);
  });

  test('heartbeat needs no login', async () => {
    const anon = await ImClient.connect(t.imPort);
    clients.push(anon);
    anon.send(MessageId.HeartbeatRequest, {});
    expect((await anon.next(MessageId.HeartbeatResponse)).Result?.Code).toBe(ResultCode.Success);
  });
});

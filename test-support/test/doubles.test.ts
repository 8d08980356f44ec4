// Tests of the test doubles (test-support/doubles/): each behaves as its file documents, over real loopback
// sockets. The load generator's tests trust these doubles to stand for what is not ours (a network
// that re-cuts streams, a server that never answers, servers that behave as the originals do), so the
// doubles get tests of their own.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import { ChatClient } from '../../client/chat-client.js';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode, UserStatus, decodeMessage } from '../../proto/index.js';
import { startOriginalChatServer } from '../doubles/original-chat-server.js';
import { startOriginalImServer, type OriginalImServer } from '../doubles/original-im-server.js';
import { startResegmentingProxy, type ResegmentMode } from '../doubles/resegmenting-proxy.js';
import { startSilentServer } from '../doubles/silent-server.js';
import { startFreezingProxy } from '../doubles/freezing-proxy.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** How long "nothing arrives" is given: long enough for a loopback reply many times over. */
const QUIET_MS = 300;
/** A few bytes standing for the small image the original client always sends as HeadImageData. */
const AVATAR = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

// --- raw socket helpers --------------------------------------------------------------------------

interface RawPeer {
  socket: Socket;
  chunks: Buffer[];
  /** 'data' events seen: how many reads the bytes arrived in. */
  reads: number;
  ended: boolean;
  closed: boolean;
  bytes(): Buffer;
  /** Resolves when `predicate` holds; rejects after `timeoutMs`. Polls every 5 ms (bounded by the deadline). */
  until(predicate: (peer: RawPeer) => boolean, timeoutMs?: number): Promise<void>;
}

function track(socket: Socket): RawPeer {
  const peer: RawPeer = {
    socket, chunks: [], reads: 0, ended: false, closed: false,
    bytes: () => Buffer.concat(peer.chunks),
    until: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(peer)) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (${peer.bytes().length} bytes, ended ${peer.ended}, closed ${peer.closed})`);
        await sleep(5);
      }
    },
  };
  socket.on('data', (chunk: Buffer) => { peer.chunks.push(chunk); peer.reads += 1; });
  socket.on('end', () => { peer.ended = true; });
  socket.on('close', () => { peer.closed = true; });
  socket.on('error', () => undefined);
  return peer;
}

function connectRaw(port: number): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const peer = track(socket);
    socket.once('error', reject);
    socket.once('connect', () => { socket.off('error', reject); resolve(peer); });
  });
}

/** A TCP server that records what each connection sends, optionally echoing it back. */
async function startRecorder(echo: boolean): Promise<{ port: number; peers: RawPeer[]; server: Server; close(): Promise<void> }> {
  const peers: RawPeer[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const peer = track(socket);
    peers.push(peer);
    // An echo peer also answers a FIN with its own, so a connection through the proxy closes fully.
    if (echo) {
      socket.on('data', (chunk: Buffer) => socket.write(chunk));
      socket.on('end', () => socket.end());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    peers,
    server,
    close: () => new Promise<void>((resolve) => { for (const p of peers) p.socket.destroy(); server.close(() => resolve()); }),
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// --- IM helpers ----------------------------------------------------------------------------------

async function register(client: ImClient, userId: string, avatar: Uint8Array = AVATAR): Promise<{ Code: number; Msg: string }> {
  client.send(MessageId.RegisterRequest, { UserID: userId, Password: `${userId}-pw`, NickName: `nick ${userId}`, HeadImageData: avatar });
  const reply = await client.next(MessageId.RegisterResponse);
  return { Code: reply.Result?.Code ?? 0, Msg: reply.Result?.Msg ?? '' };
}

async function login(client: ImClient, userId: string, password = `${userId}-pw`) {
  client.send(MessageId.LoginRequest, { UserID: userId, Password: password, Status: UserStatus.Online });
  return client.next(MessageId.LoginResponse);
}

/** Connects, registers and logs in each user; makes them all friends of the first. */
async function onlineUsers(server: OriginalImServer | { port: number }, ids: string[], options: { befriend?: boolean } = {}): Promise<ImClient[]> {
  const clients: ImClient[] = [];
  for (const id of ids) {
    const client = await ImClient.connect(server.port);
    expect((await register(client, id)).Code).toBe(ResultCode.Success);
    expect((await login(client, id)).Result?.Code).toBe(ResultCode.Success);
    clients.push(client);
  }
  if ((options.befriend ?? true) && clients.length > 1) {
    clients[0]!.send(MessageId.AddFriendsRequest, { UserID: ids[0]!, UserIDList: ids.slice(1) });
    expect((await clients[0]!.next(MessageId.AddFriendsResponse)).Result?.Code).toBe(ResultCode.Success);
  }
  return clients;
}

const idsIn = (client: ImClient, id: number): number => client.inbox.filter((f) => f.id === id).length;

// --- the resegmenting proxy ----------------------------------------------------------------------

describe('resegmenting proxy', () => {
  test('one-byte mode delivers a byte stream exactly both ways, one byte per read', async () => {
    const target = await startRecorder(true);
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: target.port }, mode: 'one-byte' });
    try {
      const payload = randomBytes(2000);
      const client = await connectRaw(proxy.port);
      client.socket.write(payload);
      await client.until((p) => p.bytes().length >= payload.length);
      const upstream = target.peers[0]!;
      expect(upstream.bytes().equals(payload)).toBe(true);
      expect(client.bytes().equals(payload)).toBe(true);
      expect(proxy.stats.clientToTarget).toEqual({ bytes: 2000, pieces: 2000 });
      expect(proxy.stats.targetToClient).toEqual({ bytes: 2000, pieces: 2000 });
      // The pieces really arrive apart: (almost) every byte is a read of its own on both sides.
      expect(upstream.reads).toBeGreaterThan(1000);
      expect(client.reads).toBeGreaterThan(1000);
      client.socket.destroy();
    } finally {
      await proxy.close();
      await target.close();
    }
  });

  test('random mode cuts into pieces of 1..maxPiece bytes and keeps the bytes exact', async () => {
    const target = await startRecorder(true);
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: target.port }, mode: 'random', maxPiece: 7, seed: 42 });
    try {
      const payload = randomBytes(20_000);
      const client = await connectRaw(proxy.port);
      client.socket.write(payload);
      await client.until((p) => p.bytes().length >= payload.length);
      expect(target.peers[0]!.bytes().equals(payload)).toBe(true);
      expect(client.bytes().equals(payload)).toBe(true);
      for (const direction of [proxy.stats.clientToTarget, proxy.stats.targetToClient]) {
        expect(direction.bytes).toBe(20_000);
        expect(direction.pieces).toBeGreaterThanOrEqual(20_000 / 7);
        expect(direction.pieces).toBeLessThan(20_000 / 2); // the mean piece is 4 bytes: far from one-byte mode
      }
      expect(client.reads).toBeGreaterThan(20_000 / 7 / 2);
      client.socket.destroy();
    } finally {
      await proxy.close();
      await target.close();
    }
  });

  test.each<ResegmentMode>(['one-byte', 'random'])('%s mode carries an IM exchange to the original-like server', async (mode) => {
    const server = await startOriginalImServer();
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: server.port }, mode, seed: 7 });
    try {
      const [alice, bob] = await onlineUsers(proxy, ['alice', 'bob']);
      const content = Buffer.from('héllo wörld, ünïcode split at any byte: 你好', 'utf8');
      alice!.send(MessageId.FriendChatRequest, { FromUserID: 'alice', ToUserID: 'bob', Content: content });
      const notice = await bob!.next(MessageId.FriendChatNotice);
      expect(notice.FromUserID).toBe('alice');
      expect(notice.ToUserID).toBe('bob');
      expect(Buffer.from(notice.Content).equals(content)).toBe(true);
      bob!.send(MessageId.GetUserListRequest, { UserID: 'bob' });
      const list = await bob!.next(MessageId.GetUserListResponse);
      expect(list.UserList.map((u) => u.UserID)).toEqual(['alice', 'bob']);
      expect(proxy.stats.connectionsAccepted).toBe(2);
      if (mode === 'one-byte') expect(proxy.stats.targetToClient.pieces).toBe(proxy.stats.targetToClient.bytes);
      alice!.close();
      bob!.close();
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  test.each<ResegmentMode>(['one-byte', 'random'])('%s mode carries a CHAT/1.0 exchange byte-exact', async (mode) => {
    const server = await startOriginalChatServer();
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: server.port }, mode, seed: 3 });
    try {
      const alice = await ChatClient.connect(proxy.port);
      const bob = await ChatClient.connect(proxy.port);
      alice.send({ command: 'LOGIN', name: 'alice' });
      bob.send({ command: 'LOGIN', name: 'bob' });
      const data = 'hi  there, spaces kept, 多字节 split mid-character ';
      // bob's LOGIN must be handled before alice's SEND: wait until the server knows both names.
      await waitFor(() => server.loggedIn().length === 2);
      alice.sendRaw(`CHAT/1.0 SEND bob ${data}\r\n`);
      await bob.until((c) => c.received.length === 1);
      expect(bob.received[0]).toEqual({ command: 'RECEIVE', from: 'alice', data });
      alice.close();
      bob.close();
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  test('propagates a half-close (FIN) in both directions, data after it included', async () => {
    const target = await startRecorder(false);
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: target.port }, mode: 'one-byte' });
    try {
      const client = await connectRaw(proxy.port);
      client.socket.end('ping');
      await waitFor(() => target.peers[0]?.ended === true);
      const upstream = target.peers[0]!;
      expect(upstream.bytes().toString()).toBe('ping');
      expect(client.closed).toBe(false);
      // The target may still answer after the client's FIN; its own FIN follows its bytes.
      upstream.socket.end('pong');
      await client.until((p) => p.ended);
      expect(client.bytes().toString()).toBe('pong');
      await client.until((p) => p.closed);
      await upstream.until((p) => p.closed);
    } finally {
      await proxy.close();
      await target.close();
    }
  });

  test('propagates a reset both ways and closes the client when the target is unreachable', async () => {
    const target = await startRecorder(false);
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: target.port } });
    try {
      const first = await connectRaw(proxy.port);
      first.socket.write('x');
      await waitFor(() => target.peers[0]?.bytes().length === 1);
      first.socket.resetAndDestroy();
      await target.peers[0]!.until((p) => p.closed);

      const second = await connectRaw(proxy.port);
      second.socket.write('y');
      await waitFor(() => target.peers[1]?.bytes().length === 1);
      target.peers[1]!.socket.resetAndDestroy();
      await second.until((p) => p.closed);
    } finally {
      await proxy.close();
      await target.close();
    }
    const nowhere = await startResegmentingProxy({ target: { host: '127.0.0.1', port: await closedPort() } });
    try {
      const client = await connectRaw(nowhere.port);
      await client.until((p) => p.ended || p.closed);
      expect(nowhere.stats.connectFailures).toBe(1);
    } finally {
      await nowhere.close();
    }
  });

  test('copes with 100 connections at once', async () => {
    const target = await startRecorder(true);
    const proxy = await startResegmentingProxy({ target: { host: '127.0.0.1', port: target.port }, mode: 'random', maxPiece: 5 });
    try {
      const payloads = Array.from({ length: 100 }, () => randomBytes(300));
      const clients = await Promise.all(payloads.map(() => connectRaw(proxy.port)));
      clients.forEach((c, i) => c.socket.write(payloads[i]!));
      await Promise.all(clients.map((c, i) => c.until((p) => p.bytes().length >= payloads[i]!.length, 20_000)));
      clients.forEach((c, i) => expect(c.bytes().equals(payloads[i]!)).toBe(true));
      expect(proxy.stats.connectionsAccepted).toBe(100);
      expect(proxy.stats.clientToTarget.bytes).toBe(30_000);
      for (const c of clients) c.socket.destroy();
      await waitFor(() => proxy.stats.connectionsOpen === 0);
    } finally {
      await proxy.close();
      await target.close();
    }
  });
});

/** Polls `predicate` every 5 ms until it holds; throws after `timeoutMs`. */
async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

// --- the silent server ---------------------------------------------------------------------------

describe('silent server', () => {
  test('accepts, reads and never sends a byte, even after the client half-closes', async () => {
    const server = await startSilentServer();
    try {
      const client = await connectRaw(server.port);
      client.socket.write(Buffer.from('0d00000001000000', 'hex'));
      client.socket.end();
      await sleep(QUIET_MS);
      expect(client.bytes().length).toBe(0);
      expect(client.ended).toBe(false);
      expect(client.closed).toBe(false);
      expect(server.connections).toBe(1);
      expect(server.bytesReceived).toBe(8);
      await server.close();
      await client.until((p) => p.closed);
    } finally {
      await server.close();
    }
  });

  test('closeAtOnce closes every connection as soon as it is accepted', async () => {
    const server = await startSilentServer({ closeAtOnce: true });
    try {
      const clients = await Promise.all([connectRaw(server.port), connectRaw(server.port)]);
      await Promise.all(clients.map((c) => c.until((p) => p.ended || p.closed)));
      expect(clients.every((c) => c.bytes().length === 0)).toBe(true);
      expect(server.connections).toBe(2);
      expect(server.openConnections).toBe(0);
    } finally {
      await server.close();
    }
  });
});

// --- the freezing proxy --------------------------------------------------------------------------

describe('freezing proxy', () => {
  test('forwards both ways until frozen; then nothing, old connections and new kept open, and counts them', async () => {
    const target = await startRecorder(true);
    const proxy = await startFreezingProxy({ host: '127.0.0.1', port: target.port });
    try {
      const client = await connectRaw(proxy.port);
      client.socket.write('before');
      await client.until((p) => p.bytes().toString() === 'before');
      expect(proxy.connections).toBe(1);
      proxy.freeze();
      expect(proxy.frozen).toBe(true);
      client.socket.write('after');
      const late = await connectRaw(proxy.port);
      late.socket.write('late');
      await sleep(QUIET_MS);
      expect(client.bytes().toString()).toBe('before');
      expect(target.peers[0]!.bytes().toString()).toBe('before');
      expect(target.peers.map((p) => p.bytes().toString()).join()).not.toMatch(/after|late/);
      expect(late.bytes().length).toBe(0);
      expect([client.closed, late.closed]).toEqual([false, false]);
      expect(proxy.connections).toBe(2);
    } finally {
      await proxy.close();
      await target.close();
    }
  });
});

// --- the original-like IM server -----------------------------------------------------------------

describe('original-like IM server', () => {
  test('register: refused without an avatar, UserExists when taken, avatar served over HTTP', async () => {
    const server = await startOriginalImServer();
    try {
      const client = await ImClient.connect(server.port);
      expect(await register(client, 'alice', new Uint8Array(0))).toEqual({ Code: ResultCode.Failure, Msg: '注册失败！' });
      expect((await register(client, 'alice')).Code).toBe(ResultCode.Success);
      expect((await register(client, 'alice')).Code).toBe(ResultCode.UserExists);
      const reply = await login(client, 'alice');
      expect(reply.Result?.Code).toBe(ResultCode.Success);
      expect(reply.User?.UserID).toBe('alice');
      expect(reply.User?.Status).toBe(UserStatus.Online);
      const url = reply.User?.HeadImageUrl ?? '';
      expect(url.startsWith(`http://127.0.0.1:${server.httpPort}/res/`)).toBe(true);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(AVATAR)).toBe(true);
      client.close();
    } finally {
      await server.close();
    }
  });

  test('login: RepeatLogin, UserNotExists, WrongPassword; online friends get 10', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      const other = await ImClient.connect(server.port);
      expect((await login(other, 'alice')).Result?.Code).toBe(ResultCode.RepeatLogin);
      expect((await login(other, 'nobody')).Result?.Code).toBe(ResultCode.UserNotExists);
      expect((await login(other, 'bob', 'wrong')).Result?.Code).toBe(ResultCode.WrongPassword);
      // bob logs in again elsewhere after logging out: alice, online, is told.
      bob!.send(MessageId.UserOfflineRequest, { UserID: 'bob' });
      await bob!.waitClosed();
      expect(await alice!.next(MessageId.UserOfflineNotice)).toMatchObject({ UserID: 'bob', Status: UserStatus.Offline });
      expect((await login(other, 'bob')).Result?.Code).toBe(ResultCode.Success);
      expect(await alice!.next(MessageId.ChangeStatusNotice)).toMatchObject({ UserID: 'bob', Status: UserStatus.Online });
      alice!.close();
      other.close();
    } finally {
      await server.close();
    }
  });

  test('AddFriends without UserID is refused; with it the friendship is symmetric', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice] = await onlineUsers(server, ['alice', 'bob'], { befriend: false });
      alice!.send(MessageId.AddFriendsRequest, { UserIDList: ['bob'] });
      expect((await alice!.next(MessageId.AddFriendsResponse)).Result?.Code).toBe(ResultCode.Failure);
      expect(server.friendsOf('alice')).toEqual([]);
      alice!.send(MessageId.AddFriendsRequest, { UserID: 'alice', UserIDList: ['bob'] });
      expect((await alice!.next(MessageId.AddFriendsResponse)).Result?.Code).toBe(ResultCode.Success);
      expect(server.friendsOf('alice')).toEqual(['bob']);
      expect(server.friendsOf('bob')).toEqual(['alice']);
    } finally {
      await server.close();
    }
  });

  test('GetFriends with no friends is answered with id 4 "没有朋友！", otherwise with 6', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob'], { befriend: false });
      alice!.send(MessageId.GetFriendsRequest, { UserID: 'alice' });
      const reply = await alice!.next(MessageId.RegisterResponse);
      expect(reply.Result?.Msg).toBe('没有朋友！');
      await sleep(QUIET_MS);
      expect(idsIn(alice!, MessageId.GetFriendsResponse)).toBe(0);
      alice!.send(MessageId.AddFriendsRequest, { UserID: 'alice', UserIDList: ['bob'] });
      await alice!.next(MessageId.AddFriendsResponse);
      bob!.send(MessageId.GetFriendsRequest, { UserID: 'bob' });
      const friends = await bob!.next(MessageId.GetFriendsResponse);
      expect(friends.Result?.Code).toBe(ResultCode.Success);
      expect(friends.Friends.map((f) => [f.UserID, f.Status])).toEqual([['alice', UserStatus.Online]]);
    } finally {
      await server.close();
    }
  });

  test('Heartbeat and UpdateUserInfo are never answered; UpdateUserInfo applies only with User.UserID', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice] = await onlineUsers(server, ['alice']);
      alice!.send(MessageId.HeartbeatRequest, { UserID: 'alice' });
      alice!.send(MessageId.UpdateUserInfoRequest, { User: { NickName: 'ignored' } });
      alice!.send(MessageId.UpdateUserInfoRequest, { User: { UserID: 'alice', NickName: 'Alice A.' } });
      await sleep(QUIET_MS);
      expect(alice!.inbox).toEqual([]);
      alice!.send(MessageId.GetUserListRequest, { UserID: 'alice' });
      expect((await alice!.next(MessageId.GetUserListResponse)).UserList[0]?.NickName).toBe('Alice A.');
      expect(server.stats.framesReceived[MessageId.HeartbeatRequest]).toBe(1);
      expect(server.stats.framesSent[MessageId.HeartbeatResponse]).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  test('GetUserList: an empty list is not answered; 1,000 users arrive in one frame over several reads', async () => {
    const server = await startOriginalImServer();
    try {
      const client = await ImClient.connect(server.port);
      client.send(MessageId.GetUserListRequest, {});
      await sleep(QUIET_MS);
      expect(client.inbox).toEqual([]);
      for (let i = 0; i < 1000; i++) {
        client.send(MessageId.RegisterRequest, { UserID: `user${i}`, Password: 'pw', NickName: `Nick Name ${i}`, Signature: 'a signature of some length', HeadImageData: AVATAR });
      }
      await waitFor(() => client.inbox.length === 1000, 15_000);
      expect(client.inbox.every((f) => f.id === MessageId.RegisterResponse)).toBe(true);
      client.inbox.length = 0;
      let reads = 0;
      client.socket.on('data', () => { reads += 1; });
      client.send(MessageId.GetUserListRequest, {});
      const frame = await client.nextFrame((f) => f.id === MessageId.GetUserListResponse);
      expect(frame.body.length).toBeGreaterThan(100_000);
      expect(decodeMessage(MessageId.GetUserListResponse, frame.body).UserList).toHaveLength(1000);
      expect(reads).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });

  test('FriendChat: pushed as 14 with the same fields, no acknowledgement; to an offline user dropped', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      alice!.send(MessageId.FriendChatRequest, { FromUserID: 'alice', ToUserID: 'bob', Content: Buffer.from('one') });
      expect(Buffer.from((await bob!.next(MessageId.FriendChatNotice)).Content).toString()).toBe('one');
      bob!.send(MessageId.UserOfflineRequest, { UserID: 'bob' });
      await alice!.next(MessageId.UserOfflineNotice);
      alice!.send(MessageId.FriendChatRequest, { FromUserID: 'alice', ToUserID: 'bob', Content: Buffer.from('two') });
      await waitFor(() => server.stats.chatsDropped === 1);
      const bobAgain = await ImClient.connect(server.port);
      expect((await login(bobAgain, 'bob')).Result?.Code).toBe(ResultCode.Success);
      await sleep(QUIET_MS);
      expect(idsIn(bobAgain, MessageId.FriendChatNotice)).toBe(0);
      // The sender got nothing but the notices of bob's comings and goings.
      expect(alice!.inbox.map((f) => f.id)).toEqual([MessageId.ChangeStatusNotice]);
    } finally {
      await server.close();
    }
  });

  test('ChangeStatus pushes 10 to online friends and is not answered; Logout pushes 8 and closes', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      alice!.send(MessageId.ChangeStatusRequest, { UserID: 'alice', Status: UserStatus.Busy });
      expect(await bob!.next(MessageId.ChangeStatusNotice)).toMatchObject({ UserID: 'alice', Status: UserStatus.Busy });
      alice!.send(MessageId.UserOfflineRequest, { UserID: 'alice' });
      expect(await bob!.next(MessageId.UserOfflineNotice)).toMatchObject({ UserID: 'alice', Status: UserStatus.Offline });
      await alice!.waitClosed();
      expect(alice!.inbox).toEqual([]);
      expect(server.onlineUsers()).toEqual(['bob']);
    } finally {
      await server.close();
    }
  });

  test('Upload: de-duplicated by MD5, downloadable over HTTP, listed for uploader and addressee', async () => {
    const server = await startOriginalImServer();
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      const data = randomBytes(5000);
      alice!.send(MessageId.UploadFileRequest, { FromUserID: 'alice', ToUserID: 'bob', fileName: 'report.PDF', Data: data });
      const ok = await alice!.next(MessageId.UploadFileResponse);
      expect(ok.Result?.Code).toBe(ResultCode.Success);
      expect(ok.FileName).toBe('report.PDF');
      expect(ok.DownUrl.startsWith(`http://127.0.0.1:${server.httpPort}/res/`)).toBe(true);
      alice!.send(MessageId.UploadFileRequest, { FromUserID: 'alice', fileName: 'copy.pdf', Data: data });
      const again = await alice!.next(MessageId.UploadFileResponse);
      expect(again.Result).toMatchObject({ Code: ResultCode.Failure, Msg: '文件已存在' });

      const download = await fetch(ok.DownUrl);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(data)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${server.httpPort}/res/files/nothing-here`)).status).toBe(404);

      bob!.send(MessageId.GetFileListRequest, { UserID: 'bob' });
      const list = await bob!.next(MessageId.GetFileListResponse);
      expect(list.FileList).toEqual([expect.objectContaining({ UserID: 'alice', FileSize: 5000, FileName: 'report.PDF', DownUrl: ok.DownUrl })]);
    } finally {
      await server.close();
    }
  });

  test('silent logout: a user without heartbeats is logged out, friends get 8, its connection stays open', async () => {
    const server = await startOriginalImServer({ silentLogoutMs: 500 });
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      // bob keeps beating; alice goes quiet. Bounded: the test ends within the notice's wait.
      const beat = setInterval(() => bob!.send(MessageId.HeartbeatRequest, { UserID: 'bob' }), 60);
      try {
        expect(await bob!.next(MessageId.UserOfflineNotice, 5000)).toMatchObject({ UserID: 'alice', Status: UserStatus.Offline });
        await sleep(QUIET_MS);
        expect(alice!.closed).toBe(false);
        expect(server.onlineUsers()).toEqual(['bob']);
        expect(server.stats.silentLogouts).toBe(1);
      } finally {
        clearInterval(beat);
      }
    } finally {
      await server.close();
    }
  });

  test('dieInLogoutPhase: the first logout kills the server and every connection', async () => {
    const server = await startOriginalImServer({ dieInLogoutPhase: true });
    try {
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      alice!.send(MessageId.UserOfflineRequest, { UserID: 'alice' });
      await Promise.all([alice!.waitClosed(), bob!.waitClosed()]);
      expect(bob!.inbox).toEqual([]); // it died before telling anyone
      expect(server.stats.crashed).toBe(true);
      await expect(ImClient.connect(server.port)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  test('deadlockOnDisconnect: a push to a disconnected user blocks its worker; maxConn closes at once', async () => {
    const server = await startOriginalImServer({ deadlockOnDisconnect: true, maxConn: 4 });
    try {
      // Connections 0 and 1: alice on worker 0, bob on worker 1.
      const [alice, bob] = await onlineUsers(server, ['alice', 'bob']);
      bob!.close();
      await waitFor(() => server.log.some((l) => l.includes('bob disconnected')));
      expect(server.onlineUsers()).toEqual(['alice', 'bob']);
      alice!.send(MessageId.ChangeStatusRequest, { UserID: 'alice', Status: UserStatus.Away });
      alice!.send(MessageId.GetUserListRequest, { UserID: 'alice' });
      await sleep(QUIET_MS);
      expect(alice!.inbox).toEqual([]);
      expect(server.stats.blockedWorkers).toBe(1);
      // Connection 2 is on worker 2: still answered.
      const carol = await ImClient.connect(server.port);
      carol.send(MessageId.GetUserListRequest, {});
      expect((await carol.next(MessageId.GetUserListResponse)).UserList).toHaveLength(2);
      // The count never falls: connection 3 is the last; the fifth is closed at once.
      await ImClient.connect(server.port);
      const fifth = await ImClient.connect(server.port);
      await fifth.waitClosed();
      expect(server.stats.connectionsRefused).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('with the quirks off it answers what the original leaves unanswered', async () => {
    const server = await startOriginalImServer({
      quirks: { heartbeatUnanswered: false, emptyUserListUnanswered: false, noFriendsAnsweredAsRegister: false, offlineChatDropped: false },
    });
    try {
      const client = await ImClient.connect(server.port);
      client.send(MessageId.GetUserListRequest, {});
      expect((await client.next(MessageId.GetUserListResponse)).UserList).toEqual([]);
      client.send(MessageId.HeartbeatRequest, {});
      expect((await client.next(MessageId.HeartbeatResponse)).Result?.Code).toBe(ResultCode.Success);
      client.close();
      const [alice] = await onlineUsers(server, ['alice', 'bob'], { befriend: false });
      alice!.send(MessageId.GetFriendsRequest, { UserID: 'alice' });
      expect((await alice!.next(MessageId.GetFriendsResponse)).Friends).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

// --- the original-like CHAT/1.0 server -----------------------------------------------------------

describe('original-like CHAT/1.0 server', () => {
  async function chatUsers(port: number, names: string[], server: { loggedIn(): string[] }): Promise<ChatClient[]> {
    const clients = await Promise.all(names.map(() => ChatClient.connect(port)));
    clients.forEach((c, i) => c.send({ command: 'LOGIN', name: names[i]! }));
    await waitFor(() => names.every((n) => server.loggedIn().includes(n)));
    return clients;
  }

  test('SEND delivers RECEIVE; bad lines are counted and ignored, the connection kept', async () => {
    const server = await startOriginalChatServer();
    try {
      const [alice, bob] = await chatUsers(server.port, ['alice', 'bob'], server);
      alice!.sendRaw('chat/1.0 SEND bob lower\nCHAT/2.0 SEND bob v2\nCHAT/1.0 send bob lc\nCHAT/1.0 WHISPER bob w\nCHAT/1.0 SEND bob\n');
      alice!.sendRaw('CHAT/1.0 SEND bob fine\r\n');
      await bob!.until((c) => c.received.length > 0);
      await sleep(50);
      expect(bob!.received).toEqual([{ command: 'RECEIVE', from: 'alice', data: 'fine' }]);
      expect(server.stats.badLines.INVALID_MESSAGE).toBe(3);
      expect(server.stats.badLines.UNSUPPORTED_COMMAND).toBe(2);
      expect(alice!.closed).toBe(false);
    } finally {
      await server.close();
    }
  });

  test('a line over 4096 bytes is cut into fragments handled as lines', async () => {
    const server = await startOriginalChatServer();
    try {
      const [alice, bob] = await chatUsers(server.port, ['alice', 'bob'], server);
      const prefix = 'CHAT/1.0 SEND bob ';
      alice!.sendRaw(`${prefix}${'x'.repeat(5000)}\n`);
      await bob!.until((c) => c.received.length === 1);
      expect(bob!.received[0]).toEqual({ command: 'RECEIVE', from: 'alice', data: 'x'.repeat(4096 - prefix.length) });
      await waitFor(() => server.stats.badLines.INVALID_MESSAGE === 1); // the tail "xxx..." is a line of its own
    } finally {
      await server.close();
    }
  });

  test('before LOGIN a SEND acts under the empty name', async () => {
    const server = await startOriginalChatServer();
    try {
      const raw = await connectRaw(server.port);
      const listener = await connectRaw(server.port);
      listener.socket.write('CHAT/1.0 LOGIN carol\n');
      await waitFor(() => server.loggedIn().includes('carol'));
      raw.socket.write('CHAT/1.0 SEND carol early\n');
      await listener.until((p) => p.bytes().toString() === 'CHAT/1.0 RECEIVE  early\n');
    } finally {
      await server.close();
    }
  });

  test('GROUP: needs two listed members, does not add the sender, ignored when it exists', async () => {
    const server = await startOriginalChatServer();
    try {
      const [alice, bob, carol, dave] = await chatUsers(server.port, ['alice', 'bob', 'carol', 'dave'], server);
      alice!.send({ command: 'GROUP', group: 'solo', members: ['bob'] });
      alice!.send({ command: 'GROUP', group: 'team', members: ['bob', 'carol'] });
      alice!.send({ command: 'GROUP', group: 'team', members: ['dave', 'alice'] });
      await waitFor(() => server.stats.groupsIgnored === 2);
      expect(server.groups.has('solo')).toBe(false);
      expect([...server.groups.get('team')!]).toEqual(['bob', 'carol']);
      // alice is not a member: bob's broadcast reaches carol only.
      bob!.send({ command: 'BROADCAST', group: 'team', data: 'from bob' });
      await carol!.until((c) => c.received.length === 1);
      alice!.send({ command: 'BROADCAST', group: 'team', data: 'from alice' });
      await bob!.until((c) => c.received.length === 1);
      await carol!.until((c) => c.received.length === 2);
      await sleep(QUIET_MS);
      expect(alice!.received).toEqual([]);
      expect(dave!.received).toEqual([]);
      expect(bob!.received).toEqual([{ command: 'RECEIVE', from: 'alice', data: 'from alice' }]);
    } finally {
      await server.close();
    }
  });

  test('groups survive their members: LEAVE and LOGOUT never delete one, a later run reuses it', async () => {
    const server = await startOriginalChatServer();
    try {
      const [alice, bob, carol] = await chatUsers(server.port, ['alice', 'bob', 'carol'], server);
      alice!.send({ command: 'GROUP', group: 'run', members: ['bob', 'carol'] });
      await waitFor(() => server.groups.has('run'));
      carol!.send({ command: 'LEAVE', group: 'run' });
      await waitFor(() => server.groups.get('run')?.size === 1);
      for (const c of [alice!, bob!, carol!]) c.send({ command: 'LOGOUT' });
      await Promise.all([alice!, bob!, carol!].map((c) => c.until((x) => x.closed)));
      expect([...server.groups.get('run')!]).toEqual(['bob']);
      // A later run: its GROUP of the same name is ignored, and the old member still hears it.
      const [erin, frank, bob2] = await chatUsers(server.port, ['erin', 'frank', 'bob'], server);
      erin!.send({ command: 'GROUP', group: 'run', members: ['erin', 'frank'] });
      erin!.send({ command: 'BROADCAST', group: 'run', data: 'new run' });
      await bob2!.until((c) => c.received.length === 1);
      await sleep(QUIET_MS);
      expect(frank!.received).toEqual([]);
      bob2!.send({ command: 'LEAVE', group: 'run' });
      await waitFor(() => server.groups.get('run')?.size === 0);
      expect(server.groups.has('run')).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('dieInLogoutPhase: the first LOGOUT kills the server and every connection', async () => {
    const server = await startOriginalChatServer({ dieInLogoutPhase: true });
    try {
      const [alice, bob] = await chatUsers(server.port, ['alice', 'bob'], server);
      alice!.send({ command: 'LOGOUT' });
      await Promise.all([alice!.until((c) => c.closed), bob!.until((c) => c.closed)]);
      expect(server.stats.crashed).toBe(true);
      await expect(ChatClient.connect(server.port)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});

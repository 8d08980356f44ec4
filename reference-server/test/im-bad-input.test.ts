// Bad input has a defined outcome and never disturbs other users [IM-FRAME-4..7, IM-CONN-*].
import { afterEach, describe, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode, encodeFrame, encodeMessage, writeFrameHeader } from '../../proto/index.js';
import { befriend, loggedIn, roundTrip } from './im-users.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
const clients: ImClient[] = [];
async function connect(options = {}): Promise<ImClient> {
  const c = await ImClient.connect(t.imPort, '127.0.0.1', options);
  clients.push(c);
  return c;
}
function header(id: number, length: number, layout: 'le' | 'be' = 'le'): Buffer {
  const b = Buffer.alloc(8);
  writeFrameHeader(b, 0, id, length, layout);
  return b;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t.close();
});

/** A logged-in pair of friends that must keep chatting whatever the bad client does. */
async function bystanders(): Promise<() => Promise<void>> {
  const alice = await loggedIn(t.imPort, 'alice');
  const bob = await loggedIn(t.imPort, 'bob');
  clients.push(alice, bob);
  await befriend(alice, 'bob');
  return async () => {
    alice.send(MessageId.FriendChatRequest, { ToUserID: 'bob', Content: new Uint8Array([42]) });
    expect((await bob.next(MessageId.FriendChatNotice)).Content).toEqual(new Uint8Array([42]));
  };
}

describe('frames', () => {
  test('a header announcing more than --max-body closes the connection with the reason logged', async () => {
    t = await startTestServer({ maxBodyBytes: 1024 });
    const stillWorks = await bystanders();
    const bad = await connect();
    bad.sendRaw(header(MessageId.HeartbeatRequest, 1025));
    await bad.waitClosed();
    await t.logged(/closing: frame header announces a 1025-byte body, over the 1024-byte limit/);
    await stillWorks();
  });

  test('a body of exactly --max-body is accepted', async () => {
    t = await startTestServer({ maxBodyBytes: 1024 });
    const c = await connect();
    const body = encodeMessage(MessageId.HeartbeatRequest, { UserID: 'x'.repeat(1021) });
    expect(body.length).toBe(1024);
    c.sendRaw(encodeFrame(MessageId.HeartbeatRequest, body));
    expect((await c.next(MessageId.HeartbeatResponse)).Result?.Code).toBe(ResultCode.Success);
  });

  test('a 4 GiB announcement is refused before anything is allocated', async () => {
    t = await startTestServer();
    const c = await connect();
    c.sendRaw(header(MessageId.HeartbeatRequest, 0xffffffff));
    await c.waitClosed();
    await t.logged(/announces a 4294967295-byte body, over the 16777216-byte limit \(wrong --layout or --max-body\?\)/);
  });

  test.each([[0], [25], [0xffffffff], [MessageId.HeartbeatResponse]])('message id %i closes the connection with the reason logged', async (id) => {
    t = await startTestServer();
    const stillWorks = await bystanders();
    const c = await connect();
    c.sendRaw(header(id, 0));
    await c.waitClosed();
    await t.logged(id === MessageId.HeartbeatResponse ? /message id 20 \(HeartbeatResponse\) is not a client request/ : new RegExp(`message id ${id} is not a client request`));
    await stillWorks();
  });

  test('an undecodable body gets the paired response with a Failure, and the connection stays open', async () => {
    t = await startTestServer();
    const c = await connect();
    const garbage = Buffer.from([0x0a, 0x7f, 0x01]);   // field 1, length 127, 1 byte of it
    c.sendRaw(Buffer.concat([header(MessageId.LoginRequest, garbage.length), garbage]));
    const reply = await c.next(MessageId.LoginResponse);
    expect(reply.Result?.Code).toBe(ResultCode.Failure);
    expect(reply.Result?.Msg).toMatch(/does not decode/);
    c.sendRaw(Buffer.concat([header(MessageId.HeartbeatRequest, garbage.length), garbage]));
    expect((await c.next(MessageId.HeartbeatResponse)).Result?.Code).toBe(ResultCode.Failure);
    await roundTrip(c);
  });

  test('frames split byte by byte and many in one write are all answered', async () => {
    t = await startTestServer();
    const c = await connect();
    const frame = encodeFrame(MessageId.HeartbeatRequest, encodeMessage(MessageId.HeartbeatRequest, { UserID: 'u' }));
    for (const byte of frame) c.sendRaw(Buffer.from([byte]));
    await c.next(MessageId.HeartbeatResponse);
    c.sendRaw(Buffer.concat(Array.from({ length: 1000 }, () => frame)));
    for (let i = 0; i < 1000; i++) await c.next(MessageId.HeartbeatResponse);
  });

  test('--layout be serves big-endian id-first frames', async () => {
    t = await startTestServer({ layout: 'be' });
    const c = await connect({ layout: 'be' });
    c.send(MessageId.HeartbeatRequest, {});
    expect((await c.next(MessageId.HeartbeatResponse)).Result?.Code).toBe(ResultCode.Success);
  });
});

describe('connections', () => {
  test('a connection that never logs in or goes silent is closed after --idle-timeout', async () => {
    t = await startTestServer({ idleTimeoutMs: 200 });
    const silent = await connect();
    const halfHeader = await connect();
    halfHeader.sendRaw(Buffer.from([1, 0, 0]));   // half a header, then nothing: a half-open peer
    await silent.waitClosed(3000);
    await halfHeader.waitClosed(3000);
    await t.logged(/idle for more than 200 ms/);
  });

  test('a logged-in user that goes silent is logged out and its friends are told', async () => {
    t = await startTestServer({ idleTimeoutMs: 300 });
    const alice = await loggedIn(t.imPort, 'alice');
    const bob = await loggedIn(t.imPort, 'bob');
    clients.push(alice, bob);
    await befriend(alice, 'bob');
    const beat = setInterval(() => bob.send(MessageId.HeartbeatRequest, {}), 50);
    try {
      await alice.waitClosed(3000);
      expect((await bob.next(MessageId.UserOfflineNotice)).UserID).toBe('alice');
      expect(bob.closed).toBe(false);
    } finally {
      clearInterval(beat);
    }
  });

  test('a client that never reads is disconnected; the heap is not its buffer', async () => {
    t = await startTestServer({ maxOutboundBytes: 64 * 1024 });
    const stillWorks = await bystanders();
    const greedy = await connect();
    greedy.socket.pause();
    const request = encodeFrame(MessageId.GetUserListRequest, new Uint8Array(0));
    greedy.send(MessageId.RegisterRequest, { UserID: 'greedy', Password: 'pw' });
    greedy.send(MessageId.LoginRequest, { UserID: 'greedy', Password: 'pw' });
    // Each reply lists 3 users; 200,000 of them are far more than loopback's socket buffers hold.
    for (let i = 0; i < 200; i++) greedy.sendRaw(Buffer.concat(Array.from({ length: 1000 }, () => request)));
    await t.logged(/peer is not reading: over 65536 bytes of replies queued/, 20_000);
    await stillWorks();
  });

  test('one message larger than --max-outbound still reaches a client that reads (regression)', async () => {
    t = await startTestServer({ maxOutboundBytes: 64 * 1024 });
    const alice = await loggedIn(t.imPort, 'alice');
    const bob = await loggedIn(t.imPort, 'bob');
    clients.push(alice, bob);
    await befriend(alice, 'bob');
    const big = new Uint8Array(1024 * 1024).fill(7);
    alice.send(MessageId.FriendChatRequest, { ToUserID: 'bob', Content: big });
    expect((await bob.next(MessageId.FriendChatNotice)).Content.length).toBe(big.length);
  });

  test('shutdown closes every connection', async () => {
    t = await startTestServer();
    const c = await connect();
    await roundTrip(c);
    await t.close();
    await c.waitClosed();
    t = await startTestServer();   // afterEach closes this one
  });
});

describe('layout mismatch [IM-FRAME-8]', () => {
  test('a big-endian LoginRequest to a little-endian server is refused at its header, not after 16 MiB', async () => {
    t = await startTestServer();
    const c = await connect({ layout: 'be' });
    c.send(MessageId.LoginRequest, { UserID: 'alice', Password: 'pa', Status: 2 });
    await c.waitClosed(2000);
    await t.logged(/message id \d+ is not a client request \(wrong --layout\?\)/);
  });

  test('requests before a refused header are still answered, even those handled asynchronously', async () => {
    t = await startTestServer();
    const c = await connect();
    const register = encodeFrame(MessageId.RegisterRequest, encodeMessage(MessageId.RegisterRequest, { UserID: 'early', Password: 'pw' }));
    c.sendRaw(Buffer.concat([register, header(MessageId.HeartbeatResponse, 0)]));
    expect((await c.next(MessageId.RegisterResponse)).Result?.Code).toBe(ResultCode.Success);
    await c.waitClosed();
  });

  test('a client that half-closes still gets the replies to what it sent', async () => {
    t = await startTestServer();
    const c = await connect();
    c.send(MessageId.RegisterRequest, { UserID: 'halfway', Password: 'pw' });
    c.socket.end();
    expect((await c.next(MessageId.RegisterResponse)).Result?.Code).toBe(ResultCode.Success);
    await c.waitClosed();
  });
});

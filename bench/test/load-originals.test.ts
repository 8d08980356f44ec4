// The load generator against servers that behave as the original IM and CHAT/1.0 servers do
// (test-support/doubles: an avatar required, UserID fields required, replies under unexpected ids, no
// heartbeat replies, offline chats dropped, groups never deleted, a crash in the logout phase), and
// against the reference server made to refuse or drop. A broken server gets a failing verdict with
// its reason; a working one, however odd, gets exact counts [D-VERDICT].
import { describe, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode } from '../../proto/index.js';
import { startTestServer } from '../../test-support/test-server.js';
import { startOriginalChatServer } from '../../test-support/doubles/original-chat-server.js';
import { startOriginalImServer } from '../../test-support/doubles/original-im-server.js';
import { namePrefix } from '../model/population.js';
import { expectExit, load } from '../../test-support/cli-run.js';
import { keeper } from '../../test-support/cleanup.js';

// The tests of each describe run concurrently (all but one, which says why), each against a server
// of its own (closed when it ends): they mostly wait on the generator's timers, and none shares
// anything with another.

describe('the original IM server', () => {
  test.concurrent('with --unanswered heartbeat,userinfo: registered with avatars, befriended with UserID, chats and files exact', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalImServer());
    const run = await load([
      '--target', `127.0.0.1:${original.port}`, '--users', '15', '--duration', '3s', '--chat-rate', '1', '--status-rate', '0.3',
      '--upload-rate', '0.3', '--upload-size', '100-2000', '--heartbeat-interval', '500ms', '--unanswered', 'heartbeat,userinfo',
      '--grace', '2s', '--seed', 'original-ok',
    ]);
    expectExit(run, 0);
    const { ops, delivery } = run.result;
    for (const op of ['register', 'login', 'friends', 'userlist']) expect(ops[op]?.ok, op).toBe(15);
    expect(ops.addfriends).toMatchObject({ ok: 12, failed: 0 });
    // Sent, never timed: the original never answers a heartbeat.
    expect(ops.heartbeat!.sent).toBeGreaterThan(30);
    expect(ops.heartbeat).toMatchObject({ ok: 0, timeouts: 0, unanswered: 0 });
    expect(delivery.chat).toMatchObject({ delivered: ops['chat.e2e']!.sent, lost: 0 });
    // Uploads vary in content, so its MD5 de-duplication refuses none; downloads come from its /res/.
    expect(ops.upload).toMatchObject({ failed: 0 });
    expect(delivery.file).toMatchObject({ delivered: ops['file.e2e']!.sent, lost: 0, corrupted: 0 });
    expect(ops['file.e2e']!.sent).toBeGreaterThan(0);
    expect(run.result.unexpectedFrames).toEqual({});
  });

  test.concurrent('without --unanswered: the heartbeats it never answers time out, and the run fails', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalImServer());
    const run = await load(['--target', `127.0.0.1:${original.port}`, '--users', '10', '--duration', '3s', '--chat-rate', '3',
      '--heartbeat-interval', '300ms', '--timeout', '1s', '--grace', '1500ms', '--seed', 'original-hb']);
    expect([99, 4], run.stdout).toContain(run.code);
    expect(run.result.ops.heartbeat!.timeouts + run.result.ops.heartbeat!.unanswered).toBeGreaterThan(0);
    expect(run.result.ops.heartbeat!.ok).toBe(0);
  });

  test.concurrent('friend groups of one: GetFriends answered under id 4 is counted as an unexpected frame and shown', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalImServer());
    const run = await load(['--target', `127.0.0.1:${original.port}`, '--users', '4', '--group-size', '1', '--duration', '1s',
      '--unanswered', 'heartbeat', '--timeout', '1s', '--grace', '1500ms', '--seed', 'no-friends']);
    expectExit(run, 99);
    expect(run.result.unexpectedFrames).toEqual({ 4: 4 });
    expect(run.result.ops.friends!.timeouts).toBe(4);
    expect(run.stdout).toMatch(/unexpected frames .*: id 4 4/);
    expect(run.result.usersFailed).toEqual({ 'friends timed out': 4 });
  });

  test.concurrent('users it logs out for silence: its 8 notices about users still logged in are shown, the chats to them lost', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalImServer({ silentLogoutMs: 800 }));
    const run = await load(['--target', `127.0.0.1:${original.port}`, '--users', '6', '--group-size', '3', '--duration', '3s', '--chat-rate', '2',
      '--heartbeat-interval', '60s', '--unanswered', 'heartbeat', '--grace', '1s', '--seed', 'silent-logout']);
    expectExit(run, 99);
    expect(run.result.notices['8 about a user still logged in']).toBeGreaterThan(0);
    expect(run.result.delivery.chat!.lost).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/id 8 about a user still logged in \d+/);
  });

  test.concurrent('a server that dies in the logout phase fails the run (exit 4, the final probe)', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalImServer({ dieInLogoutPhase: true }));
    const run = await load(['--target', `127.0.0.1:${original.port}`, '--users', '6', '--duration', '1s', '--unanswered', 'heartbeat',
      '--timeout', '1s', '--grace', '300ms', '--seed', 'dies-at-logout']);
    expect(run.code, run.stdout).toBe(4);
    expect(run.result.reasons.join()).toMatch(/final probe/);
  });

  // Not beside the others (it runs after them): a chat sent to a user just before its logout, on the
  // sender's connection, is lost by the original as an online chat when the server reads the logout
  // first, and lost counts more than the offline chats. A server sharing its event loop with other
  // tests' servers reads both in the same turn far more often; alone it rarely does.
  test('users who come and go: chats sent while they are away are dropped by the original, and the summary says so', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalImServer());
    const run = await load(['--target', `127.0.0.1:${original.port}`, '--users', '10', '--duration', '4s', '--chat-rate', '3',
      '--reconnect-rate', '0.4', '--away-time', '500ms', '--unanswered', 'heartbeat', '--heartbeat-interval', '500ms', '--grace', '1500ms', '--seed', 'original-away']);
    expectExit(run, 99);
    const offline = run.result.ops['chat.offline.e2e']!;
    expect(offline.sent).toBeGreaterThan(0);
    expect(offline.ok).toBe(0);
    expect(run.result.delivery.chat!.lost).toBe(offline.sent);
    expect(run.stdout).toMatch(/the server does not keep chats for users who are offline/);
    // Coming back is a login like any other: more logins than users.
    expect(run.result.ops.login!.ok).toBeGreaterThan(10);
  });
});

describe('the reference server refusing or dropping', () => {
  test.concurrent('users who come and go: chats sent while they were away are delivered at their next login', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn' }));
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '10', '--duration', '4s', '--chat-rate', '3',
      '--reconnect-rate', '0.4', '--away-time', '500ms', '--heartbeat-interval', '500ms', '--grace', '2s', '--seed', 'away']);
    expectExit(run, 0);
    const offline = run.result.ops['chat.offline.e2e']!;
    expect(offline.sent).toBeGreaterThan(0);
    expect(offline.ok).toBe(offline.sent);
    expect(run.result.delivery.chat).toMatchObject({ lost: 0, duplicated: 0 });
    expect(run.result.ops.login!.ok).toBeGreaterThan(10);
  });

  test.concurrent('every login refused (the users exist with other passwords): exit 99, the reason and the server\'s words shown', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn' }));
    const seed = 'refused';
    for (let i = 0; i < 5; i++) {
      const c = await ImClient.connect(server.imPort);
      c.send(MessageId.RegisterRequest, { UserID: `${namePrefix(seed)}-${i}`, Password: 'not-theirs' });
      const reply = await c.next(MessageId.RegisterResponse);
      expect(reply.Result?.Code).toBe(ResultCode.Success);
      c.close();
    }
    const run = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '5', '--duration', '1s', '--grace', '300ms', '--seed', seed]);
    expectExit(run, 99);
    expect(run.result.ops.login).toMatchObject({ sent: 5, ok: 0, failed: 5 });
    expect(run.result.ops.login!.failedBy).toEqual({ WrongPassword: 5 });
    expect(run.result.usersFailed).toEqual({ 'login: WrongPassword': 5 });
    expect(run.stdout).toMatch(/login WrongPassword 5: "/);
  });

  test.concurrent('CHAT/1.0 chats longer than the server\'s line limit are dropped: lost, and the run fails', async (ctx) => {
    const keep = keeper(ctx);
    const server = keep(await startTestServer({ logLevel: 'warn', maxLineBytes: 120 }));
    const run = await load(['--protocol', 'chat', '--target', `127.0.0.1:${server.chatPort}`, '--users', '6', '--duration', '2s',
      '--chat-rate', '2', '--chat-size', '300', '--broadcast-rate', '0', '--grace', '500ms', '--seed', 'too-long']);
    expectExit(run, 99);
    expect(run.result.delivery.send!.lost).toBe(run.result.ops['send.e2e']!.sent);
    expect(run.result.delivery.send!.lost).toBeGreaterThan(0);
  });
});

describe('the original CHAT/1.0 server', () => {
  test.concurrent('groups of two, a last group of one joined to the one before, and a second run of the same seed: exact', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalChatServer());
    for (const users of ['11', '11']) {
      const run = await load(['--protocol', 'chat', '--target', `127.0.0.1:${original.port}`, '--users', users, '--group-size', '5',
        '--duration', '2s', '--chat-rate', '1', '--broadcast-rate', '1', '--grace', '1s', '--seed', 'original-chat']);
      expectExit(run, 0);
      const { ops, delivery } = run.result;
      expect(ops.login?.ok).toBe(11);
      expect(ops['broadcast.e2e']!.sent).toBeGreaterThan(0);
      expect(delivery.broadcast).toMatchObject({ delivered: ops['broadcast.e2e']!.sent, lost: 0 });
      expect(delivery.send).toMatchObject({ delivered: ops['send.e2e']!.sent, lost: 0 });
    }
    // Two groups per run (5 and 6 members, each delivering to every member), named per run: four
    // groups, none reused (every member has LEFT them since; the original never deletes one).
    expect(original.groups.size).toBe(4);
    const pairs = await load(['--protocol', 'chat', '--target', `127.0.0.1:${original.port}`, '--users', '4', '--group-size', '2',
      '--duration', '2s', '--chat-rate', '0', '--broadcast-rate', '2', '--grace', '1s', '--seed', 'pairs']);
    expectExit(pairs, 0);
    expect(pairs.result.delivery.broadcast).toMatchObject({ delivered: pairs.result.ops['broadcast.e2e']!.sent, lost: 0 });
    expect(pairs.result.ops['broadcast.e2e']!.sent).toBeGreaterThan(0);
  });

  test.concurrent('a server that crashes during the logout phase fails the run (exit 4)', async (ctx) => {
    const keep = keeper(ctx);
    const original = keep(await startOriginalChatServer({ dieInLogoutPhase: true }));
    const run = await load(['--protocol', 'chat', '--target', `127.0.0.1:${original.port}`, '--users', '6', '--duration', '1s',
      '--chat-rate', '1', '--grace', '300ms', '--timeout', '1s', '--seed', 'chat-crash']);
    expect(run.code, run.stdout).toBe(4);
    expect(run.result.reasons.join()).toMatch(/final probe/);
  });
});

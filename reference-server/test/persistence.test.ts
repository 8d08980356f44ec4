// What the server stores survives a restart, including kill -9 right after the responses were sent
// [IM-STORE-1]; SIGINT and SIGTERM shut it down cleanly [SRV-SHUTDOWN-1].
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode } from '../../proto/index.js';
import { serve, type ServeProcess } from '../../test-support/cli-process.js';
import { befriend, login, loggedIn, register, roundTrip } from './im-users.js';

let dataDir: string;
const running: ServeProcess[] = [];
const clients: ImClient[] = [];

beforeEach(async () => { dataDir = await mkdtemp(join(tmpdir(), 'tb-persist-')); });
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const p of running.splice(0)) { p.child.kill('SIGKILL'); await p.exited; }
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ServeProcess> {
  const p = await serve(['--data', dataDir]);
  running.push(p);
  return p;
}

describe('restart persistence', () => {
  test('users, friendships, undelivered chats and files survive kill -9', async () => {
    const first = await start();
    const alice = await loggedIn(first.imPort, 'alice');
    await register(first.imPort, 'bob');
    await befriend(alice, 'bob');
    alice.send(MessageId.FriendChatRequest, { ToUserID: 'bob', Content: new TextEncoder().encode('while you were out') });
    alice.send(MessageId.UploadFileRequest, { fileName: 'notes.txt', Data: new TextEncoder().encode('file body'), ToUserID: 'bob' });
    const upload = await alice.next(MessageId.UploadFileResponse);
    expect(upload.Result?.Code).toBe(ResultCode.Success);
    alice.send(MessageId.ChangeStatusRequest, { Status: 4 });
    await roundTrip(alice);   // every request before it has been handled, and answered
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    alice.close();

    const second = await start();
    const bob = await login(second.imPort, 'bob');
    clients.push(bob);
    const chat = await bob.next(MessageId.FriendChatNotice);
    expect(chat.FromUserID).toBe('alice');
    expect(new TextDecoder().decode(chat.Content)).toBe('while you were out');
    bob.send(MessageId.GetFriendsRequest, {});
    expect((await bob.next(MessageId.GetFriendsResponse)).Friends.map((f) => f.UserID)).toEqual(['alice']);
    bob.send(MessageId.GetFileListRequest, {});
    const [file] = (await bob.next(MessageId.GetFileListResponse)).FileList;
    expect(file).toMatchObject({ UserID: 'alice', FileName: 'notes.txt', FileSize: 9 });
    // URLs are built when sent: they name the new process's port.
    expect(new URL(file?.DownUrl ?? '').port).toBe(String(second.httpPort));
    expect(await (await fetch(file?.DownUrl ?? '')).text()).toBe('file body');
    const alice2 = await login(second.imPort, 'alice');
    clients.push(alice2);
    alice2.send(MessageId.GetUserListRequest, {});
    const users = (await alice2.next(MessageId.GetUserListResponse)).UserList;
    expect(users.map((u) => u.UserID)).toEqual(['alice', 'bob']);
  });

  test('passwords are stored as scrypt hashes, never in plain text', async () => {
    const p = await start();
    await register(p.imPort, 'carol', 'correct horse battery staple');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    const db = new Database(join(dataDir, 'talkbench.db'), { readonly: true });
    const row = db.prepare('SELECT password_hash FROM users WHERE user_id = ?').get('carol') as { password_hash: string };
    db.close();
    expect(row.password_hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    for (const file of ['talkbench.db', 'talkbench.db-wal']) {
      const bytes = await readFile(join(dataDir, file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes('correct horse battery staple')).toBe(false);
    }
  });
});

describe('shutdown', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s stops accepting, closes connections and exits 0', async (signal) => {
    const p = await start();
    const c = await ImClient.connect(p.imPort);
    clients.push(c);
    await roundTrip(c);
    p.child.kill(signal);
    await c.waitClosed();
    const { code } = await p.exited;
    expect(code).toBe(0);
    expect(p.stderr.join('\n')).toContain('shut down cleanly');
    await expect(ImClient.connect(p.imPort)).rejects.toThrow(/ECONNREFUSED/);
  });
});

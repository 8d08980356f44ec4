// Upload over TCP, download over HTTP, per-user file lists and avatars [IM-FILE-*].
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { MessageId, ResultCode } from '../../proto/index.js';
import { befriend, login, loggedIn, register } from './im-users.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const clients: ImClient[] = [];
let t: TestServer;
/** The disk store's folder of the current test, removed after it. */
let dataDir: string | undefined;

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await t.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function upload(client: ImClient, fileName: string, data: Uint8Array, ToUserID = '') {
  client.send(MessageId.UploadFileRequest, { fileName, Data: data, ToUserID, UserType: 0 });
  return client.next(MessageId.UploadFileResponse);
}

describe.each([['memory', true], ['disk', false]] as const)('files with %s storage', (_name, memory) => {
  beforeEach(async () => {
    dataDir = memory ? undefined : await mkdtemp(join(tmpdir(), 'tb-files-'));
    t = await startTestServer({ memory, ...(dataDir ? { dataDir } : {}) });
  });

  test('an upload answers with a URL that serves the same bytes, GET and HEAD', async () => {
    const alice = await loggedIn(t.imPort, 'alice');
    clients.push(alice);
    const data = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
    const reply = await upload(alice, 'report.PDF', data);
    expect(reply.Result?.Code).toBe(ResultCode.Success);
    expect(reply.FileName).toBe('report.PDF');
    expect(reply.DownUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${t.httpPort}/res/files/[0-9a-f]{32}\\.pdf$`));
    const got = await fetch(reply.DownUrl);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-length')).toBe(String(data.length));
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(data);
    const head = await fetch(reply.DownUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(data.length));
    expect(head.headers.get('content-disposition')).toContain('report.PDF');
  });

  test('a path in the client file name never reaches the disk path', async () => {
    const alice = await loggedIn(t.imPort, 'alice');
    clients.push(alice);
    const reply = await upload(alice, '../../../etc/passwd', new Uint8Array([1, 2, 3]));
    expect(reply.Result?.Code).toBe(ResultCode.Success);
    expect(reply.FileName).toBe('passwd');
    expect(reply.DownUrl).toMatch(/\/res\/files\/[0-9a-f]{32}$/);
    expect((await fetch(reply.DownUrl)).status).toBe(200);
  });

  test('the file list is per user: the uploader and the addressee see it, others do not', async () => {
    const alice = await loggedIn(t.imPort, 'alice');
    const bob = await loggedIn(t.imPort, 'bob');
    const carol = await loggedIn(t.imPort, 'carol');
    clients.push(alice, bob, carol);
    await befriend(alice, 'bob');
    const first = await upload(alice, 'a.txt', new Uint8Array(10));
    const second = await upload(alice, 'b.txt', new Uint8Array(20), 'bob');
    alice.send(MessageId.GetFileListRequest, { UserID: 'alice' });
    const mine = await alice.next(MessageId.GetFileListResponse);
    expect(mine.Result?.Code).toBe(ResultCode.Success);
    expect(new Set(mine.FileList.map((f) => f.DownUrl))).toEqual(new Set([first.DownUrl, second.DownUrl]));
    expect(mine.FileList.find((f) => f.FileName === 'b.txt')).toMatchObject({ UserID: 'alice', FileSize: 20 });
    bob.send(MessageId.GetFileListRequest, {});
    expect((await bob.next(MessageId.GetFileListResponse)).FileList.map((f) => f.FileName)).toEqual(['b.txt']);
    carol.send(MessageId.GetFileListRequest, { UserID: 'alice' });
    expect((await carol.next(MessageId.GetFileListResponse)).FileList).toEqual([]);
  });

  test('an upload addressed to an unknown user is refused', async () => {
    const alice = await loggedIn(t.imPort, 'alice');
    clients.push(alice);
    expect((await upload(alice, 'x', new Uint8Array(1), 'ghost')).Result?.Code).toBe(ResultCode.UserNotExists);
  });

  test('an avatar given at registration is served at HeadImageUrl', async () => {
    const avatar = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await register(t.imPort, 'alice', 'pw-alice', { HeadImageData: avatar });
    const alice = await login(t.imPort, 'alice');
    clients.push(alice);
    alice.send(MessageId.GetUserListRequest, {});
    const url = (await alice.next(MessageId.GetUserListResponse)).UserList[0]?.HeadImageUrl ?? '';
    expect(url).toMatch(/\/res\/avatars\/[0-9a-f]{32}$/);
    expect(new Uint8Array(await (await fetch(url)).arrayBuffer())).toEqual(avatar);
  });

  test('unknown names, other paths and other methods are refused over HTTP', async () => {
    const base = `http://127.0.0.1:${t.httpPort}`;
    expect((await fetch(`${base}/res/files/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${base}/res/files/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/res/files/${'0'.repeat(32)}`, { method: 'POST' })).status).toBe(405);
  });
});

// The IM command checks: what each request does (docs/PROTOCOL.md sections 4-7), seen from the wire.
// Each check registers fresh users (names from ctx.name, so reruns never collide) and fills every
// field the original client fills (docs/ORIGINALS.md), so a failure is the server's own. Where a check
// must show that something did not happen, it never sleeps: a barrier on the actor proves its
// requests were handled, a barrier on each observer then proves every push they caused has arrived
// [IM-FRAME-5]. A reply that has not come by the time a later request of the same connection is
// answered never will [IM-REPLY-1, IM-FRAME-5]: that is a FAIL at once, not a TIMEOUT after a wait.
// Levels follow [D-LEVELS]: replies 12 and 20, offline chats stored and refusals before login are
// SHOULD; every other requirement here is a MUST or has no level word (checked like a MUST).
// Name tags start with a code of their check (`logsame`, `fpriv`...), so a transcript says whose
// account a frame is about (ctx.name's counter alone keeps names unique in a run).
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  MessageId, ResultCode, UserStatus, encodeMessageFrame, messageName,
  type DecodedMessage, type MessageFields, type MessageIdNumber,
} from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import type { ImPeer } from '../harness/im-peer.js';
import { seconds } from '../harness/peer.js';
import { CheckFailed, CheckTimedOut, expectThat } from '../harness/verdicts.js';
import { AVATAR, befriend, logIn, loggedIn, reconnect, registered, resultText, type Account } from './im-accounts.js';

// --- helpers ---------------------------------------------------------------------------------------

type Result = { Code?: number | null; Msg?: string | null } | null | undefined;

/** A missing Result or Code reads as 0, Failure [IM-REPLY-3]. */
const codeOf = (r: Result): number => r?.Code ?? 0;

const PUSH_IDS = [MessageId.UserOfflineNotice, MessageId.ChangeStatusNotice, MessageId.FriendChatNotice];
/** Every id a server may send [IM-MSG-2]: what a missing reply's verdict lists as having come instead. */
const SERVER_IDS = Array.from({ length: 12 }, (_, i) => 2 * (i + 1));

/** The frames of `ids` not yet taken, as the transcript reads them. */
function describePending(peer: ImPeer, ids: readonly number[]): string {
  const frames = peer.pending(...ids);
  return frames.length === 0 ? 'nothing' : frames.map((f) => peer.describe(f)).join('; ');
}

/**
 * The reply `replyId` to a request just sent on `peer`. When it is not there yet a barrier follows:
 * replies leave in request order [IM-FRAME-5], so a reply still missing once the barrier is answered
 * is not coming (FAIL, naming [IM-REPLY-1]). Never for LoginResponse: the barrier's own reply is a 2.
 */
async function answered<K extends MessageIdNumber>(peer: ImPeer, replyId: K, what: string): Promise<DecodedMessage<K>> {
  if (peer.pending(replyId).length === 0) {
    await peer.barrier();
    if (peer.pending(replyId).length === 0) {
      throw new CheckFailed(
        `${what}, before the reply to a LoginRequest sent after it (exactly one reply per request, in request order) [IM-REPLY-1, IM-FRAME-5]`,
        `the later request's reply first; ${peer.gotInstead()}; not taken: ${describePending(peer, SERVER_IDS)}`,
      );
    }
  }
  return peer.expect(replyId, { what });
}

/**
 * Exactly one reply [IM-REPLY-1]: once the reply was taken, a barrier; a second `replyId` would still
 * be waiting after it. Not for a LoginResponse: the barrier would take the duplicate as its own reply.
 */
async function expectNoSecondReply(peer: ImPeer, replyId: MessageIdNumber, what: string): Promise<void> {
  await peer.barrier();
  expectThat(peer.pending(replyId).length === 0, `exactly one ${what} [IM-REPLY-1]`, () => `a second one: ${describePending(peer, [replyId])}`);
}

/** Fails unless the reply's Result has `code` (and, for a refusal, a non-empty Msg [IM-REPLY-3]). */
function expectCode(result: Result, code: number, expected: string): void {
  expectThat(codeOf(result) === code, expected, () => resultText(result));
  if (code !== ResultCode.Success) {
    expectThat((result?.Msg ?? '') !== '', `${expected}, with a non-empty Msg saying why [IM-REPLY-3]`, () => resultText(result));
  }
}

/**
 * Proves nothing was pushed: a barrier on each actor (its requests were handled, their effects
 * complete), then on each observer (every push they caused has arrived), then no 8, 10 or 14 may wait
 * on any observer. A closed actor needs no barrier: the server closed it after handling what it did.
 */
async function expectNoPushes(actors: readonly ImPeer[], observers: readonly { peer: ImPeer; who: string }[], expected: string): Promise<void> {
  for (const actor of actors) if (!actor.closed) await actor.barrier();
  for (const o of observers) await o.peer.barrier();
  for (const o of observers) {
    expectThat(o.peer.pending(...PUSH_IDS).length === 0, `${expected}: nothing pushed to ${o.who}`, () => `${o.who} got ${describePending(o.peer, PUSH_IDS)}`);
  }
}

/** One frame in the target's layout, to be written together with others. */
const frameOf = <K extends MessageIdNumber>(ctx: CheckContext, id: K, fields: MessageFields<K>): Uint8Array => encodeMessageFrame(id, fields, ctx.profile.layout);

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

const hexStart = (b: Uint8Array): string => `${b.length} bytes${b.length > 0 ? ` starting ${Buffer.from(b.subarray(0, 16)).toString('hex')}` : ''}`;

/** A file body no earlier upload had: the original refuses a second upload of the same bytes (docs/ORIGINALS.md). */
const freshData = (size: number): Uint8Array => randomBytes(size);

function sendChat(from: Account, to: string, content: Uint8Array, fromField = from.user): void {
  from.peer.send(MessageId.FriendChatRequest, { FromUserID: fromField, ToUserID: to, Content: content });
}

/** GetFriends on the account's connection: the Friends of a 6 Success. */
async function friendsOf(account: Account, userIdField = account.user): Promise<NonNullable<DecodedMessage<6>['Friends']>> {
  account.peer.send(MessageId.GetFriendsRequest, { UserID: userIdField });
  const reply = await answered(account.peer, MessageId.GetFriendsResponse, `id 6 (GetFriendsResponse) to ${account.user}'s GetFriendsRequest [IM-FRIENDS-1]`);
  expectCode(reply.Result, ResultCode.Success, `GetFriendsResponse Success [IM-FRIENDS-1]`);
  return reply.Friends;
}

/** GetFileList on the account's connection: the FileList of a 24 Success. */
async function filesOf(account: Account, userIdField = account.user): Promise<NonNullable<DecodedMessage<24>['FileList']>> {
  account.peer.send(MessageId.GetFileListRequest, { UserID: userIdField, UserType: 0 });
  const reply = await answered(account.peer, MessageId.GetFileListResponse, `id 24 (GetFileListResponse) to ${account.user}'s GetFileListRequest [IM-FILE-4]`);
  expectCode(reply.Result, ResultCode.Success, `GetFileListResponse Success [IM-FILE-4]`);
  return reply.FileList;
}

interface Uploaded {
  data: Uint8Array;
  fileName: string;
  downUrl: string;
}

/** Uploads `data` as the original client does (FromUserID, ToUserID, UserType 0, fileName, Data); 22 Success expected. */
async function upload(account: Account, fileName: string, data: Uint8Array, to = ''): Promise<Uploaded & { reply: DecodedMessage<22> }> {
  account.peer.send(MessageId.UploadFileRequest, { FromUserID: account.user, ToUserID: to, UserType: 0, fileName, Data: data });
  const reply = await answered(account.peer, MessageId.UploadFileResponse, `id 22 (UploadFileResponse) to the upload of ${JSON.stringify(fileName)} (${data.length} bytes) [IM-FILE-1]`);
  expectCode(reply.Result, ResultCode.Success, `UploadFileResponse Success for ${JSON.stringify(fileName)} [IM-FILE-1]`);
  expectThat(reply.DownUrl !== '', `UploadFileResponse with a DownUrl [IM-FILE-1, IM-FILE-5]`, () => 'an empty DownUrl');
  return { data, fileName, downUrl: reply.DownUrl, reply };
}

/** The DownUrl as an absolute http(s) URL, its origin replaced by the profile's httpBase when the user gave one. */
function downloadUrl(ctx: CheckContext, downUrl: string): URL {
  let url: URL;
  try {
    url = new URL(downUrl);
  } catch {
    throw new CheckFailed('a DownUrl that is an absolute URL, PUBLIC/res/files/NAME [IM-FILE-5]', JSON.stringify(downUrl));
  }
  expectThat(url.protocol === 'http:' || url.protocol === 'https:', 'an http or https DownUrl [IM-FILE-3, IM-FILE-5]', () => JSON.stringify(downUrl));
  if (ctx.profile.httpBase === null) return url;
  const base = new URL(ctx.profile.httpBase);
  // Joined as text, so a path of the server's beginning with `//` stays a path.
  return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${url.pathname}${url.search}`);
}

interface Download {
  status: number;
  contentLength: string | null;
  bytes: Uint8Array;
}

/** One HTTP request with the check's timeout: TIMEOUT when no answer, FAIL when the request fails (refused, reset). */
async function fetchFile(ctx: CheckContext, url: URL, method: 'GET' | 'HEAD'): Promise<Download> {
  const timeoutMs = Math.max(ctx.profile.timeoutMs, 2000);
  ctx.transcript.note(`HTTP ${method} ${url.href}`);
  try {
    const res = await fetch(url, { method, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const contentLength = res.headers.get('content-length');
    ctx.transcript.note(`HTTP ${method} ${url.href}: ${res.status}, Content-Length ${contentLength ?? '(none)'}, ${bytes.length} bytes of body`);
    return { status: res.status, contentLength, bytes };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new CheckTimedOut(`an answer to HTTP ${method} ${url.href} within ${seconds(timeoutMs)} [IM-FILE-3]`, 'no answer');
    }
    throw new CheckFailed(`an answer to HTTP ${method} ${url.href} [IM-FILE-3]`, `the request failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
  }
}

/** GET returns exactly the bytes with a right Content-Length; HEAD the same status and Content-Length. */
async function expectDownload(ctx: CheckContext, file: Uploaded): Promise<void> {
  const url = downloadUrl(ctx, file.downUrl);
  const get = await fetchFile(ctx, url, 'GET');
  expectThat(get.status === 200, `GET of the DownUrl of ${JSON.stringify(file.fileName)} answered 200 [IM-FILE-3]`, () => `status ${get.status}`);
  expectThat(sameBytes(get.bytes, file.data), `GET of the DownUrl returns exactly the ${file.data.length} bytes uploaded [IM-FILE-1, IM-FILE-3]`, () => hexStart(get.bytes));
  expectThat(get.contentLength === String(file.data.length), `GET with Content-Length ${file.data.length} [IM-FILE-3]`, () => `Content-Length ${get.contentLength ?? '(none)'}`);
  const head = await fetchFile(ctx, url, 'HEAD');
  expectThat(head.status === 200, `HEAD of the DownUrl answered 200, as GET is [IM-FILE-3]`, () => `status ${head.status}`);
  expectThat(head.contentLength === String(file.data.length), `HEAD with the Content-Length of GET, ${file.data.length} [IM-FILE-3]`, () => `Content-Length ${head.contentLength ?? '(none)'}`);
  expectThat(head.bytes.length === 0, 'HEAD with no body [IM-FILE-3]', () => `${head.bytes.length} bytes of body`);
}

/** A LoginRequest on `peer`; its reply returned whatever its code. */
async function loginReply(peer: ImPeer, user: string, password: string, what: string, status: number = UserStatus.Online): Promise<DecodedMessage<2>> {
  peer.send(MessageId.LoginRequest, { UserID: user, Password: password, Status: status });
  return peer.expect(MessageId.LoginResponse, { what });
}

/** A 2 that refuses: the code, a Msg, and no User [IM-REPLY-3]. */
function expectRefusedLogin(reply: DecodedMessage<2>, code: number, expected: string): void {
  expectCode(reply.Result, code, expected);
  expectThat(!reply.User, `${expected}, with no User (a refused reply leaves its other fields at their defaults) [IM-REPLY-3]`, () => `User ${JSON.stringify(reply.User)}`);
}

function registerFields(user: string, password: string, tag: string): MessageFields<3> {
  return { UserID: user, Password: password, NickName: tag, Signature: `conformance ${tag}`, HeadImageData: AVATAR };
}

// --- replies [IM-REPLY-1, IM-REPLY-3]: one per request with a reply ---------------------------------

const REPLY_REQUIREMENT = 'Each of the requests 1, 3, 5, 15, 17, 21 and 23 MUST get exactly one reply, with the id one higher (11 and 19 SHOULD); every reply carries a Result, Code 1 on success.';

function replyCheck(name: string, requestId: MessageIdNumber, extra: Partial<CheckDefinition>, run: (ctx: CheckContext) => Promise<void>): CheckDefinition {
  return {
    id: `im.reply.${name}`,
    level: 'MUST',
    requirements: ['IM-REPLY-1', 'IM-REPLY-3'],
    requirement: REPLY_REQUIREMENT,
    description: `a successful ${messageName(requestId)} (${requestId}) gets one ${messageName(requestId + 1)} (${requestId + 1}) whose body decodes, with Result Code 1`,
    ...extra,
    run,
  };
}

const replyChecks: CheckDefinition[] = [
  replyCheck('login', MessageId.LoginRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-LOGIN-1'] }, async (ctx) => {
    const a = await registered(ctx, 'rloglogin');
    const reply = await loginReply(a.peer, a.user, a.password, `id 2 (LoginResponse) to the LoginRequest of ${a.user} [IM-REPLY-1]`);
    expectCode(reply.Result, ResultCode.Success, `LoginResponse Success for a registered user and its password [IM-REPLY-3, IM-LOGIN-1]`);
    expectThat(!!reply.User, 'LoginResponse Success with User filled [IM-REPLY-3, IM-LOGIN-1]', () => 'no User');
    // The barrier of expectNoSecondReply is itself a LoginRequest, whose reply would hide a duplicate:
    // a GetUserListRequest (15, answered 16: the list holds the user itself, so even the original
    // answers it) is the barrier here. Its reply comes after anything the login caused [IM-FRAME-5],
    // so a second LoginResponse is waiting by then.
    a.peer.send(MessageId.GetUserListRequest, { UserID: a.user });
    await a.peer.expect(MessageId.GetUserListResponse, { what: 'id 16 (GetUserListResponse), the barrier after the login' });
    expectThat(a.peer.pending(MessageId.LoginResponse).length === 0, 'exactly one LoginResponse to the login [IM-REPLY-1]', () => `a second one: ${describePending(a.peer, [MessageId.LoginResponse])}`);
  }),
  replyCheck('register', MessageId.RegisterRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-REG-1'] }, async (ctx) => {
    const peer = await ctx.im('reg');
    const user = ctx.name('rregreg');
    peer.send(MessageId.RegisterRequest, registerFields(user, `pw-${user}`, 'reg'));
    const reply = await answered(peer, MessageId.RegisterResponse, `id 4 (RegisterResponse) to the RegisterRequest of ${user} [IM-REPLY-1]`);
    expectCode(reply.Result, ResultCode.Success, `RegisterResponse Success for a new user [IM-REPLY-3, IM-REG-1]`);
    await expectNoSecondReply(peer, MessageId.RegisterResponse, 'RegisterResponse');
  }),
  replyCheck('get-friends', MessageId.GetFriendsRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-FRIENDS-1'], allows: 'a user with no friends gets 6 Success with an empty list' }, async (ctx) => {
    const a = await loggedIn(ctx, 'rfrilonely');
    a.peer.send(MessageId.GetFriendsRequest, { UserID: a.user });
    const reply = await answered(a.peer, MessageId.GetFriendsResponse, `id 6 (GetFriendsResponse) to the GetFriendsRequest of ${a.user}, who has no friends [IM-REPLY-1]`);
    expectCode(reply.Result, ResultCode.Success, `GetFriendsResponse Success, with an empty list [IM-REPLY-3, IM-FRIENDS-1]`);
    expectThat(reply.Friends.length === 0, 'no Friends for a user who added none [IM-FRIENDS-1]', () => `${reply.Friends.length} friends`);
    await expectNoSecondReply(a.peer, MessageId.GetFriendsResponse, 'GetFriendsResponse');
  }),
  replyCheck('update-user-info', MessageId.UpdateUserInfoRequest, {
    level: 'SHOULD', requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-INFO-1'], needsReply: 'userinfo',
    requirement: 'An UpdateUserInfoRequest gets 12 Success (SHOULD per [D-LEVELS]: the original never sends 12).',
  }, async (ctx) => {
    const a = await loggedIn(ctx, 'rinfoinfo');
    a.peer.send(MessageId.UpdateUserInfoRequest, { User: { UserID: a.user, NickName: 'renamed', Signature: 'a new signature', HeadImageUrl: '' } });
    const reply = await answered(a.peer, MessageId.UpdateUserInfoResponse, `id 12 (UpdateUserInfoResponse) to the UpdateUserInfoRequest of ${a.user} [IM-REPLY-1, IM-INFO-1]`);
    expectCode(reply.Result, ResultCode.Success, `UpdateUserInfoResponse Success for a valid profile [IM-REPLY-3, IM-INFO-1]`);
    await expectNoSecondReply(a.peer, MessageId.UpdateUserInfoResponse, 'UpdateUserInfoResponse');
  }),
  replyCheck('get-user-list', MessageId.GetUserListRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-USERS-1'] }, async (ctx) => {
    const a = await loggedIn(ctx, 'ruserslist');
    a.peer.send(MessageId.GetUserListRequest, { UserID: a.user });
    const reply = await answered(a.peer, MessageId.GetUserListResponse, `id 16 (GetUserListResponse) to the GetUserListRequest of ${a.user} [IM-REPLY-1]`);
    expectCode(reply.Result, ResultCode.Success, `GetUserListResponse Success [IM-REPLY-3, IM-USERS-1]`);
    expectThat(reply.UserList.length > 0, 'a UserList with at least one user: the requester is registered [IM-USERS-1]', () => 'an empty UserList');
    await expectNoSecondReply(a.peer, MessageId.GetUserListResponse, 'GetUserListResponse');
  }),
  replyCheck('add-friends', MessageId.AddFriendsRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-FRIENDS-2'] }, async (ctx) => {
    const a = await loggedIn(ctx, 'raddadder');
    const b = await registered(ctx, 'raddadded');
    a.peer.send(MessageId.AddFriendsRequest, { UserID: a.user, UserIDList: [b.user] });
    const reply = await answered(a.peer, MessageId.AddFriendsResponse, `id 18 (AddFriendsResponse) to ${a.user} adding ${b.user} [IM-REPLY-1]`);
    expectCode(reply.Result, ResultCode.Success, `AddFriendsResponse Success for a registered user [IM-REPLY-3, IM-FRIENDS-2]`);
    await expectNoSecondReply(a.peer, MessageId.AddFriendsResponse, 'AddFriendsResponse');
  }),
  replyCheck('heartbeat', MessageId.HeartbeatRequest, {
    level: 'SHOULD', requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-HEARTBEAT-1'], needsReply: 'heartbeat',
    requirement: 'A HeartbeatRequest gets 20 Success, logged in or not (SHOULD per [D-LEVELS]: the original never sends 20).',
    description: 'a HeartbeatRequest before login and another after it each get one HeartbeatResponse (20) with Result Code 1',
  }, async (ctx) => {
    const a = await registered(ctx, 'rbeatbeat');
    for (const when of ['before login', 'after login']) {
      if (when === 'after login') await logIn(a);
      a.peer.send(MessageId.HeartbeatRequest, { UserID: a.user });
      const reply = await answered(a.peer, MessageId.HeartbeatResponse, `id 20 (HeartbeatResponse) to a HeartbeatRequest ${when} [IM-REPLY-1, IM-HEARTBEAT-1]`);
      expectCode(reply.Result, ResultCode.Success, `HeartbeatResponse Success ${when} [IM-REPLY-3, IM-HEARTBEAT-1]`);
      await expectNoSecondReply(a.peer, MessageId.HeartbeatResponse, `HeartbeatResponse ${when}`);
    }
  }),
  replyCheck('upload-file', MessageId.UploadFileRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-FILE-1'] }, async (ctx) => {
    const a = await loggedIn(ctx, 'rupup');
    const file = await upload(a, 'reply.bin', freshData(64));
    expectThat(file.reply.FileName !== '', 'UploadFileResponse Success with FileName filled [IM-REPLY-3, IM-FILE-1]', () => 'an empty FileName');
    await expectNoSecondReply(a.peer, MessageId.UploadFileResponse, 'UploadFileResponse');
  }),
  replyCheck('get-file-list', MessageId.GetFileListRequest, { requirements: ['IM-REPLY-1', 'IM-REPLY-3', 'IM-FILE-4'] }, async (ctx) => {
    const a = await loggedIn(ctx, 'rfilesfiles');
    a.peer.send(MessageId.GetFileListRequest, { UserID: a.user, UserType: 0 });
    const reply = await answered(a.peer, MessageId.GetFileListResponse, `id 24 (GetFileListResponse) to the GetFileListRequest of ${a.user} [IM-REPLY-1]`);
    expectCode(reply.Result, ResultCode.Success, `GetFileListResponse Success [IM-REPLY-3, IM-FILE-4]`);
    await expectNoSecondReply(a.peer, MessageId.GetFileListResponse, 'GetFileListResponse');
  }),
];

// --- register [IM-REG-1..3] -------------------------------------------------------------------------

const registerSuccess: CheckDefinition = {
  id: 'im.register.success',
  level: 'MUST',
  requirements: ['IM-REG-1', 'IM-REG-4'],
  requirement: 'A valid RegisterRequest for a free UserID creates the account and gets 4 Success; it does not log the connection in, and is accepted on a logged-in connection too.',
  description: 'register, then log in on the same connection (it was not logged in) and see the NickName and Signature given; a second registration on the now logged-in connection succeeds',
  async run(ctx) {
    const peer = await ctx.im('reg');
    const user = ctx.name('regokreg');
    const password = `pw-${user}`;
    peer.send(MessageId.RegisterRequest, { UserID: user, Password: password, NickName: 'Nick name', Signature: 'a signature', HeadImageData: AVATAR });
    const reply = await answered(peer, MessageId.RegisterResponse, `id 4 (RegisterResponse) to the registration of ${user} [IM-REG-1]`);
    expectCode(reply.Result, ResultCode.Success, `RegisterResponse Success for a free UserID [IM-REG-1]`);
    const login = await loginReply(peer, user, password, `id 2 (LoginResponse) to the login of the new user ${user} on the connection that registered it [IM-REG-1]`);
    expectCode(login.Result, ResultCode.Success, `LoginResponse Success on the registering connection: registration creates the account and does not log in [IM-REG-1]`);
    const info = login.User;
    expectThat(info?.UserID === user && info.NickName === 'Nick name' && info.Signature === 'a signature',
      `User {UserID ${user}, NickName "Nick name", Signature "a signature"}, as registered [IM-REG-1]`, () => JSON.stringify(info));
    expectThat(Number(info.CreateTime ?? 0) > 0, 'User.CreateTime set (unix seconds) [IM-REG-1]', () => `CreateTime ${String(info.CreateTime)}`);
    expectThat((info.HeadImageUrl ?? '') !== '', 'User.HeadImageUrl set: the registration carried an avatar [IM-REG-4]', () => 'an empty HeadImageUrl');
    const second = ctx.name('regokreg');
    peer.send(MessageId.RegisterRequest, registerFields(second, `pw-${second}`, 'reg2'));
    const again = await answered(peer, MessageId.RegisterResponse, `id 4 (RegisterResponse) to the registration of ${second} on a logged-in connection [IM-REG-1]`);
    expectCode(again.Result, ResultCode.Success, `RegisterResponse Success on a logged-in connection too [IM-REG-1]`);
  },
};

const registerUserExists: CheckDefinition = {
  id: 'im.register.user-exists',
  level: 'MUST',
  requirements: ['IM-REG-3'],
  requirement: 'A UserID already registered gets 4 UserExists (2).',
  description: 'a second registration of a UserID, with another password, gets 4 UserExists and leaves the first password valid',
  async run(ctx) {
    const a = await registered(ctx, 'regduptaken');
    const peer = await ctx.im('again');
    peer.send(MessageId.RegisterRequest, registerFields(a.user, `other-${a.password}`, 'again'));
    const reply = await answered(peer, MessageId.RegisterResponse, `id 4 (RegisterResponse) to a second registration of ${a.user} [IM-REG-3]`);
    expectCode(reply.Result, ResultCode.UserExists, `RegisterResponse UserExists (2) for a UserID already registered [IM-REG-3]`);
    const login = await loginReply(peer, a.user, a.password, `id 2 (LoginResponse) to ${a.user}'s login with its first password [IM-REG-3]`);
    expectCode(login.Result, ResultCode.Success, `LoginResponse Success with the first password: the refused registration changed nothing [IM-REG-3]`);
  },
};

const registerInvalidField: CheckDefinition = {
  id: 'im.register.invalid-field',
  level: 'MUST',
  requirements: ['IM-REG-2'],
  requirement: 'The server MUST refuse with 4 Failure (Code 0) and a Msg naming the field a request whose fields break the limits of section 8.',
  description: 'registrations with an empty, 65-character, control-character or space-padded UserID, an empty or 1025-byte Password, a 65-character NickName, a 257-character Signature, a 2 MiB + 1 avatar each get 4 Code 0 with a Msg, and create no account',
  allows: 'any wording of Msg, as long as it is not empty',
  async run(ctx) {
    const peer = await ctx.im('invalid');
    const valid = (tag: string): MessageFields<3> => registerFields(ctx.name(`regbad${tag}`), 'a-password', tag);
    const cases: { what: string; fields: MessageFields<3> }[] = [
      { what: 'an empty UserID', fields: { ...valid('empty'), UserID: '' } },
      { what: 'a 65-character UserID', fields: { ...valid('long'), UserID: ctx.name('regbadlong').padEnd(65, 'x') } },
      { what: 'a UserID with a control character', fields: { ...valid('ctl'), UserID: `${ctx.name('regbadctl')}\u0001` } },
      { what: 'a UserID starting with a space', fields: { ...valid('space'), UserID: ` ${ctx.name('regbadspace')}` } },
      { what: 'an empty Password', fields: { ...valid('nopw'), Password: '' } },
      { what: 'a 1025-byte Password', fields: { ...valid('longpw'), Password: 'p'.repeat(1025) } },
      { what: 'a 65-character NickName', fields: { ...valid('nick'), NickName: 'n'.repeat(65) } },
      { what: 'a 257-character Signature', fields: { ...valid('sig'), Signature: 's'.repeat(257) } },
    ];
    const avatarLimit = 2 * 1024 * 1024;
    if (ctx.profile.maxBodyBytes >= avatarLimit + 4096) {
      cases.push({ what: 'a HeadImageData of 2 MiB + 1 byte', fields: { ...valid('avatar'), HeadImageData: Buffer.concat([AVATAR, Buffer.alloc(avatarLimit + 1 - AVATAR.length)]) } });
    }
    for (const c of cases) peer.send(MessageId.RegisterRequest, c.fields);
    for (const c of cases) {
      const reply = await answered(peer, MessageId.RegisterResponse, `id 4 (RegisterResponse) to a registration with ${c.what} [IM-REG-2]`);
      expectCode(reply.Result, ResultCode.Failure, `RegisterResponse Failure (Code 0) for a registration with ${c.what} [IM-REG-2]`);
    }
    for (const c of cases) {
      if (!c.fields.UserID) continue;
      const login = await loginReply(peer, c.fields.UserID, c.fields.Password ?? '', `id 2 (LoginResponse) to a login of the UserID refused for ${c.what} [IM-REG-2]`);
      expectCode(login.Result, ResultCode.UserNotExists, `LoginResponse UserNotExists (4): the registration refused for ${c.what} created no account [IM-REG-2]`);
    }
  },
};

// --- login [IM-LOGIN-1..4] --------------------------------------------------------------------------

const loginSuccess: CheckDefinition = {
  id: 'im.login.success',
  level: 'MUST',
  requirements: ['IM-LOGIN-1', 'IM-LOGIN-3'],
  requirement: 'A LoginRequest with a registered UserID and its password gets 2 Success and User = the account\'s UserInfo, whose Status is the status chosen by this login (1-5; any other value logs in as 2 Online).',
  description: 'logins with Status 4 (Busy) and with Status 6 get Success, User.UserID equal, User.Status 4 and 2',
  async run(ctx) {
    for (const [asked, shown] of [[UserStatus.Busy, UserStatus.Busy], [UserStatus.Offline, UserStatus.Online]] as const) {
      const a = await registered(ctx, 'logoklogin');
      const reply = await loginReply(a.peer, a.user, a.password, `id 2 (LoginResponse) to the login of ${a.user} with Status ${asked} [IM-LOGIN-1]`, asked);
      expectCode(reply.Result, ResultCode.Success, `LoginResponse Success for ${a.user} and its password [IM-LOGIN-1]`);
      expectThat(reply.User?.UserID === a.user, `User.UserID ${a.user} [IM-LOGIN-1]`, () => `User ${JSON.stringify(reply.User)}`);
      expectThat((reply.User.Status ?? 0) === shown, `User.Status ${shown} for a login with Status ${asked} [IM-LOGIN-3]`, () => `Status ${reply.User?.Status ?? 0}`);
    }
  },
};

const loginUnknownUser: CheckDefinition = {
  id: 'im.login.unknown-user',
  level: 'MUST',
  requirements: ['IM-LOGIN-2', 'IM-REPLY-3'],
  requirement: 'An unregistered UserID gets 2 UserNotExists (4).',
  description: 'a login of a UserID nobody registered gets 2 Code 4, a Msg and no User',
  async run(ctx) {
    const peer = await ctx.im('nobody');
    const user = ctx.name('lognonenobody');
    const reply = await loginReply(peer, user, 'whatever', `id 2 (LoginResponse) to the login of an unregistered ${user} [IM-LOGIN-2]`);
    expectRefusedLogin(reply, ResultCode.UserNotExists, `LoginResponse UserNotExists (4) for an unregistered UserID [IM-LOGIN-2]`);
  },
};

const loginWrongPassword: CheckDefinition = {
  id: 'im.login.wrong-password',
  level: 'MUST',
  requirements: ['IM-LOGIN-2', 'IM-REPLY-3'],
  requirement: 'A wrong password gets 2 WrongPassword (5); the password is checked before "online elsewhere", so a wrong password for an online user gets WrongPassword.',
  description: 'a login with a wrong password gets 2 Code 5, offline and while the user is online elsewhere',
  async run(ctx) {
    const a = await registered(ctx, 'logpwwrongpw');
    const offline = await loginReply(a.peer, a.user, `not-${a.password}`, `id 2 (LoginResponse) to ${a.user}'s login with a wrong password [IM-LOGIN-2]`);
    expectRefusedLogin(offline, ResultCode.WrongPassword, `LoginResponse WrongPassword (5) for a wrong password [IM-LOGIN-2]`);
    await logIn(a);
    const other = await ctx.im('other');
    const online = await loginReply(other, a.user, `not-${a.password}`, `id 2 (LoginResponse) to a login with a wrong password of ${a.user}, online on another connection [IM-LOGIN-2]`);
    expectRefusedLogin(online, ResultCode.WrongPassword, `LoginResponse WrongPassword (5) for a wrong password of a user online elsewhere (password checked before RepeatLogin) [IM-LOGIN-2]`);
  },
};

const loginRepeatOther: CheckDefinition = {
  id: 'im.login.repeat-other-connection',
  level: 'MUST',
  requirements: ['IM-LOGIN-4'],
  requirement: 'A LoginRequest MUST get 2 RepeatLogin (3) when its user is logged in on another connection; the existing session is not disturbed.',
  description: 'a second connection logging in as an online user gets 2 Code 3; the first stays open and answered, and the second can still log in as another user',
  async run(ctx) {
    const a = await loggedIn(ctx, 'logotherfirst');
    const b = await registered(ctx, 'logothersecond');
    const reply = await loginReply(b.peer, a.user, a.password, `id 2 (LoginResponse) to a login of ${a.user}, online on another connection [IM-LOGIN-4]`);
    expectRefusedLogin(reply, ResultCode.RepeatLogin, `LoginResponse RepeatLogin (3) for a user logged in on another connection [IM-LOGIN-4]`);
    await a.peer.barrier();
    expectThat(!a.peer.closed, `the first session of ${a.user} undisturbed (its connection open) [IM-LOGIN-4]`, () => `its connection ${a.peer.closedHow}`);
    const own = await loginReply(b.peer, b.user, b.password, `id 2 (LoginResponse) to the refused connection logging in as ${b.user} [IM-LOGIN-4]`);
    expectCode(own.Result, ResultCode.Success, `LoginResponse Success: the refused login left its connection not logged in [IM-LOGIN-4]`);
  },
};

const loginRepeatSame: CheckDefinition = {
  id: 'im.login.repeat-same-connection',
  level: 'MUST',
  requirements: ['IM-LOGIN-4', 'IM-LOGIN-2'],
  requirement: 'A LoginRequest MUST get 2 RepeatLogin (3) when this connection is already logged in (as any user); the existing session is not disturbed.',
  description: 'a logged-in connection logging in again, as itself and as another registered user, gets 2 Code 3 twice; the other user is not logged in by it and the first stays logged in',
  async run(ctx) {
    const a = await loggedIn(ctx, 'logsamesame');
    const b = await registered(ctx, 'logsameswitch');
    const self = await loginReply(a.peer, a.user, a.password, `id 2 (LoginResponse) to ${a.user} logging in again on its own connection [IM-LOGIN-4]`);
    expectRefusedLogin(self, ResultCode.RepeatLogin, `LoginResponse RepeatLogin (3) for a second login of the same user on one connection [IM-LOGIN-4]`);
    const other = await loginReply(a.peer, b.user, b.password, `id 2 (LoginResponse) to ${a.user}'s connection logging in as ${b.user} [IM-LOGIN-4]`);
    expectRefusedLogin(other, ResultCode.RepeatLogin, `LoginResponse RepeatLogin (3) for a login as another user on a logged-in connection [IM-LOGIN-4]`);
    const bOwn = await loginReply(b.peer, b.user, b.password, `id 2 (LoginResponse) to ${b.user} logging in on its own connection [IM-LOGIN-4]`);
    expectCode(bOwn.Result, ResultCode.Success, `LoginResponse Success for ${b.user}: the refused login did not log it in [IM-LOGIN-4]`);
    const probe = await ctx.im('probe');
    const aElsewhere = await loginReply(probe, a.user, a.password, `id 2 (LoginResponse) to ${a.user} logging in on a third connection [IM-LOGIN-4]`);
    expectCode(aElsewhere.Result, ResultCode.RepeatLogin, `LoginResponse RepeatLogin (3): ${a.user}'s first session is still logged in [IM-LOGIN-4]`);
  },
};

// --- logout [IM-LOGOUT-1] ---------------------------------------------------------------------------

const logoutNoticeAndClose: CheckDefinition = {
  id: 'im.logout.notice-and-close',
  level: 'MUST',
  requirements: ['IM-LOGOUT-1', 'IM-NOTICE-1'],
  requirement: 'A UserOfflineRequest on a logged-in connection makes the user offline: every online friend gets 8 {UserID, Status 6}; then the server closes the connection; frames after the 7 are not handled.',
  description: 'a 7 followed in the same write by a LoginRequest: the connection closes with no reply to the LoginRequest, the online friend gets one 8 {UserID, Status 6}, a non-friend nothing',
  async run(ctx) {
    const a = await loggedIn(ctx, 'byeleaver');
    const friend = await loggedIn(ctx, 'byefriend');
    const stranger = await loggedIn(ctx, 'byestranger');
    await befriend(a, friend);
    a.peer.write(Buffer.concat([
      frameOf(ctx, MessageId.UserOfflineRequest, { UserID: a.user }),
      frameOf(ctx, MessageId.LoginRequest, { UserID: ctx.name('byeafter'), Password: 'after', Status: UserStatus.Online }),
    ]), `UserOfflineRequest of ${a.user}, then a LoginRequest of an unknown user, in one write`);
    await a.peer.closedWithin(`the connection of ${a.user} closed by the server after its UserOfflineRequest [IM-LOGOUT-1]`);
    expectThat(a.peer.pending(MessageId.LoginResponse).length === 0, 'no reply to the LoginRequest after the 7: frames after it are not handled [IM-LOGOUT-1]', () => describePending(a.peer, [MessageId.LoginResponse]));
    const notice = await friend.peer.expect(MessageId.UserOfflineNotice, { what: `id 8 (UserOfflineNotice) about ${a.user} to its online friend [IM-LOGOUT-1, IM-NOTICE-1]` });
    expectThat(notice.UserID === a.user && notice.Status === UserStatus.Offline, `UserOfflineNotice {UserID ${a.user}, Status 6} [IM-LOGOUT-1]`, () => JSON.stringify(notice.toJSON()));
    await expectNoPushes([], [{ peer: friend.peer, who: 'the friend, beyond its one 8' }, { peer: stranger.peer, who: 'a non-friend' }], `after ${a.user}'s logout [IM-NOTICE-1]`);
  },
};

// --- notices [IM-NOTICE-1..3, IM-LOGIN-5] -----------------------------------------------------------

const noticeLogin: CheckDefinition = {
  id: 'im.notice.login',
  level: 'MUST',
  requirements: ['IM-NOTICE-1', 'IM-LOGIN-5'],
  requirement: 'After the LoginResponse is written, every online friend gets 10 {UserID, Status} with the chosen status; notices go to online friends, one copy each, and to no one else.',
  description: 'a user logs in with Status 3: its online friend gets one 10 {UserID, 3}; the user itself and an online non-friend get nothing',
  async run(ctx) {
    const a = await registered(ctx, 'ntloginarriving');
    const friend = await loggedIn(ctx, 'ntloginfriend');
    const stranger = await loggedIn(ctx, 'ntloginstranger');
    await befriend(friend, a);
    await logIn(a, UserStatus.Away);
    const notice = await friend.peer.expect(MessageId.ChangeStatusNotice, { what: `id 10 (ChangeStatusNotice) about ${a.user}'s login to its online friend [IM-LOGIN-5, IM-NOTICE-1]` });
    expectThat(notice.UserID === a.user && notice.Status === UserStatus.Away, `ChangeStatusNotice {UserID ${a.user}, Status 3}, the status chosen at login [IM-LOGIN-5]`, () => JSON.stringify(notice.toJSON()));
    await expectNoPushes([a.peer], [
      { peer: a.peer, who: `${a.user} itself` },
      { peer: friend.peer, who: 'the friend, beyond its one 10' },
      { peer: stranger.peer, who: 'a non-friend' },
    ], `after ${a.user}'s login [IM-NOTICE-1]`);
  },
};

const noticeStatus: CheckDefinition = {
  id: 'im.notice.status',
  level: 'MUST',
  requirements: ['IM-NOTICE-2', 'IM-NOTICE-1', 'IM-NOTICE-4'],
  requirement: 'A ChangeStatusRequest with Status 1-5 sets the user\'s presence and every online friend gets 10 {UserID, Status}, even if the status did not change. The requester gets nothing.',
  description: 'status changes to 3, 4, 5, 1, 2, 2: the online friend gets a 10 for each, in order; the user and a non-friend get nothing; the friend\'s GetFriends shows the last status',
  async run(ctx) {
    const a = await loggedIn(ctx, 'ntstatuschanger');
    const friend = await loggedIn(ctx, 'ntstatusfriend');
    const stranger = await loggedIn(ctx, 'ntstatusstranger');
    await befriend(a, friend);
    const statuses = [UserStatus.Away, UserStatus.Busy, UserStatus.DoNotDisturb, UserStatus.QMe, UserStatus.Online, UserStatus.Online];
    for (const s of statuses) a.peer.send(MessageId.ChangeStatusRequest, { UserID: a.user, Status: s });
    for (const [i, s] of statuses.entries()) {
      const notice = await friend.peer.expect(MessageId.ChangeStatusNotice, { what: `id 10 (ChangeStatusNotice) ${i + 1} of ${statuses.length}, about ${a.user} changing to ${s} [IM-NOTICE-2]` });
      expectThat(notice.UserID === a.user && notice.Status === s, `ChangeStatusNotice {UserID ${a.user}, Status ${s}} (change ${i + 1}, in request order) [IM-NOTICE-2]`, () => JSON.stringify(notice.toJSON()));
    }
    await expectNoPushes([a.peer], [
      { peer: a.peer, who: `${a.user} itself` },
      { peer: friend.peer, who: 'the friend, beyond one 10 per change' },
      { peer: stranger.peer, who: 'a non-friend' },
    ], `after ${a.user}'s status changes [IM-NOTICE-1, IM-NOTICE-2]`);
    const seen = (await friendsOf(friend)).find((f) => f.UserID === a.user);
    expectThat(seen?.Status === UserStatus.Online, `${a.user} listed in its friend's GetFriendsResponse with its last status, 2 [IM-NOTICE-2, IM-NOTICE-4]`, () => JSON.stringify(seen ?? null));
  },
};

const noticeInvalidStatus: CheckDefinition = {
  id: 'im.notice.invalid-status',
  level: 'MUST',
  requirements: ['IM-NOTICE-3', 'IM-NOTICE-4'],
  requirement: 'A Status outside 1-5 (0, 6, 7, negative...) is ignored: no change, no notice, no reply. A client MUST NOT be able to set 6.',
  description: 'ChangeStatus to 6, 0, 7 and -1 pushes nothing to the online friend and leaves the status at 2; a change to 3 afterwards is pushed',
  async run(ctx) {
    const a = await loggedIn(ctx, 'ntbadchanger');
    const friend = await loggedIn(ctx, 'ntbadfriend');
    await befriend(a, friend);
    for (const s of [UserStatus.Offline, 0, 7, -1]) a.peer.send(MessageId.ChangeStatusRequest, { UserID: a.user, Status: s });
    await expectNoPushes([a.peer], [{ peer: friend.peer, who: 'the online friend' }, { peer: a.peer, who: `${a.user} itself` }], `ChangeStatus to 6, 0, 7 and -1 ignored [IM-NOTICE-3]`);
    const seen = (await friendsOf(friend)).find((f) => f.UserID === a.user);
    expectThat(seen?.Status === UserStatus.Online, `${a.user} still shown with Status 2 after ChangeStatus to 6, 0, 7, -1 [IM-NOTICE-3, IM-NOTICE-4]`, () => JSON.stringify(seen ?? null));
    a.peer.send(MessageId.ChangeStatusRequest, { UserID: a.user, Status: UserStatus.Away });
    const notice = await friend.peer.expect(MessageId.ChangeStatusNotice, { what: `id 10 (ChangeStatusNotice) about ${a.user} changing to 3 after the ignored ones [IM-NOTICE-2]` });
    expectThat(notice.UserID === a.user && notice.Status === UserStatus.Away, `ChangeStatusNotice {UserID ${a.user}, Status 3} [IM-NOTICE-2]`, () => JSON.stringify(notice.toJSON()));
  },
};

// --- refusals before login [IM-AUTH-1], SHOULD per [D-LEVELS] -----------------------------------------

const authBeforeLogin: CheckDefinition = {
  id: 'im.auth.before-login',
  level: 'SHOULD',
  requirements: ['IM-AUTH-1', 'IM-REPLY-3'],
  requirement: 'Every request but 1, 3 and 19 needs a logged-in connection; without one 5, 11, 15, 17, 21 and 23 get their reply with Code 0 (SHOULD per [D-LEVELS]: the original acts for the UserID a request names).',
  description: 'on a connection not logged in, 5, 11, 15, 17, 21 and 23 naming a registered user each get their reply with Code 0, a Msg and no other field filled',
  async run(ctx) {
    const a = await registered(ctx, 'anonanon');
    const b = await registered(ctx, 'anontarget');
    const peer = a.peer;
    peer.send(MessageId.GetFriendsRequest, { UserID: a.user });
    peer.send(MessageId.UpdateUserInfoRequest, { User: { UserID: a.user, NickName: 'not logged in', Signature: 'not logged in', HeadImageUrl: '' } });
    peer.send(MessageId.GetUserListRequest, { UserID: a.user });
    peer.send(MessageId.AddFriendsRequest, { UserID: a.user, UserIDList: [b.user] });
    peer.send(MessageId.UploadFileRequest, { FromUserID: a.user, ToUserID: '', UserType: 0, fileName: 'anon.bin', Data: freshData(32) });
    peer.send(MessageId.GetFileListRequest, { UserID: a.user, UserType: 0 });
    const refused = (reply: { Result?: Result }, name: string): void =>
      expectCode(reply.Result, ResultCode.Failure, `${name} Failure (Code 0) on a connection not logged in [IM-AUTH-1]`);
    const what = (id: number): string => `id ${id} (${messageName(id)}) to a ${messageName(id - 1)} on a connection not logged in [IM-AUTH-1]`;
    const friends = await answered(peer, MessageId.GetFriendsResponse, what(6));
    refused(friends, 'GetFriendsResponse');
    expectThat(friends.Friends.length === 0, 'a refused GetFriendsResponse with no Friends [IM-REPLY-3]', () => `${friends.Friends.length} friends`);
    refused(await answered(peer, MessageId.UpdateUserInfoResponse, what(12)), 'UpdateUserInfoResponse');
    const users = await answered(peer, MessageId.GetUserListResponse, what(16));
    refused(users, 'GetUserListResponse');
    expectThat(users.UserList.length === 0, 'a refused GetUserListResponse with no UserList [IM-REPLY-3]', () => `${users.UserList.length} users`);
    refused(await answered(peer, MessageId.AddFriendsResponse, what(18)), 'AddFriendsResponse');
    const up = await answered(peer, MessageId.UploadFileResponse, what(22));
    refused(up, 'UploadFileResponse');
    expectThat(up.DownUrl === '' && up.FileName === '', 'a refused UploadFileResponse with no FileName or DownUrl [IM-REPLY-3]', () => JSON.stringify(up.toJSON()));
    const files = await answered(peer, MessageId.GetFileListResponse, what(24));
    refused(files, 'GetFileListResponse');
    expectThat(files.FileList.length === 0, 'a refused GetFileListResponse with no FileList [IM-REPLY-3]', () => `${files.FileList.length} files`);
  },
};

const authLogoutBeforeLogin: CheckDefinition = {
  id: 'im.auth.logout-before-login',
  level: 'SHOULD',
  requirements: ['IM-AUTH-1', 'IM-LOGOUT-1'],
  requirement: 'Without a login, 7 closes the connection and pushes nothing; 9 and 13 do nothing at all (SHOULD per [D-LEVELS]: the original acts for the UserID a request names).',
  description: 'on a connection not logged in, a 13 and a 9 naming an online user deliver nothing to its friend; a 7 naming it closes that connection, sends no 8 and leaves the user logged in',
  async run(ctx) {
    const a = await loggedIn(ctx, 'anonbyevictim');
    const friend = await loggedIn(ctx, 'anonbyefriend');
    await befriend(a, friend);
    const anon = await ctx.im('anon');
    anon.send(MessageId.FriendChatRequest, { FromUserID: a.user, ToUserID: friend.user, Content: Buffer.from('not logged in') });
    anon.send(MessageId.ChangeStatusRequest, { UserID: a.user, Status: UserStatus.Busy });
    await expectNoPushes([anon], [{ peer: friend.peer, who: `${a.user}'s friend` }, { peer: a.peer, who: a.user }], 'a FriendChatRequest and a ChangeStatusRequest on a connection not logged in do nothing [IM-AUTH-1]');
    anon.send(MessageId.UserOfflineRequest, { UserID: a.user });
    await anon.closedWithin('the connection not logged in closed by the server after its UserOfflineRequest [IM-AUTH-1, IM-LOGOUT-1]');
    await expectNoPushes([], [{ peer: friend.peer, who: `${a.user}'s friend` }], `a UserOfflineRequest on a connection not logged in pushes nothing [IM-AUTH-1, IM-LOGOUT-1]`);
    expectThat(!a.peer.closed, `${a.user}'s own session undisturbed (its connection open) [IM-AUTH-1]`, () => `its connection ${a.peer.closedHow}`);
    const probe = await ctx.im('probe');
    const reply = await loginReply(probe, a.user, a.password, `id 2 (LoginResponse) to ${a.user} logging in on another connection [IM-AUTH-1]`);
    expectCode(reply.Result, ResultCode.RepeatLogin, `LoginResponse RepeatLogin (3): ${a.user} is still logged in after a 7 naming it on a connection not logged in [IM-AUTH-1, IM-LOGIN-4]`);
  },
};

// --- friend chat [IM-CHAT-1..4, IM-AUTH-2] ----------------------------------------------------------

/** One chat between fresh friends: delivered as 14 {sender, receiver, the same bytes}; nothing back to the sender. */
async function chatDelivered(ctx: CheckContext, content: Uint8Array): Promise<void> {
  const a = await loggedIn(ctx, 'chatfrom');
  const b = await loggedIn(ctx, 'chatto');
  await befriend(a, b);
  sendChat(a, b.user, content);
  const notice = await b.peer.expect(MessageId.FriendChatNotice, { what: `id 14 (FriendChatNotice) of a ${content.length}-byte chat from friend ${a.user} [IM-CHAT-1]` });
  expectThat(notice.FromUserID === a.user && notice.ToUserID === b.user, `FriendChatNotice {FromUserID ${a.user}, ToUserID ${b.user}} [IM-CHAT-1]`, () => `FromUserID ${JSON.stringify(notice.FromUserID)}, ToUserID ${JSON.stringify(notice.ToUserID)}`);
  expectThat(sameBytes(notice.Content, content), `Content byte-identical to the ${hexStart(content)} sent [IM-CHAT-1]`, () => hexStart(notice.Content));
  await expectNoPushes([a.peer], [{ peer: a.peer, who: 'the sender' }, { peer: b.peer, who: 'the receiver, beyond its one 14' }], 'one chat delivered once [IM-CHAT-1]');
}

const chatDeliveredCheck: CheckDefinition = {
  id: 'im.chat.delivered',
  level: 'MUST',
  requirements: ['IM-CHAT-1'],
  requirement: 'A FriendChatRequest from a logged-in user to a friend is delivered to the receiver as 14 {FromUserID = the session user, ToUserID, Content}; Content is opaque bytes, possibly empty. The sender gets nothing back.',
  description: 'chats of arbitrary bytes (a property; empty and 64 KiB included) arrive as one 14 with FromUserID, ToUserID and Content byte-identical',
  async run(ctx) {
    await chatDelivered(ctx, new Uint8Array(0));
    if (ctx.profile.maxBodyBytes >= 65536 + 1024) await chatDelivered(ctx, randomBytes(65536));
    await ctx.property(fc.uint8Array({ maxLength: 2048 }), chatDelivered);
  },
};

const chatSenderNotForged: CheckDefinition = {
  id: 'im.chat.sender-not-forged',
  level: 'MUST',
  requirements: ['IM-AUTH-2', 'IM-CHAT-1'],
  requirement: 'A server MUST act as the connection\'s logged-in user and ignore the identity fields a request carries: FromUserID in 13.',
  description: 'a chat whose FromUserID names a third user (a friend of the receiver) arrives with FromUserID = the sending session\'s user',
  async run(ctx) {
    const a = await loggedIn(ctx, 'forgesender');
    const b = await loggedIn(ctx, 'forgereceiver');
    const c = await registered(ctx, 'forgeforged');
    await befriend(b, a, c);
    sendChat(a, b.user, Buffer.from('who sent this?'), c.user);
    const notice = await b.peer.expect(MessageId.FriendChatNotice, { what: `id 14 (FriendChatNotice) of ${a.user}'s chat whose FromUserID says ${c.user} [IM-AUTH-2, IM-CHAT-1]` });
    expectThat(notice.FromUserID === a.user, `FromUserID ${a.user}, the session user, not the ${c.user} the request named [IM-AUTH-2]`, () => `FromUserID ${JSON.stringify(notice.FromUserID)}`);
  },
};

const chatNonFriend: CheckDefinition = {
  id: 'im.chat.non-friend',
  level: 'MUST',
  requirements: ['IM-CHAT-2'],
  requirement: 'When ToUserID is not a friend of the session user (including an unregistered UserID, and the user itself), the chat MUST be neither delivered nor stored.',
  description: 'chats to an online non-friend, to an unregistered UserID and to oneself deliver nothing; one to an offline non-friend is not there at its next login',
  allows: 'a server that delivers stored chats after its reply to the next request is only partly checked on storage',
  async run(ctx) {
    const a = await loggedIn(ctx, 'nofriendsender');
    const b = await loggedIn(ctx, 'nofriendstranger');
    const away = await registered(ctx, 'nofriendaway');
    sendChat(a, b.user, Buffer.from('to a non-friend'));
    sendChat(a, ctx.name('nofriendnobody'), Buffer.from('to nobody'));
    sendChat(a, a.user, Buffer.from('to myself'));
    sendChat(a, away.user, Buffer.from('to an offline non-friend'));
    await expectNoPushes([a.peer], [{ peer: b.peer, who: 'the online non-friend' }, { peer: a.peer, who: 'the sender (it chatted to itself)' }], 'chats to non-friends are not delivered [IM-CHAT-2]');
    await logIn(away);
    await expectNoPushes([], [{ peer: away.peer, who: 'the non-friend that was offline, at its login' }], 'a chat to an offline non-friend is not stored [IM-CHAT-2]');
  },
};

const chatOfflineStored: CheckDefinition = {
  id: 'im.chat.offline-stored',
  level: 'SHOULD',
  requirements: ['IM-CHAT-3', 'IM-LOGIN-5', 'IM-CHAT-4'],
  requirement: 'When the receiver is not online the server stores the chat and delivers it at the receiver\'s next login, after the LoginResponse, oldest first (SHOULD per [D-LEVELS]: the original drops it).',
  description: 'two chats to an offline friend arrive in order after its LoginResponse at its next login, and not again at the login after',
  async run(ctx) {
    const a = await loggedIn(ctx, 'storedsender');
    const b = await registered(ctx, 'storedoffline');
    await befriend(a, b);
    const contents = [Buffer.from('stored first'), Buffer.from('stored second')];
    for (const c of contents) sendChat(a, b.user, c);
    await a.peer.barrier();
    await logIn(b);
    for (const [i, c] of contents.entries()) {
      const notice = await b.peer.expect(MessageId.FriendChatNotice, { what: `id 14 (FriendChatNotice) ${i + 1} of the ${contents.length} chats sent to ${b.user} while offline, at its login [IM-CHAT-3]` });
      expectThat(notice.FromUserID === a.user && notice.ToUserID === b.user && sameBytes(notice.Content, c),
        `stored chat ${i + 1} {FromUserID ${a.user}, ToUserID ${b.user}, Content "${c.toString()}"}, oldest first [IM-CHAT-3, IM-CHAT-4]`,
        () => `{FromUserID ${JSON.stringify(notice.FromUserID)}, Content ${JSON.stringify(Buffer.from(notice.Content).toString())}}`);
    }
    const order = b.peer.history.map((f) => f.id);
    expectThat(order.lastIndexOf(MessageId.LoginResponse) < order.indexOf(MessageId.FriendChatNotice), 'the LoginResponse before the stored chats [IM-LOGIN-5]', () => `received ids ${order.join(', ')}`);
    b.peer.send(MessageId.UserOfflineRequest, { UserID: b.user });
    await b.peer.closedWithin(`${b.user}'s connection closed after its logout (setup) [IM-LOGOUT-1]`);
    const again = await reconnect(ctx, b, 'again');
    await expectNoPushes([], [{ peer: again.peer, who: `${b.user} at its login after the one that delivered the stored chats` }], 'stored chats delivered once [IM-CHAT-4]');
  },
};

const chatOrder: CheckDefinition = {
  id: 'im.chat.order',
  level: 'MUST',
  requirements: ['IM-CHAT-4', 'IM-FRAME-5'],
  requirement: 'A receiver gets the chats addressed to it in the order the server accepted them.',
  description: '30 chats sent back to back to an online friend arrive as 30 14s in the order sent',
  async run(ctx) {
    const a = await loggedIn(ctx, 'ordersender');
    const b = await loggedIn(ctx, 'orderreceiver');
    await befriend(a, b);
    const count = 30;
    a.peer.write(Buffer.concat(Array.from({ length: count }, (_, i) => frameOf(ctx, MessageId.FriendChatRequest, { FromUserID: a.user, ToUserID: b.user, Content: Buffer.from(`chat ${i + 1}`) }))), `${count} FriendChatRequests to ${b.user} in one write`);
    for (let i = 1; i <= count; i++) {
      const notice = await b.peer.expect(MessageId.FriendChatNotice, { what: `id 14 (FriendChatNotice) ${i} of ${count} [IM-CHAT-4]` });
      const text = Buffer.from(notice.Content).toString();
      expectThat(text === `chat ${i}`, `chat ${i} of ${count} arrives ${i}th, in the order sent [IM-CHAT-4]`, () => `"${text}"`);
    }
  },
};

// --- friends [IM-FRIENDS-1, IM-FRIENDS-2, IM-AUTH-2] ------------------------------------------------

const friendsList: CheckDefinition = {
  id: 'im.friends.list',
  level: 'MUST',
  requirements: ['IM-FRIENDS-1', 'IM-FRIENDS-2', 'IM-NOTICE-4'],
  requirement: 'A GetFriendsRequest gets 6 Success with the session user\'s friends, ordered by UserID, each with its current status; AddFriends makes friends both ways, duplicates counting once.',
  description: 'A adds B, C and B again: A sees B (online, Status 3) and C (offline, 6) once each in UserID order; B sees A',
  async run(ctx) {
    const a = await loggedIn(ctx, 'fla');
    const b = await loggedIn(ctx, 'flb', UserStatus.Away);
    const c = await registered(ctx, 'flc');
    a.peer.send(MessageId.AddFriendsRequest, { UserID: a.user, UserIDList: [b.user, c.user, b.user] });
    const added = await answered(a.peer, MessageId.AddFriendsResponse, `id 18 (AddFriendsResponse) to ${a.user} adding ${b.user}, ${c.user}, ${b.user} [IM-FRIENDS-2]`);
    expectCode(added.Result, ResultCode.Success, 'AddFriendsResponse Success for registered users, a duplicate counting once [IM-FRIENDS-2]');
    const mine = await friendsOf(a);
    const expected = [{ UserID: b.user, Status: UserStatus.Away }, { UserID: c.user, Status: UserStatus.Offline }].sort((x, y) => (x.UserID < y.UserID ? -1 : 1));
    const got = mine.map((f) => ({ UserID: f.UserID ?? '', Status: f.Status ?? 0 }));
    expectThat(JSON.stringify(got) === JSON.stringify(expected), `${a.user}'s friends ${JSON.stringify(expected)}, in UserID order with their current status [IM-FRIENDS-1, IM-NOTICE-4]`, () => JSON.stringify(got));
    const theirs = (await friendsOf(b)).map((f) => ({ UserID: f.UserID ?? '', Status: f.Status ?? 0 }));
    expectThat(JSON.stringify(theirs) === JSON.stringify([{ UserID: a.user, Status: UserStatus.Online }]), `${b.user}'s friends [{UserID ${a.user}, Status 2}]: friendship is both ways [IM-FRIENDS-2, IM-FRIENDS-1]`, () => JSON.stringify(theirs));
  },
};

const friendsUnknownUser: CheckDefinition = {
  id: 'im.friends.unknown-user',
  level: 'MUST',
  requirements: ['IM-FRIENDS-2'],
  requirement: 'A UserID that is not registered gets 18 UserNotExists (4), with the first unknown UserID named in Msg, and nothing changes.',
  description: 'adding a registered user and an unregistered one gets 18 Code 4 naming the unknown UserID; the registered one was not added',
  async run(ctx) {
    const a = await loggedIn(ctx, 'funknownadder');
    const old = await registered(ctx, 'funknownold');
    const b = await registered(ctx, 'funknownknown');
    await befriend(a, old);
    const unknown = ctx.name('funknownunknown');
    a.peer.send(MessageId.AddFriendsRequest, { UserID: a.user, UserIDList: [b.user, unknown] });
    const reply = await answered(a.peer, MessageId.AddFriendsResponse, `id 18 (AddFriendsResponse) to ${a.user} adding ${b.user} and unregistered ${unknown} [IM-FRIENDS-2]`);
    expectCode(reply.Result, ResultCode.UserNotExists, `AddFriendsResponse UserNotExists (4) for an unregistered UserID [IM-FRIENDS-2]`);
    expectThat((reply.Result?.Msg ?? '').includes(unknown), `a Msg naming the unknown UserID ${unknown} [IM-FRIENDS-2]`, () => resultText(reply.Result));
    const friends = (await friendsOf(a)).map((f) => f.UserID ?? '');
    expectThat(!friends.includes(b.user), `${b.user} not added: a refused AddFriends changes nothing [IM-FRIENDS-2]`, () => `friends ${JSON.stringify(friends)}`);
  },
};

const friendsInvalidList: CheckDefinition = {
  id: 'im.friends.invalid-list',
  level: 'MUST',
  requirements: ['IM-FRIENDS-2'],
  requirement: 'An empty list, or one that contains the session user\'s own UserID, gets 18 Failure (0), and nothing changes.',
  description: 'AddFriends with an empty list, and with a registered user plus the requester itself, each get 18 Code 0; the registered user was not added',
  async run(ctx) {
    const a = await loggedIn(ctx, 'fbadadder');
    const old = await registered(ctx, 'fbadold');
    const b = await registered(ctx, 'fbadother');
    await befriend(a, old);
    a.peer.send(MessageId.AddFriendsRequest, { UserID: a.user, UserIDList: [] });
    a.peer.send(MessageId.AddFriendsRequest, { UserID: a.user, UserIDList: [b.user, a.user] });
    const empty = await answered(a.peer, MessageId.AddFriendsResponse, `id 18 (AddFriendsResponse) to an AddFriends with an empty list [IM-FRIENDS-2]`);
    expectCode(empty.Result, ResultCode.Failure, 'AddFriendsResponse Failure (0) for an empty UserIDList [IM-FRIENDS-2]');
    const self = await answered(a.peer, MessageId.AddFriendsResponse, `id 18 (AddFriendsResponse) to ${a.user} adding ${b.user} and itself [IM-FRIENDS-2]`);
    expectCode(self.Result, ResultCode.Failure, 'AddFriendsResponse Failure (0) for a UserIDList holding the requester\'s own UserID [IM-FRIENDS-2]');
    const friends = (await friendsOf(a)).map((f) => f.UserID ?? '');
    expectThat(!friends.includes(b.user) && !friends.includes(a.user), `neither ${b.user} nor ${a.user} itself added by the refused request [IM-FRIENDS-2]`, () => `friends ${JSON.stringify(friends)}`);
  },
};

const friendsIdentityIgnored: CheckDefinition = {
  id: 'im.friends.identity-ignored',
  level: 'MUST',
  requirements: ['IM-AUTH-2', 'IM-FRIENDS-1'],
  requirement: 'The request\'s UserID is ignored: a session sees its own friends only.',
  description: 'a GetFriendsRequest whose UserID names another user lists the session user\'s friends, not that user\'s',
  async run(ctx) {
    const a = await loggedIn(ctx, 'fidsasker');
    const mine = await registered(ctx, 'fidsmine');
    const b = await loggedIn(ctx, 'fidsother');
    const theirs = await registered(ctx, 'fidstheirs');
    await befriend(a, mine);
    await befriend(b, theirs);
    const listed = (await friendsOf(a, b.user)).map((f) => f.UserID ?? '');
    expectThat(JSON.stringify(listed) === JSON.stringify([mine.user]), `${a.user}'s own friends [${mine.user}], whatever UserID (${b.user}) the request named [IM-AUTH-2, IM-FRIENDS-1]`, () => JSON.stringify(listed));
  },
};

// --- profile [IM-INFO-1] ----------------------------------------------------------------------------

const infoVisible: CheckDefinition = {
  id: 'im.userinfo.visible',
  level: 'MUST',
  requirements: ['IM-INFO-1', 'IM-NOTICE-5'],
  requirement: 'An UpdateUserInfoRequest replaces the session user\'s NickName, Signature and HeadImageUrl; no notice is pushed; friends see the new profile in their next 6.',
  description: 'after an UpdateUserInfo, a friend\'s GetFriends shows the new NickName, Signature and HeadImageUrl, and nothing was pushed to it (the 12 itself is not required here)',
  async run(ctx) {
    const a = await loggedIn(ctx, 'infoprofile');
    const friend = await loggedIn(ctx, 'infofriend');
    await befriend(a, friend);
    const next = { NickName: 'New nick', Signature: 'new signature', HeadImageUrl: 'https://example.invalid/avatar.png' };
    a.peer.send(MessageId.UpdateUserInfoRequest, { User: { UserID: a.user, ...next } });
    await expectNoPushes([a.peer], [{ peer: friend.peer, who: 'the online friend' }], `an UpdateUserInfo pushes nothing [IM-NOTICE-5]`);
    const seen = (await friendsOf(friend)).find((f) => f.UserID === a.user);
    expectThat(seen?.NickName === next.NickName && seen.Signature === next.Signature && seen.HeadImageUrl === next.HeadImageUrl,
      `${a.user} shown to its friend with ${JSON.stringify(next)} [IM-INFO-1]`, () => JSON.stringify(seen ?? null));
  },
};

// --- files [IM-FILE-1..4] ---------------------------------------------------------------------------

const fileUploadDownload: CheckDefinition = {
  id: 'im.file.upload-download',
  level: 'MUST',
  requirements: ['IM-FILE-1', 'IM-FILE-3', 'IM-FILE-5'],
  requirement: 'An UploadFileRequest stores Data and gets 22 Success with FileName and DownUrl; the server MUST serve GET and HEAD of the DownUrl (200, the bytes, Content-Length).',
  description: 'a 100 KiB upload (less under a smaller --max-body) gets 22 Success and a DownUrl whose GET returns exactly the bytes with the right Content-Length, and whose HEAD gives the same Content-Length',
  async run(ctx) {
    const a = await loggedIn(ctx, 'updownuploader');
    // Within the target's body limit, with room for the request's other fields.
    const size = Math.max(1, Math.min(100 * 1024, ctx.profile.maxBodyBytes - 1024));
    const file = await upload(a, 'report.PDF', freshData(size));
    await expectDownload(ctx, file);
  },
};

const fileNameNotPath: CheckDefinition = {
  id: 'im.file.name-not-path',
  level: 'MUST',
  requirements: ['IM-FILE-2', 'IM-FILE-3'],
  requirement: 'The server MUST choose the stored name itself and never use the client\'s fileName as a path.',
  description: 'uploads named ../../etc/passwd, ..\\..\\boot.ini and .. get a DownUrl without dot segments whose last path segment holds no .., / or \\, and serve the uploaded bytes',
  allows: 'any stored name; the display name (FileName) is not checked here',
  async run(ctx) {
    const a = await loggedIn(ctx, 'pathuploader');
    for (const name of ['../../etc/passwd', '..\\..\\boot.ini', '..']) {
      const file = await upload(a, name, freshData(512));
      const raw = file.downUrl;
      expectThat(!/(^|[/\\])(\.|%2e){2}([/\\?#]|%2f|%5c|$)/i.test(raw), `a DownUrl with no ".." segment for fileName ${JSON.stringify(name)} [IM-FILE-2]`, () => JSON.stringify(raw));
      const url = downloadUrl(ctx, raw);
      const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      expectThat(last !== '' && !last.includes('..') && !last.includes('/') && !last.includes('\\'),
        `the DownUrl's last path segment free of "..", "/" and "\\" for fileName ${JSON.stringify(name)} [IM-FILE-2]`, () => JSON.stringify(last));
      const get = await fetchFile(ctx, url, 'GET');
      expectThat(get.status === 200 && sameBytes(get.bytes, file.data), `GET of the DownUrl of ${JSON.stringify(name)}: 200 and the ${file.data.length} bytes uploaded [IM-FILE-2, IM-FILE-3]`, () => `status ${get.status}, ${hexStart(get.bytes)}`);
    }
  },
};

const fileUnknownRecipient: CheckDefinition = {
  id: 'im.file.unknown-recipient',
  level: 'MUST',
  requirements: ['IM-FILE-1'],
  requirement: 'ToUserID is optional: empty, or a registered user; an unregistered ToUserID gets 22 UserNotExists (4) and nothing is stored.',
  description: 'an upload to an unregistered ToUserID gets 22 Code 4 with no DownUrl, and the uploader\'s file list stays empty',
  async run(ctx) {
    const a = await loggedIn(ctx, 'filetouploader');
    const nobody = ctx.name('filetonobody');
    a.peer.send(MessageId.UploadFileRequest, { FromUserID: a.user, ToUserID: nobody, UserType: 0, fileName: 'lost.txt', Data: freshData(64) });
    const reply = await answered(a.peer, MessageId.UploadFileResponse, `id 22 (UploadFileResponse) to an upload to unregistered ${nobody} [IM-FILE-1]`);
    expectCode(reply.Result, ResultCode.UserNotExists, `UploadFileResponse UserNotExists (4) for an unregistered ToUserID [IM-FILE-1]`);
    expectThat(reply.DownUrl === '', 'a refused UploadFileResponse with no DownUrl [IM-REPLY-3]', () => JSON.stringify(reply.DownUrl));
    const files = await filesOf(a);
    expectThat(files.length === 0, 'nothing stored for the refused upload: an empty file list [IM-FILE-1]', () => JSON.stringify(files));
  },
};

const fileList: CheckDefinition = {
  id: 'im.file.list',
  level: 'MUST',
  requirements: ['IM-FILE-4', 'IM-FILE-1'],
  requirement: 'A GetFileListRequest gets 24 Success with the files the session user uploaded or was sent (ToUserID), each as DownFileInfo {UserID = the uploader, FileSize, FileName, DownUrl}.',
  description: 'A uploads one file to B and one to nobody: A lists both, B lists the one sent to it, a third user lists neither; each entry with UserID A, the size, the name and the DownUrl of the upload',
  allows: 'any order: uploads in the same instant tie on the stored name',
  async run(ctx) {
    const a = await loggedIn(ctx, 'flistuploader');
    const b = await loggedIn(ctx, 'flistaddressee');
    const c = await loggedIn(ctx, 'flistbystander');
    const toB = await upload(a, 'for-b.txt', freshData(300), b.user);
    const own = await upload(a, 'mine.txt', freshData(700));
    const entry = (f: Uploaded) => ({ UserID: a.user, FileSize: f.data.length, FileName: f.fileName, DownUrl: f.downUrl });
    const listed = (list: Awaited<ReturnType<typeof filesOf>>) => list.map((f) => ({ UserID: f.UserID ?? '', FileSize: Number(f.FileSize ?? 0), FileName: f.FileName ?? '', DownUrl: f.DownUrl ?? '' }));
    const byUrl = (x: { DownUrl: string }, y: { DownUrl: string }) => (x.DownUrl < y.DownUrl ? -1 : 1);
    const same = (got: ReturnType<typeof listed>, want: ReturnType<typeof entry>[]) => JSON.stringify([...got].sort(byUrl)) === JSON.stringify([...want].sort(byUrl));
    const aList = listed(await filesOf(a));
    expectThat(same(aList, [entry(toB), entry(own)]), `${a.user}'s list: its two uploads ${JSON.stringify([entry(toB), entry(own)])} [IM-FILE-4]`, () => JSON.stringify(aList));
    const bList = listed(await filesOf(b));
    expectThat(same(bList, [entry(toB)]), `${b.user}'s list: the file sent to it ${JSON.stringify([entry(toB)])} [IM-FILE-4, IM-FILE-1]`, () => JSON.stringify(bList));
    const cList = listed(await filesOf(c));
    expectThat(cList.length === 0, `${c.user}'s list empty: it neither uploaded nor was sent a file [IM-FILE-4]`, () => JSON.stringify(cList));
  },
};

const fileListPrivate: CheckDefinition = {
  id: 'im.file.list-private',
  level: 'MUST',
  requirements: ['IM-FILE-4', 'IM-AUTH-2'],
  requirement: 'The request\'s UserID and UserType are ignored: a session sees its own files only.',
  description: 'a GetFileListRequest whose UserID names a user who uploaded a file lists the session user\'s own (empty) list',
  async run(ctx) {
    const a = await loggedIn(ctx, 'fprivasker');
    const b = await loggedIn(ctx, 'fprivowner');
    await upload(b, 'private.txt', freshData(128));
    const list = await filesOf(a, b.user);
    expectThat(list.length === 0, `${a.user}'s own (empty) file list, whatever UserID (${b.user}) the request named [IM-AUTH-2, IM-FILE-4]`, () => JSON.stringify(list.map((f) => f.FileName)));
  },
};

export const IM_COMMAND_CHECKS: readonly CheckDefinition[] = [
  ...replyChecks,
  registerSuccess, registerUserExists, registerInvalidField,
  loginSuccess, loginUnknownUser, loginWrongPassword, loginRepeatOther, loginRepeatSame,
  logoutNoticeAndClose,
  noticeLogin, noticeStatus, noticeInvalidStatus,
  authBeforeLogin, authLogoutBeforeLogin,
  chatDeliveredCheck, chatSenderNotForged, chatNonFriend, chatOfflineStored, chatOrder,
  friendsList, friendsUnknownUser, friendsInvalidList, friendsIdentityIgnored,
  infoVisible,
  fileUploadDownload, fileNameNotPath, fileUnknownRecipient, fileList, fileListPrivate,
];

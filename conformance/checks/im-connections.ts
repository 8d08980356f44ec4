// IM connection handling (docs/PROTOCOL.md section 10), seen from the peers' side: a connection that
// goes silent is closed after the idle timeout while one that keeps talking is not [IM-CONN-1]
// [IM-HEARTBEAT-2]; a half-closed connection still gets the replies to what it sent [IM-CONN-2]; and
// a peer that stops reading is cut off at a bound while its friend keeps being served [IM-CONN-3]
// [IM-CONN-4]. The idle check waits on time, since time is what its requirement is about; everything
// else waits on frames, closes and barriers, each with a deadline [D-CONFORM].
import { MessageId, UserStatus, FrameDecoder, decodeMessage, encodeMessageFrame } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import type { ImPeer } from '../harness/im-peer.js';
import { monoMs } from '../../util/clock.js';
import { seconds } from '../harness/peer.js';
import { CheckFailed, CheckSkipped, CheckTimedOut, expectThat } from '../harness/verdicts.js';
import { AVATAR, befriend, loggedIn, type Account } from './im-accounts.js';

const MiB = 1024 * 1024;

// --- idle timeout [IM-CONN-1, IM-HEARTBEAT-2] -------------------------------------------------------

/** The longest idle timeout the check waits out: it runs for 1.5 times the timeout. */
const MAX_IDLE_MS = 120_000;

const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the server closed `peer`, silent since `since`, within the idle timeout and grace of it. */
async function closedWhenIdle(ctx: CheckContext, peer: ImPeer, what: string, since: number, idleMs: number, graceMs: number): Promise<void> {
  const left = Math.max(0, Math.round(since + idleMs + graceMs - monoMs()));
  await peer.closedWithin(`${what} closed by the server once silent for the idle timeout of ${seconds(idleMs)} (+ ${seconds(graceMs)} of grace) [IM-CONN-1]`, { timeoutMs: left });
  ctx.transcript.note(`${what}: closed after ${Math.round(monoMs() - since)} ms of silence`);
}

/**
 * A LoginRequest of an unknown user (answered 2 by every server) every third of the idle timeout, for
 * 1.5 times it: each is answered, and the connection is still open at the end.
 */
async function keptOpenWhileTalking(peer: ImPeer, idleMs: number): Promise<void> {
  const every = Math.max(1, Math.floor(idleMs / 3));
  const start = monoMs();
  const until = start + 1.5 * idleMs;
  const expected = `a connection sending a LoginRequest every ${seconds(every)} (a third of the idle timeout) still open and answered after ${seconds(1.5 * idleMs)}: every frame resets the idle clock [IM-CONN-1, IM-HEARTBEAT-2]`;
  for (let sent = 1; ; sent++) {
    try {
      await peer.barrier();
    } catch (err) {
      if (peer.closed) throw new CheckFailed(expected, `the server closed it after ${Math.round(monoMs() - start)} ms, at frame ${sent} (${peer.closedHow})`);
      throw err;
    }
    const now = monoMs();
    if (now >= until) break;
    // Waiting on time is the point here: the frames must come a third of the timeout apart, so that
    // a server counting silence from the connection's start, or counting only some frames, closes it.
    await after(Math.min(every, until - now));
  }
  expectThat(!peer.closed, expected, () => `closed (${peer.closedHow})`);
}

const idleTimeout: CheckDefinition = {
  id: 'im.conn.idle-timeout',
  level: 'MUST',
  requirements: ['IM-CONN-1', 'IM-HEARTBEAT-2'],
  requirement: 'A server MUST close an IM connection from which no bytes have arrived for --idle-timeout, logged in or not, including one stopped in the middle of a header; every frame a client sends resets its idle clock.',
  description: 'connections silent from the start, silent after a login, and stopped after 5 bytes of a header are closed within the idle timeout + max(1 s, 25%); one sending a LoginRequest every third of the timeout stays open for 1.5 times it',
  allows: 'a close with FIN or a reset; a close before the timeout is not judged here. SKIP without --idle-timeout, or for a timeout over 120 s',
  budgetMs: 1.5 * MAX_IDLE_MS + 30_000,
  async run(ctx) {
    const idleMs = ctx.profile.idleTimeoutMs;
    if (idleMs === null) throw new CheckSkipped('the target\'s idle timeout is not known: give it with --idle-timeout to run this check');
    if (idleMs > MAX_IDLE_MS) throw new CheckSkipped(`an idle timeout of ${seconds(idleMs)} is longer than the ${seconds(MAX_IDLE_MS)} this check waits out`);
    const graceMs = Math.max(1000, Math.ceil(idleMs / 4));
    // The logged-in one first: its login may wait on a password hash. Its clock starts at its last
    // frame, the LoginRequest, so counting from the reply gives the server a little more, never less.
    const user = await loggedIn(ctx, 'idlein');
    const userSince = monoMs();
    const silent = await ctx.im('silent');
    const silentSince = monoMs();
    const midHeader = await ctx.im('midheader');
    const header = encodeMessageFrame(MessageId.LoginRequest, { UserID: ctx.name('idlemid'), Password: 'x', Status: UserStatus.Online }, ctx.profile.layout).subarray(0, 5);
    midHeader.write(header, 'the first 5 bytes of a LoginRequest\'s header, and nothing after them');
    const midSince = monoMs();
    const talker = await ctx.im('talker');
    await Promise.all([
      closedWhenIdle(ctx, user.peer, `${user.user}'s connection, silent since its login`, userSince, idleMs, graceMs),
      closedWhenIdle(ctx, silent, 'a connection that never sent a byte', silentSince, idleMs, graceMs),
      closedWhenIdle(ctx, midHeader, 'a connection stopped in the middle of a header', midSince, idleMs, graceMs),
      keptOpenWhileTalking(talker, idleMs),
    ]);
  },
};

// --- half-close [IM-CONN-2] -------------------------------------------------------------------------

const halfCloseReplies: CheckDefinition = {
  id: 'im.conn.half-close-replies',
  level: 'MUST',
  requirements: ['IM-CONN-2', 'IM-REPLY-1'],
  requirement: 'When a peer half-closes (sends FIN), the server finishes the requests it has received (a registration waiting on I/O included), sends their replies, then closes its side.',
  description: 'a RegisterRequest and a LoginRequest of an unknown user in one write, then FIN: the 4 and the 2 still come, then the server closes the connection',
  allows: 'any result codes in the replies; a close with FIN or a reset once they came',
  async run(ctx) {
    const peer = await ctx.im('halfclosed');
    const user = ctx.name('finreg');
    const unknown = ctx.name('finnobody');
    const frames = Buffer.concat([
      encodeMessageFrame(MessageId.RegisterRequest, { UserID: user, Password: `pw-${user}`, NickName: 'fin', Signature: 'conformance fin', HeadImageData: AVATAR }, ctx.profile.layout),
      encodeMessageFrame(MessageId.LoginRequest, { UserID: unknown, Password: 'x', Status: UserStatus.Online }, ctx.profile.layout),
    ]);
    peer.write(frames, `a RegisterRequest of ${user} and a LoginRequest of unknown ${unknown}, in one write`);
    peer.halfClose();
    await peer.expect(MessageId.RegisterResponse, { what: `id 4 (RegisterResponse) to the RegisterRequest sent before the FIN [IM-CONN-2, IM-REPLY-1]` });
    await peer.expect(MessageId.LoginResponse, { what: `id 2 (LoginResponse) to the LoginRequest sent before the FIN [IM-CONN-2, IM-REPLY-1]` });
    await peer.closedWithin('the server to close its side once it has replied to a half-closed connection [IM-CONN-2]');
  },
};

// --- slow reader [IM-CONN-3, IM-CONN-4] -------------------------------------------------------------

/**
 * What the friend sends the reader that does not read, in all: past the reference's bound (8 MiB),
 * any reasonable one, and the kernel buffers of both ends of a loopback connection.
 */
const SLOW_TOTAL_BYTES = 48 * MiB;
/** Chats per write of the friend, and between its barriers. */
const SLOW_BATCH_BYTES = 4 * MiB;
/** Room for the rest of a FriendChatRequest body (two UserIDs of up to 64 characters, tags, lengths). */
const CHAT_OVERHEAD_BYTES = 512;

/** A FriendChatRequest of `size` bytes of Content, its number written at the start. */
function bigChat(ctx: CheckContext, from: string, to: string, n: number, size: number): Uint8Array {
  const content = Buffer.alloc(size, 0x2e);
  content.write(`chat ${n} `, 0, 'latin1');
  return encodeMessageFrame(MessageId.FriendChatRequest, { FromUserID: from, ToUserID: to, Content: content }, ctx.profile.layout);
}

interface Drained {
  chats: number;
  bytes: number;
  ended: 'closed' | 'all' | 'silent' | 'unreadable';
}

/**
 * Lets `peer` read again, and counts the chats (14) that arrive until the server closes it, all
 * `expected` came, or nothing came for the check's timeout. The ImPeer's own reader is taken off
 * first: tens of MiB of chat bodies are counted here and said in one note, not kept whole.
 */
function readAgain(ctx: CheckContext, peer: ImPeer, expected: number): Promise<Drained> {
  const { socket } = peer;
  const decoder = new FrameDecoder({ layout: ctx.profile.layout, maxBodyBytes: ctx.profile.maxBodyBytes * 2 + 64 * 1024 });
  return new Promise((resolve) => {
    let chats = 0;
    let bytes = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (ended: Drained['ended']): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      ctx.transcript.note(`${peer.name} read again: ${chats} FriendChatNotice(s) of ${expected} in ${bytes} bytes, then ${ended === 'closed' ? `the connection ${peer.closedHow || 'closed'}` : ended}`);
      resolve({ chats, bytes, ended });
    };
    const quiet = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish('silent'), ctx.profile.timeoutMs);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      try {
        for (const frame of decoder.push(chunk)) if (frame.id === MessageId.FriendChatNotice) chats++;
      } catch {
        finish('unreadable');
        return;
      }
      if (chats >= expected) finish('all');
      else quiet();
    };
    if (socket.destroyed) {
      finish('closed');
      return;
    }
    socket.removeAllListeners('data');
    socket.on('data', onData);
    socket.once('close', () => finish('closed'));
    quiet();
    socket.resume();
  });
}

/** Whether a UserOfflineNotice body says `user` went offline (one that does not decode says nothing). */
function offlineNoticeFor(body: Uint8Array, user: string): boolean {
  try {
    return decodeMessage(MessageId.UserOfflineNotice, body).UserID === user;
  } catch {
    return false;
  }
}

/** A barrier on the friend: it is still served [IM-CONN-4]. */
async function stillServed(friend: Account, context: string): Promise<void> {
  const expected = `${friend.user} still served ${context}: its barrier answered [IM-CONN-4]`;
  try {
    await friend.peer.barrier();
  } catch (err) {
    if (err instanceof CheckTimedOut) throw new CheckTimedOut(expected, err.got);
    if (err instanceof CheckFailed) throw new CheckFailed(expected, err.got);
    throw err;
  }
}

const slowReader: CheckDefinition = {
  id: 'im.conn.slow-reader',
  level: 'MUST',
  requirements: ['IM-CONN-3', 'IM-CONN-4'],
  requirement: 'A server MUST bound what it queues for a peer that does not read; bad input and failures on one connection MUST NOT disturb any other connection.',
  description: `a logged-in user stops reading while a friend sends it ${SLOW_TOTAL_BYTES / MiB} MiB of chats of 1 MiB (or the frame limit): the friend is served throughout, and the reader, reading again, gets its connection closed before every chat arrived`,
  allows: 'any bound, and any way to close (FIN or reset); the friend stops sending early once it got 8 for the reader',
  budgetMs: 60_000,
  async run(ctx) {
    const reader = await loggedIn(ctx, 'slowreader');
    const friend = await loggedIn(ctx, 'slowfriend');
    await befriend(friend, reader);
    const size = Math.max(1, Math.min(MiB, ctx.profile.maxBodyBytes - CHAT_OVERHEAD_BYTES));
    const count = Math.ceil(SLOW_TOTAL_BYTES / size);
    const perBatch = Math.max(1, Math.floor(SLOW_BATCH_BYTES / size));
    reader.peer.socket.pause();
    ctx.transcript.note(`${reader.user} stops reading`);
    // The reader stays quiet on its receive side only: a heartbeat every third of the idle timeout
    // (1 s at most) keeps an idle close [IM-CONN-1] from passing for the bound [IM-HEARTBEAT-2].
    const beatMs = Math.max(50, Math.min(1000, Math.floor((ctx.profile.idleTimeoutMs ?? 30_000) / 3)));
    const beat = setInterval(() => reader.peer.send(MessageId.HeartbeatRequest, { UserID: reader.user }), beatMs);
    let sent = 0;
    let offline = false;
    try {
      while (sent < count && !offline) {
        const n = Math.min(perBatch, count - sent);
        const frames = Array.from({ length: n }, (_, i) => bigChat(ctx, friend.user, reader.user, sent + i + 1, size));
        friend.peer.write(Buffer.concat(frames), `FriendChatRequests ${sent + 1}-${sent + n} of ${count} to ${reader.user}, ${size} bytes of Content each`);
        sent += n;
        await stillServed(friend, `while ${reader.user} does not read (after ${sent} chats to it)`);
        // Once the server says the reader went offline (8) it has cut it off: nothing more to queue.
        offline = friend.peer.pending(MessageId.UserOfflineNotice).some((f) => offlineNoticeFor(f.body, reader.user));
      }
    } finally {
      clearInterval(beat);
    }
    ctx.transcript.note(`${sent} chats of ${size} bytes sent to ${reader.user}${offline ? `, the last after the server pushed 8 for it` : ''}`);
    const drained = await readAgain(ctx, reader.peer, sent);
    const total = `${sent} chats (${Math.round((sent * size) / MiB)} MiB)`;
    const expected = `the server to bound what it queues for ${reader.user}, who did not read: its connection closed before the ${total} sent to it all arrived [IM-CONN-3]`;
    if (drained.ended === 'all') {
      throw new CheckFailed(expected, `every one of the ${total} arrived once it read again: the server queued them all for a peer that did not read`);
    }
    if (drained.ended === 'unreadable') throw new CheckFailed(`${expected}, in frames that decode [IM-FRAME-1]`, `bytes that are not frames, after ${drained.chats} chats`);
    if (drained.ended === 'silent') {
      throw new CheckTimedOut(expected, `${drained.chats} of the ${total} arrived, then nothing for ${seconds(ctx.profile.timeoutMs)}, the connection still open`);
    }
    await stillServed(friend, `after ${reader.user} was cut off`);
  },
};

export const IM_CONNECTION_CHECKS: readonly CheckDefinition[] = [halfCloseReplies, idleTimeout, slowReader];

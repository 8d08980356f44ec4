// IM mutants of sessions, notices and chats [D-MUTANTS]: the reference server behind the mutating
// proxy, with one bug in what a request does (docs/PROTOCOL.md sections 4-6): notices to the wrong
// users or none, a trusted identity field, a chat dropped, truncated, reordered or delivered to a
// stranger, a login check or a refusal code missing. Where the bug needs the server to know what the
// proxy cannot ask it (whose friends), the proxy keeps that from the traffic it saw (18 Success).
// The mutants of accounts, friends, profiles and files are in im-data-mutants.ts.
import { MessageId, ResultCode, UserStatus } from '../../../proto/index.js';
import { DEFAULT_RUNS } from '../../run/conform-options.js';
import { SUCCESS, codeOf, frameOf, friendships, imMutant, rewritten, type Mutant, type ResultFields } from './mutant.js';
import { tryDecode, type ImFrame, type ImProxyConnection } from './mutating-proxy.js';

/**
 * Examples for the model-based check (im.model.commands), as `talkbench conform` runs it: its first
 * examples are near-empty command sequences, and with the matrix's 3 it reaches no bug.
 */
const MODEL_RUNS = DEFAULT_RUNS;

const PUSHES: readonly number[] = [MessageId.UserOfflineNotice, MessageId.ChangeStatusNotice, MessageId.FriendChatNotice];

// --- notices [IM-NOTICE-1..3, IM-LOGOUT-1, IM-LOGIN-3] ----------------------------------------------

const noticeToWrongUser = imMutant({
  name: 'im-notice-to-wrong-user',
  areas: ['im.notice.', 'im.logout.', 'im.chat.delivered'],
  bug: 'pushes every notice (8, 10, 14) also to every other logged-in connection [IM-NOTICE-1] [IM-CHAT-1]',
  hooks: (proxy) => ({
    serverFrame(frame, conn) {
      if (!PUSHES.includes(frame.id)) return 'forward';
      for (const other of proxy().connections) {
        if (other !== conn && other.loggedInAs !== null && other.loggedInAs !== conn.loggedInAs) other.sendToClient(frame);
      }
      return 'forward';
    },
  }),
});

const noOfflineNoticeOnDrop = imMutant({
  name: 'im-no-offline-notice-on-drop',
  areas: ['im.logout.'],
  bug: 'tells friends a user went offline only when it logged out with 7, not when its connection just ended [IM-LOGOUT-2]',
  hooks: () => {
    /** Users whose connection sent a 7: their 8 is the logout's. */
    const loggedOut = new Set<string>();
    return {
      clientFrame(frame, conn) {
        if (frame.id === MessageId.UserOfflineRequest && conn.loggedInAs !== null) loggedOut.add(conn.loggedInAs);
        return 'forward';
      },
      serverFrame(frame) {
        if (frame.id !== MessageId.UserOfflineNotice) return 'forward';
        return loggedOut.has((tryDecode(frame) as { UserID?: string } | null)?.UserID ?? '') ? 'forward' : 'drop';
      },
    };
  },
});

const noOfflineNotice = imMutant({
  name: 'im-no-offline-notice',
  areas: ['im.logout.', 'im.model.'],
  runs: MODEL_RUNS,
  bug: 'tells no friend that a user logged out (no 8) [IM-LOGOUT-1]',
  hooks: () => ({ serverFrame: (frame) => (frame.id === MessageId.UserOfflineNotice ? 'drop' : 'forward') }),
});

const invalidStatusAsOnline = imMutant({
  name: 'im-invalid-status-as-online',
  areas: ['im.notice.'],
  bug: 'reads a ChangeStatus outside 1-5 as 2 Online, as a login does, instead of ignoring it [IM-NOTICE-3]',
  hooks: () => ({
    clientFrame(frame) {
      if (frame.id !== MessageId.ChangeStatusRequest) return 'forward';
      const status = (tryDecode(frame) as { Status?: number } | null)?.Status ?? 0;
      return status >= 1 && status <= 5 ? 'forward' : [rewritten(frame, { Status: UserStatus.Online })];
    },
  }),
});

const loginStatusIgnored = imMutant({
  name: 'im-login-status-ignored',
  areas: ['im.login.success', 'im.notice.login', 'im.friends.list', 'im.model.'],
  runs: MODEL_RUNS,
  bug: 'logs every user in as 2 Online, whatever Status the login chose [IM-LOGIN-3]',
  hooks: () => ({
    clientFrame: (frame) => (frame.id === MessageId.LoginRequest && tryDecode(frame) !== null ? [rewritten(frame, { Status: UserStatus.Online })] : 'forward'),
  }),
});

// --- chat [IM-CHAT-1..4, IM-AUTH-2] ----------------------------------------------------------------

/** The key of a chat: who the server says sent it, to whom, and what. */
const chatKey = (from: string, to: string, content: Uint8Array): string => `${from}\u0000${to}\u0000${Buffer.from(content).toString('hex')}`;
type Chat = { FromUserID?: string; ToUserID?: string; Content?: Uint8Array };

const trustsFromUserId = imMutant({
  name: 'im-trusts-from-user-id',
  areas: ['im.chat.'],
  bug: 'delivers a chat as 14 with the FromUserID the sender claimed, not the session user [IM-AUTH-2] [IM-CHAT-1]',
  hooks: () => {
    /** FromUserIDs the senders claimed, by the chat the server will deliver. */
    const claimed = new Map<string, string[]>();
    return {
      clientFrame(frame, conn) {
        const chat = frame.id === MessageId.FriendChatRequest ? tryDecode(frame) as Chat | null : null;
        if (chat === null || conn.loggedInAs === null) return 'forward';
        const key = chatKey(conn.loggedInAs, chat.ToUserID ?? '', chat.Content ?? new Uint8Array(0));
        claimed.set(key, [...(claimed.get(key) ?? []), chat.FromUserID ?? '']);
        return 'forward';
      },
      serverFrame(frame) {
        const chat = frame.id === MessageId.FriendChatNotice ? tryDecode(frame) as Chat | null : null;
        if (chat === null) return 'forward';
        const from = claimed.get(chatKey(chat.FromUserID ?? '', chat.ToUserID ?? '', chat.Content ?? new Uint8Array(0)))?.shift();
        return from === undefined ? 'forward' : [rewritten(frame, { FromUserID: from })];
      },
    };
  },
});

const offlineChatDropped = imMutant({
  name: 'im-offline-chat-dropped',
  areas: ['im.chat.'],
  bug: 'drops a chat to a friend who is not online instead of storing it for the next login, as the original does [IM-CHAT-3]',
  hooks: (proxy) => ({
    clientFrame(frame) {
      const chat = frame.id === MessageId.FriendChatRequest ? tryDecode(frame) as Chat | null : null;
      return chat !== null && proxy().loggedIn(chat.ToUserID ?? '').length === 0 ? 'drop' : 'forward';
    },
  }),
});

const chatNoFriendCheck = imMutant({
  name: 'im-chat-no-friend-check',
  areas: ['im.chat.'],
  bug: 'delivers a chat to whoever ToUserID names, friend or not (itself included), as the original [IM-CHAT-2]',
  hooks: (proxy) => {
    const friends = friendships();
    return {
      clientFrame(frame, conn) {
        const watched = friends.watch(frame, conn);
        if (watched) return watched;
        const chat = frame.id === MessageId.FriendChatRequest ? tryDecode(frame) as Chat | null : null;
        const from = conn.loggedInAs;
        if (chat === null || from === null) return 'forward';
        const to = chat.ToUserID ?? '';
        if (!friends.of(from).includes(to)) {
          // What the server will not deliver, delivered: the 14 it would have sent.
          for (const receiver of proxy().loggedIn(to)) receiver.sendToClient(frameOf(MessageId.FriendChatNotice, { FromUserID: from, ToUserID: to, Content: chat.Content ?? new Uint8Array(0) }));
        }
        return 'forward';
      },
    };
  },
});

/** What a server with a fixed chat buffer keeps of a chat's Content. */
const CHAT_BUFFER_BYTES = 1024;

const chatContentTruncated = imMutant({
  name: 'im-chat-content-truncated',
  areas: ['im.chat.'],
  bug: `delivers at most the first ${CHAT_BUFFER_BYTES} bytes of a chat's Content, as a server with a fixed buffer would [IM-CHAT-1]`,
  hooks: () => ({
    serverFrame(frame) {
      const chat = frame.id === MessageId.FriendChatNotice ? tryDecode(frame) as Chat | null : null;
      const content = chat?.Content ?? new Uint8Array(0);
      return content.length <= CHAT_BUFFER_BYTES ? 'forward' : [rewritten(frame, { Content: content.subarray(0, CHAT_BUFFER_BYTES) })];
    },
  }),
});

/** A 14 held back this long waits for a second one to overtake it, then goes alone. */
const HOLD_MS = 100;

const chatsReordered = imMutant({
  name: 'im-chats-reordered',
  areas: ['im.chat.'],
  bug: 'delivers a receiver\'s chats two by two in swapped order [IM-CHAT-4]',
  hooks: () => {
    const held = new WeakMap<ImProxyConnection, { frame: ImFrame; timer: NodeJS.Timeout }>();
    return {
      serverFrame(frame, conn) {
        if (frame.id !== MessageId.FriendChatNotice) return 'forward';
        const first = held.get(conn);
        if (first) {
          clearTimeout(first.timer);
          held.delete(conn);
          return [frame, first.frame];
        }
        held.set(conn, { frame, timer: setTimeout(() => { held.delete(conn); conn.sendToClient(frame); }, HOLD_MS) });
        return 'drop';
      },
    };
  },
});

// --- sessions [IM-AUTH-1, IM-AUTH-2, IM-LOGIN-2] ------------------------------------------------------

const logoutTrustsUserId = imMutant({
  name: 'im-logout-trusts-user-id',
  areas: ['im.auth.'],
  bug: 'a UserOfflineRequest on a connection not logged in logs out the user its UserID names (friends get 8, its connection closes) [IM-AUTH-1] [IM-AUTH-2]',
  hooks: (proxy) => ({
    clientFrame(frame, conn) {
      if (frame.id !== MessageId.UserOfflineRequest || conn.loggedInAs !== null) return 'forward';
      const named = (tryDecode(frame) as { UserID?: string } | null)?.UserID ?? '';
      for (const victim of proxy().loggedIn(named)) victim.close();
      return 'forward';
    },
  }),
});

/** The requests that need a login and have a reply [IM-AUTH-1]. */
const NEED_LOGIN: readonly number[] = [5, 11, 15, 17, 21, 23];

const noLoginCheck = imMutant({
  name: 'im-no-login-check',
  areas: ['im.auth.before-login'],
  bug: 'answers requests that need a login with Success on a connection not logged in, as the original, which checks no login [IM-AUTH-1]',
  hooks: () => ({
    clientFrame: (frame, conn) => (conn.loggedInAs === null && NEED_LOGIN.includes(frame.id) && tryDecode(frame) !== null
      ? { frames: [frame], onReply: (reply) => [rewritten(reply, { Result: SUCCESS })] }
      : 'forward'),
  }),
});

const loginReplyWithoutUser = imMutant({
  name: 'im-login-reply-without-user',
  areas: ['im.reply.login', 'im.login.success', 'im.register.success'],
  bug: 'answers a successful login with a LoginResponse that has no User [IM-REPLY-3] [IM-LOGIN-1]',
  hooks: () => ({
    serverFrame: (frame) => (frame.id === MessageId.LoginResponse && codeOf(frame) === ResultCode.Success
      ? [frameOf(MessageId.LoginResponse, { Result: SUCCESS })] : 'forward'),
  }),
});

const refusalCodesCollapsed = imMutant({
  name: 'im-refusal-codes-collapsed',
  areas: ['im.register.', 'im.login.', 'im.friends.', 'im.file.'],
  bug: 'answers every refusal with Code 0: no UserExists, RepeatLogin, UserNotExists or WrongPassword [IM-MSG-4] [IM-REG-3] [IM-LOGIN-2] [IM-LOGIN-4]',
  hooks: () => ({
    serverFrame(frame, _conn, request) {
      if (request === null) return 'forward';
      const result = (tryDecode(frame) as { Result?: ResultFields } | null)?.Result;
      const code = result?.Code ?? 0;
      return code >= 2 && code <= 5 ? [rewritten(frame, { Result: { ...result, Code: ResultCode.Failure } })] : 'forward';
    },
  }),
});

export const IM_COMMAND_MUTANTS: readonly Mutant[] = [
  noticeToWrongUser, noOfflineNotice, noOfflineNoticeOnDrop, invalidStatusAsOnline, loginStatusIgnored,
  trustsFromUserId, offlineChatDropped, chatNoFriendCheck, chatContentTruncated, chatsReordered,
  logoutTrustsUserId, noLoginCheck, loginReplyWithoutUser, refusalCodesCollapsed,
];

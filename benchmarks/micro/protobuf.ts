// decodeMessage and encodeMessage (protobufjs generated code behind the id-keyed table) on the
// messages a load test sends or receives most: heartbeats, logins, chat, and one larger reply.
import { MessageId, ResultCode, UserStatus, decodeMessage, encodeMessage } from '../../proto/index.js';
import type { MessageFields } from '../../proto/index.js';
import { type BenchCase, expectChecksum } from './timing.js';

const MESSAGES_PER_BATCH = 1000;

/** 64 bytes of UTF-8 chat text (ASCII, so one byte per character). */
const CONTENT = new TextEncoder().encode('hello bob, the build is green again; shipping in ten minutes. :)');
expectChecksum('chat content length', CONTENT.length, 64);

const heartbeat: MessageFields<typeof MessageId.HeartbeatRequest> = { UserID: 'user-000123' };
const login: MessageFields<typeof MessageId.LoginRequest> = { UserID: 'user-000123', Password: 'correct-horse-battery', Status: UserStatus.Online };
const chat: MessageFields<typeof MessageId.FriendChatRequest> = { FromUserID: 'user-000123', ToUserID: 'user-000456', Content: CONTENT };
const friends: MessageFields<typeof MessageId.GetFriendsResponse> = {
  Result: { Code: ResultCode.Success, Msg: 'ok' },
  Friends: Array.from({ length: 20 }, (_, i) => ({
    UserID: `user-${String(1000 + i).padStart(6, '0')}`,
    NickName: `Friend ${i}`,
    Signature: 'out for lunch',
    HeadImageUrl: `http://127.0.0.1:8080/res/head/user-${String(1000 + i).padStart(6, '0')}.png`,
    CreateTime: 1_700_000_000 + i,
    Status: UserStatus.Online,
  })),
};

/**
 * One message of each kind, with a summary of its decoded form: a few fields a handler would read,
 * reduced to a number (reading them also forces protobufjs to have really decoded them), and the
 * number the source fields predict, which setup checks the decoder against.
 */
const SUBJECTS = [
  {
    label: 'HeartbeatRequest',
    encode: () => encodeMessage(MessageId.HeartbeatRequest, heartbeat),
    decode: (body: Uint8Array) => decodeMessage(MessageId.HeartbeatRequest, body).UserID.length,
    expected: heartbeat.UserID!.length,
  },
  {
    label: 'LoginRequest',
    encode: () => encodeMessage(MessageId.LoginRequest, login),
    decode: (body: Uint8Array) => {
      const m = decodeMessage(MessageId.LoginRequest, body);
      return m.UserID.length + m.Password.length + m.Status;
    },
    expected: login.UserID!.length + login.Password!.length + login.Status!,
  },
  {
    label: 'FriendChatRequest, 64 B Content',
    encode: () => encodeMessage(MessageId.FriendChatRequest, chat),
    decode: (body: Uint8Array) => {
      const m = decodeMessage(MessageId.FriendChatRequest, body);
      return m.FromUserID.length + m.ToUserID.length + m.Content.length;
    },
    expected: chat.FromUserID!.length + chat.ToUserID!.length + CONTENT.length,
  },
  {
    label: 'GetFriendsResponse, 20 friends',
    encode: () => encodeMessage(MessageId.GetFriendsResponse, friends),
    decode: (body: Uint8Array) => {
      const m = decodeMessage(MessageId.GetFriendsResponse, body);
      return m.Friends.length + (m.Friends[19]?.UserID?.length ?? 0) + (m.Result?.Code ?? 0);
    },
    expected: friends.Friends!.length + friends.Friends![19]!.UserID!.length + ResultCode.Success,
  },
] as const;

/** The label with the body size, computed from the real encoding so that it cannot drift. */
function describe(subject: (typeof SUBJECTS)[number]): string {
  return `${subject.label} (${subject.encode().length} B)`;
}

/** The indirect call to `one` costs a few ns, small next to even the smallest message's encoding. */
function runBatch(one: () => number): number {
  let sum = 0;
  for (let i = 0; i < MESSAGES_PER_BATCH; i++) sum += one();
  return sum;
}

export function protobufCases(): BenchCase[] {
  const decodeCases = SUBJECTS.map((subject): BenchCase => ({
    group: 'decodeMessage',
    name: describe(subject),
    unit: 'messages/s',
    opsPerBatch: MESSAGES_PER_BATCH,
    setup() {
      const body = subject.encode();
      const one = (): number => subject.decode(body);
      const batch = (): number => runBatch(one);
      expectChecksum(`decode ${subject.label}`, batch(), MESSAGES_PER_BATCH * subject.expected);
      return batch;
    },
  }));
  const encodeCases = SUBJECTS.map((subject): BenchCase => ({
    group: 'encodeMessage',
    name: describe(subject),
    unit: 'messages/s',
    opsPerBatch: MESSAGES_PER_BATCH,
    setup() {
      // Sum the lengths and the last byte: the byte proves the body was written, not only sized.
      const one = (): number => {
        const body = subject.encode();
        return body.length + body[body.length - 1]!;
      };
      const batch = (): number => runBatch(one);
      expectChecksum(`encode ${subject.label}`, batch(), MESSAGES_PER_BATCH * one());
      return batch;
    },
  }));
  return [...decodeCases, ...encodeCases];
}

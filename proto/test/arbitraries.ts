// fast-check arbitraries shared by the property tests: frames, chunkings, bytes biased toward line
// breaks, CHAT/1.0 names, data and commands, and IM message fields.
import { fc } from '@fast-check/vitest';
import type { FrameLayout } from '../frame-codec.js';
import type { ChatCommand } from '../chat-line.js';

export const arbLayout = fc.constantFrom<FrameLayout>('le', 'be');

/** Any u32 id (most are not protocol ids: the frame codec does not care) and a body up to 4 KiB. */
export const arbFrame = fc.record({
  id: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 24 })),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 32 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 256, maxLength: 4096 }) },
  ),
});

/** Cut offsets for helpers.splitAt: any naturals, so any chunking (empty chunks included). */
export const arbCuts = fc.oneof(
  fc.array(fc.nat(), { maxLength: 24 }),
  fc.array(fc.nat({ max: 40 }), { maxLength: 24 }), // cuts packed near the start: split headers
);

/** Random bytes with `\n` and `\r` frequent enough to end lines and confuse terminators. */
export const arbLineBytes = fc
  .array(fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(0x0a, 0x0d) },
    { weight: 1, arbitrary: fc.constantFrom(0x20, 0x41, 0xc3, 0xa9, 0xff) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }) },
  ), { maxLength: 400 })
  .map((bytes) => new Uint8Array(bytes));

/** One Unicode code point (never a lone surrogate), as a string. */
const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** A character allowed in a CHAT/1.0 name: anything but space, `\r` and `\n` [CHAT-LINE-2]. */
const nameChar = fc.oneof(
  fc.constantFrom('a', 'b', 'z', 'A', '0', '_', '-', '.', 'é', '中', '😀', '\t'),
  anyCodePoint.filter((c) => c !== ' ' && c !== '\r' && c !== '\n'),
);

export const arbChatName = fc.string({ unit: nameChar, minLength: 1, maxLength: 12 });

/** Data: anything but `\n`, spaces and `\r` included, not ending in `\r`; may be empty. */
export const arbChatData = fc
  .string({ unit: fc.oneof(nameChar, fc.constantFrom(' ', ' ', '\r')), maxLength: 40 })
  .map((d) => (d.endsWith('\r') ? d + 'x' : d));

export const arbChatCommand: fc.Arbitrary<ChatCommand> = fc.oneof(
  arbChatName.map((name): ChatCommand => ({ command: 'LOGIN', name })),
  fc.constant<ChatCommand>({ command: 'LOGOUT' }),
  fc.record({ name: arbChatName, data: arbChatData }).map(({ name, data }): ChatCommand => ({ command: 'SEND', name, data })),
  fc.record({ from: arbChatName, data: arbChatData }).map(({ from, data }): ChatCommand => ({ command: 'RECEIVE', from, data })),
  fc.record({ group: arbChatName, members: fc.array(arbChatName, { maxLength: 5 }) })
    .map(({ group, members }): ChatCommand => ({ command: 'GROUP', group, members })),
  arbChatName.map((group): ChatCommand => ({ command: 'LEAVE', group })),
  fc.record({ group: arbChatName, data: arbChatData }).map(({ group, data }): ChatCommand => ({ command: 'BROADCAST', group, data })),
);

/**
 * Strings that look like CHAT/1.0 lines, so that many are accepted and the rest fail in every way:
 * a protocol-ish prefix, a command-ish word, then a tail of spaces, `\r`, letters and non-ASCII.
 * No `\n`: a line never holds one (LineSplitter cuts there).
 */
export const arbChatLikeLine = fc
  .tuple(
    fc.constantFrom('CHAT/1.0 ', 'CHAT/1.0 ', 'CHAT/1.0 ', 'CHAT/1.1 ', 'chat/1.0 ', 'CHAT/1.0', ''),
    fc.constantFrom('LOGIN', 'LOGOUT', 'SEND', 'RECEIVE', 'GROUP', 'LEAVE', 'BROADCAST', 'login', 'JOIN', ''),
    fc.string({ unit: fc.constantFrom(' ', ' ', 'a', 'b', '\r', 'é', '😀', '\t'), maxLength: 16 }),
  )
  .map(([prefix, command, tail]) => prefix + command + tail);

// IM message fields. Strings are any Unicode (no lone surrogates: proto3 strings are UTF-8).
export const arbText = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 24 }));
export const arbInt32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const arbSafeInt64 = fc.oneof(
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: 0, max: 4102444800 }), // unix seconds, today's and tomorrow's
);
export const arbBytes = fc.uint8Array({ maxLength: 64 });
export const arbResult = fc.record({ Code: fc.integer({ min: 0, max: 5 }), Msg: arbText }, { requiredKeys: [] });

/** UserInfo without CreateTime; arbUserInfoWithTime adds it (int64 within the safe range). */
export const arbUserInfo = fc.record({
  UserID: arbText, NickName: arbText, Signature: arbText, HeadImageUrl: arbText, Status: fc.integer({ min: 0, max: 6 }),
}, { requiredKeys: [] });
export const arbUserInfoWithTime = fc.record({
  UserID: arbText, NickName: arbText, CreateTime: arbSafeInt64, Status: fc.integer({ min: 0, max: 6 }),
}, { requiredKeys: ['CreateTime'] });

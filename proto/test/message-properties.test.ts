// decodeMessage(id, encodeMessage(id, x)) gives x back (less proto3 defaults), for every message id,
// with any Unicode strings, negative int32, bytes, repeated and nested fields, and int64 CreateTime.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decodeMessage, encodeMessage, type MessageFields } from '../messages.js';
import type { MessageIdNumber } from '../message-ids.js';
import {
  arbBytes, arbInt32, arbResult, arbSafeInt64, arbText, arbUserInfo, arbUserInfoWithTime,
} from './arbitraries.js';
import { plainMessage, withoutDefaults } from './helpers.js';

const opt = { requiredKeys: [] as [] };
const userIdOnly = fc.record({ UserID: arbText }, opt);
const resultOnly = fc.record({ Result: arbResult }, opt);
const userAndStatus = fc.record({ UserID: arbText, Status: arbInt32 }, opt);
const chat = fc.record({ FromUserID: arbText, ToUserID: arbText, Content: arbBytes }, opt);
const downFileInfo = fc.record({ UserID: arbText, FileSize: arbInt32, FileName: arbText, DownUrl: arbText }, opt);

/** Field values for each message id; repeated fields are always present (they decode to []). */
const ARBITRARIES: { [K in MessageIdNumber]: fc.Arbitrary<MessageFields<K>> } = {
  1: fc.record({ UserID: arbText, Password: arbText, Status: arbInt32 }, opt),
  2: fc.record({ Result: arbResult, User: arbUserInfo }, opt),
  3: fc.record({ UserID: arbText, Password: arbText, NickName: arbText, Signature: arbText, HeadImageData: arbBytes }, opt),
  4: resultOnly,
  5: userIdOnly,
  6: fc.record({ Result: arbResult, Friends: fc.array(arbUserInfo, { maxLength: 4 }) }, { requiredKeys: ['Friends'] }),
  7: userIdOnly,
  8: userAndStatus,
  9: userAndStatus,
  10: userAndStatus,
  11: fc.record({ User: arbUserInfo }, opt),
  12: resultOnly,
  13: chat,
  14: chat,
  15: userIdOnly,
  16: fc.record({ Result: arbResult, UserList: fc.array(arbUserInfo, { maxLength: 4 }) }, { requiredKeys: ['UserList'] }),
  17: fc.record({ UserID: arbText, UserIDList: fc.array(arbText, { maxLength: 6 }) }, { requiredKeys: ['UserIDList'] }),
  18: resultOnly,
  19: userIdOnly,
  20: resultOnly,
  21: fc.record({ FromUserID: arbText, ToUserID: arbText, UserType: arbInt32, fileName: arbText, Data: arbBytes }, opt),
  22: fc.record({ Result: arbResult, FileName: arbText, DownUrl: arbText }, opt),
  23: fc.record({ UserID: arbText, UserType: arbInt32 }, opt),
  24: fc.record({ Result: arbResult, FileList: fc.array(downFileInfo, { maxLength: 4 }) }, { requiredKeys: ['FileList'] }),
};

const IDS = Object.keys(ARBITRARIES).map(Number) as MessageIdNumber[];

describe('protobuf round trips, every message id', () => {
  for (const id of IDS) {
    test.prop([ARBITRARIES[id] as fc.Arbitrary<MessageFields<MessageIdNumber>>])(
      `id ${id}: decodeMessage(encodeMessage(fields)) gives the fields back`,
      (fields) => {
        expect(plainMessage(decodeMessage(id, encodeMessage(id, fields)))).toEqual(withoutDefaults(fields));
      },
    );
  }
});

describe('protobuf round trips, int64 CreateTime within the safe range', () => {
  test.prop([arbUserInfoWithTime])('LoginResponse User.CreateTime comes back as the same number', (user) => {
    const decoded = decodeMessage(2, encodeMessage(2, { User: user }));
    expect(decoded.User?.CreateTime).toBe(user.CreateTime);
  });

  test.prop([fc.array(arbUserInfoWithTime, { minLength: 1, maxLength: 4 })])(
    'GetUserListResponse UserList (repeated, int64 inside) comes back equal',
    (users) => {
      expect(plainMessage(decodeMessage(16, encodeMessage(16, { UserList: users })))).toEqual(withoutDefaults({ UserList: users }));
    },
  );

  test.prop([arbSafeInt64])('encoding is the 64-bit two\'s complement varint of the value', (value) => {
    // The varint of field 5 inside UserInfo, read back by hand with BigInt, equals the value.
    const body = encodeMessage(11, { User: { CreateTime: value } });
    let n = 0n;
    let shift = 0n;
    for (const byte of body.subarray(value === 0 ? body.length : 3)) { n |= BigInt(byte & 0x7f) << shift; shift += 7n; }
    expect(BigInt.asIntN(64, n)).toBe(BigInt(value));
  });
});

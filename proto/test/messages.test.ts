// encodeMessage / decodeMessage: errors keyed by code [IM-FRAME-6, IM-FRAME-7], proto3 defaults,
// unknown fields, and int64 CreateTime (declared `number` in im.d.ts).
import { describe, expect, test } from 'vitest';
import { decodeMessage, encodeMessage } from '../messages.js';
import { MessageId, REQUEST_IDS, isMessageId, messageName, responseIdFor } from '../message-ids.js';
import { caught, fromHex, toHex } from './helpers.js';

describe('decodeMessage errors', () => {
  test.each([0, 25, 26, 1000, -1, 1.5, 0xffffffff])('id %s is UNKNOWN_MESSAGE_ID', (id) => {
    const err = caught(() => decodeMessage(id, new Uint8Array(0)));
    expect(err.code).toBe('UNKNOWN_MESSAGE_ID');
  });

  test.each([
    { what: 'a truncated length-delimited field (len 5, 2 bytes follow)', id: 1, hex: '0a056162' },
    { what: 'a length-delimited field whose length varint is cut', id: 1, hex: '0a' },
    { what: 'a truncated varint (continuation bit, then end)', id: 1, hex: '1880' },
    { what: 'wire type 7 (does not exist)', id: 1, hex: '0f01' },
    { what: 'wire type 6 (does not exist) on an unknown field', id: 19, hex: '4e00' },
    { what: 'a start-group with no end-group', id: 19, hex: '0b' },
    { what: 'field number 0', id: 19, hex: '0000' },
    { what: 'a nested message longer than its parent', id: 2, hex: '0a050801' },
    { what: 'a nested message with garbage inside', id: 2, hex: '0a020f01' },
    { what: 'invalid UTF-8 (0xff) in a string field', id: 1, hex: '0a01ff' },
    { what: 'overlong UTF-8 (c0 80) in a string field', id: 1, hex: '0a02c080' },
    { what: 'a UTF-16 surrogate (ed a0 80) in a string field', id: 5, hex: '0a03eda080' },
    { what: 'a truncated UTF-8 sequence (e2 82) in a string field', id: 13, hex: '0a02e282' },
    { what: 'invalid UTF-8 in a repeated string', id: 17, hex: '1201ff' },
    { what: 'invalid UTF-8 in a nested Result.Msg', id: 4, hex: '0a03' + '1201ff' },
  ])('$what is UNDECODABLE_BODY', ({ id, hex }) => {
    const err = caught(() => decodeMessage(id, fromHex(hex)));
    expect(err.code).toBe('UNDECODABLE_BODY');
    expect(err.message).toContain(messageName(id));
  });

  test('invalid UTF-8 in a bytes field is fine: bytes are not text', () => {
    expect(decodeMessage(13, fromHex('1a02c080')).Content).toEqual(fromHex('c080'));
  });

  test('unknown fields are skipped, known ones still read', () => {
    // field 9 varint 1, field 10 len 1, then UserID "a".
    expect(decodeMessage(19, fromHex('4801' + '520178' + '0a0161'))).toEqual({ UserID: 'a' });
  });

  test('a singular field sent twice: the last value wins', () => {
    expect(decodeMessage(1, fromHex('0a0161' + '0a0162'))).toEqual({ UserID: 'b' });
  });
});

describe('encodeMessage and proto3 defaults', () => {
  test('default values are not written: empty strings, 0, empty lists give an empty body', () => {
    expect(encodeMessage(1, { UserID: '', Password: '', Status: 0 })).toHaveLength(0);
    expect(encodeMessage(17, { UserID: '', UserIDList: [] })).toHaveLength(0);
    expect(encodeMessage(21, { Data: new Uint8Array(0) })).toHaveLength(0);
  });

  test('an empty body decodes to default values', () => {
    const login = decodeMessage(1, new Uint8Array(0));
    expect([login.UserID, login.Password, login.Status]).toEqual(['', '', 0]);
    expect(decodeMessage(24, new Uint8Array(0)).FileList).toEqual([]);
  });

  test('an empty repeated string element is still written (repeated fields have no default)', () => {
    expect(toHex(encodeMessage(17, { UserIDList: ['', 'a'] }))).toBe('1200' + '120161');
    expect(decodeMessage(17, fromHex('1200120161')).UserIDList).toEqual(['', 'a']);
  });
});

describe('int64 CreateTime is a JS number, as im.d.ts declares', () => {
  // proto/scripts/generate.js passes --force-number and the comment says "int64 CreateTime as a JS
  // number"; im.d.ts types UserInfo.CreateTime as `number`.
  test.each([
    { value: 1700000000, hex: '1206' /* 2 User, len 6 */ + '28' + '80e2cfaa06' /* 5 CreateTime */ },
    { value: 4102444800, hex: '1206' + '28' + '80ae99a40f' /* 2100-01-01, over 2^32 */ },
    { value: -1, hex: '120b' /* len 11 */ + '28' + 'ffffffffffffffffff01' },
  ])('LoginResponse User.CreateTime $value encodes as written and decodes to the number $value', ({ value, hex }) => {
    expect(toHex(encodeMessage(2, { User: { CreateTime: value } }))).toBe(hex);
    const decoded = decodeMessage(2, fromHex(hex));
    expect(typeof decoded.User?.CreateTime).toBe('number');
    expect(decoded.User?.CreateTime).toBe(value);
  });

  test('an absent CreateTime reads as the number 0', () => {
    const decoded = decodeMessage(6, fromHex('1203' + '0a0161'));
    expect(decoded.Friends[0]?.CreateTime).toBe(0);
  });
});

describe('message id table', () => {
  test('the 24 ids are 1..24, named as in docs/ORIGINALS.md', () => {
    expect(Object.values(MessageId)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect([messageName(7), messageName(14), messageName(24), messageName(25)])
      .toEqual(['UserOfflineRequest', 'FriendChatNotice', 'GetFileListResponse', 'unknown(25)']);
    expect([0, 1, 24, 25].map(isMessageId)).toEqual([false, true, true, false]);
  });

  test('requests are the odd ids; logout, status change and chat have no direct reply', () => {
    expect(REQUEST_IDS).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]);
    expect(REQUEST_IDS.map(responseIdFor)).toEqual([2, 4, 6, null, null, 12, null, 16, 18, 20, 22, 24]);
    expect([2, 25, 0].map(responseIdFor)).toEqual([null, null, null]);
  });
});

// resultCodeOf reads field 1's Code without decoding the body; it must agree with full decoding.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { decodeMessage, encodeMessage, resultCodeOf } from '../index.js';

const RESPONSES = [2, 4, 6, 12, 16, 18, 20, 22, 24] as const;
const userInfo = fc.record({ UserID: fc.string(), NickName: fc.string(), Status: fc.integer({ min: 0, max: 6 }) });

describe('resultCodeOf', () => {
  test.prop([
    fc.constantFrom(...RESPONSES),
    fc.option(fc.record({ Code: fc.integer({ min: -5, max: 2 ** 31 - 1 }), Msg: fc.string() }), { nil: undefined }),
    fc.array(userInfo, { maxLength: 5 }),
  ])('agrees with decodeMessage for every response id', (id, Result, users) => {
    const fields = id === 16 ? { Result, UserList: users } : id === 6 ? { Result, Friends: users } : { Result };
    const body = encodeMessage(id, fields as never);
    const decoded = decodeMessage(id, body) as { Result?: { Code?: number | null } | null };
    expect(resultCodeOf(body)).toBe(decoded.Result?.Code ?? 0);
  });

  test('an empty body is Failure (0); truncated bytes are null', () => {
    expect(resultCodeOf(new Uint8Array(0))).toBe(0);
    expect(resultCodeOf(Uint8Array.from([0x0a, 0x05, 0x08]))).toBeNull();
    expect(resultCodeOf(Uint8Array.from([0x0a, 0x02, 0x08, 0x01]))).toBe(1);
  });
});

// encodeMessageFrame writes header and body in one buffer; it must give encodeFrame(encodeMessage(...)).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { encodeFrame, encodeMessage, encodeMessageFrame } from '../index.js';

describe('encodeMessageFrame', () => {
  test.prop([
    fc.constantFrom('le' as const, 'be' as const),
    fc.record({ FromUserID: fc.string(), ToUserID: fc.string(), Content: fc.uint8Array({ maxLength: 300 }) }),
  ])('equals encodeFrame of encodeMessage, both layouts', (layout, fields) => {
    expect(Buffer.from(encodeMessageFrame(13, fields, layout)).toString('hex'))
      .toBe(encodeFrame(13, encodeMessage(13, fields), layout).toString('hex'));
  });

  test('an empty body is the header alone', () => {
    expect(Buffer.from(encodeMessageFrame(19, {})).toString('hex')).toBe('00000000' + '13000000');
  });
});

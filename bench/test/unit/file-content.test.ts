// Upload names and bytes: the name carries the stamp and reads back as it; the bytes follow from the
// run, the sender, the upload's index and the seed, and are exactly as many as the stamp says.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parseUploadName, uploadContent, uploadName, type UploadStamp } from '../../engine/file-content.js';

const stamp = (s: Partial<UploadStamp> = {}): UploadStamp => ({ run: 7, from: 3, to: 4, index: 0, seq: 1, size: 64, ...s });

const arbStamp = fc.record({
  run: fc.nat(), from: fc.nat(), to: fc.nat(), index: fc.nat(), seq: fc.nat(), size: fc.nat({ max: 70_000 }),
});

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('uploadName and parseUploadName', () => {
  test('the name spells the stamp', () => {
    expect(uploadName({ run: 12, from: 3, to: 4, index: 5, seq: 6, size: 1024 })).toBe('tb-12-3-4-5-6-1024.bin');
    expect(parseUploadName('tb-12-3-4-5-6-1024.bin')).toEqual({ run: 12, from: 3, to: 4, index: 5, seq: 6, size: 1024 });
    expect(parseUploadName('tb-0-0-0-0-0-0.bin')).toEqual({ run: 0, from: 0, to: 0, index: 0, seq: 0, size: 0 });
  });

  test.prop([arbStamp])('parseUploadName(uploadName(s)) is s', (s) => {
    expect(parseUploadName(uploadName(s))).toEqual(s);
  });

  test.prop([arbStamp])('uploadName(parseUploadName(name)) is the name, for the names talkbench gives', (s) => {
    const name = uploadName(s);
    expect(uploadName(parseUploadName(name)!)).toBe(name);
  });

  test.each([
    'tb-1-2-3-4-5.bin',
    'tb-1-2-3-4-5-6-7.bin',
    'tb-1-2-3-4-5-6.txt',
    'tb-1-2-3-4-5-6.bin.part',
    'xtb-1-2-3-4-5-6.bin',
    ' tb-1-2-3-4-5-6.bin',
    'TB-1-2-3-4-5-6.bin',
    'tb--1-2-3-4-5-6.bin',
    'tb-1.5-2-3-4-5-6.bin',
    'tb-a-2-3-4-5-6.bin',
    'tb-1-2-3-4-5-.bin',
    'tb-1-2-3-4-5-6bin',
    'photo.jpg',
    '',
  ])('%j is not a talkbench name', (name) => {
    expect(parseUploadName(name)).toBeNull();
  });

  test.prop([arbStamp, fc.nat(), fc.constantFrom('-', '.', 'a', 'x', ' ', '_', '+', 'é')])(
    'one character that is not a digit, put anywhere in a name, makes it no talkbench name',
    (s, at, char) => {
      const name = uploadName(s);
      const cut = at % (name.length + 1);
      expect(parseUploadName(name.slice(0, cut) + char + name.slice(cut))).toBeNull();
    },
  );
});

describe('uploadContent', () => {
  test.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1023, 1024, 65_535, 65_536, 65_537, 70_000])('%s bytes', (size) => {
    expect(uploadContent(stamp({ size }), 'seed').length).toBe(size);
  });

  test.prop([arbStamp, fc.string({ maxLength: 8 })])('exactly size bytes, the same for the same stamp and seed', (s, seed) => {
    const bytes = uploadContent(s, seed);
    expect(bytes.length).toBe(s.size);
    expect(same(uploadContent({ ...s }, seed), bytes)).toBe(true);
  });

  test.prop([
    fc.record({ run: fc.nat(1000), from: fc.nat(1000), to: fc.nat(1000), index: fc.nat(1000), seq: fc.nat(1000), size: fc.integer({ min: 16, max: 4096 }) }),
    fc.constantFrom('run' as const, 'from' as const, 'index' as const),
    fc.integer({ min: 1, max: 1000 }),
  ])('another run, sender or index gives other bytes', (s, field, delta) => {
    const other = { ...s, [field]: s[field] + delta };
    expect(same(uploadContent(s, 'seed'), uploadContent(other, 'seed'))).toBe(false);
  });

  test.prop([fc.integer({ min: 16, max: 4096 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })])('another seed gives other bytes', (size, a, b) => {
    fc.pre(a !== b);
    expect(same(uploadContent(stamp({ size }), a), uploadContent(stamp({ size }), b))).toBe(false);
  });

  test('the receiver and the accounting number do not change the bytes (they are in the name)', () => {
    expect(same(uploadContent(stamp({ to: 4, seq: 1 }), 's'), uploadContent(stamp({ to: 9, seq: 5 }), 's'))).toBe(true);
  });

  test('the bytes are not trivially patterned: a 64 KiB upload uses most byte values', () => {
    const bytes = uploadContent(stamp({ size: 65_536 }), 'seed');
    expect(new Set(bytes).size).toBe(256);
  });
});

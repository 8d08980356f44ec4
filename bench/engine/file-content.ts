// What a simulated upload carries, so that its receiver knows what to expect without being told: the
// file name says who sent it to whom, its index and accounting number and its size, and the bytes
// follow from the run, the seed and the upload's index. No two uploads of a run and no two runs send
// the same bytes (the original server refuses a second upload with the same MD5).
import { hash32, Random } from '../../util/random.js';

export interface UploadStamp {
  run: number;
  from: number;
  to: number;
  /** Every upload of a sender, from 0: what makes its bytes unique. */
  index: number;
  /** Per sender-receiver pair, from 1; 0 for an upload outside the measured window (not accounted). */
  seq: number;
  size: number;
}

export function uploadName(s: UploadStamp): string {
  return `tb-${s.run}-${s.from}-${s.to}-${s.index}-${s.seq}-${s.size}.bin`;
}

const NAME = /^tb-(\d+)-(\d+)-(\d+)-(\d+)-(\d+)-(\d+)\.bin$/;

/** The stamp in a file name, or null for a file talkbench did not name. */
export function parseUploadName(name: string): UploadStamp | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [run, from, to, index, seq, size] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { run, from, to, index, seq, size };
}

/** The bytes of an upload: a seeded stream, four bytes per draw. */
export function uploadContent(s: UploadStamp, seed: string): Uint8Array {
  const random = new Random(hash32('upload', seed, s.run, s.from, s.index));
  const bytes = new Uint8Array(s.size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (; at + 4 <= s.size; at += 4) view.setUint32(at, random.next() * 4294967296);
  for (; at < s.size; at++) bytes[at] = random.below(256);
  return bytes;
}

// encodeFrame on small bodies: one header write, one allocation and one copy per frame, which is what
// a load generator pays for every message it sends.
import { type FrameLayout, MessageId, encodeFrame } from '../../proto/index.js';
import { type BenchCase, expectChecksum } from './timing.js';

const FRAMES_PER_BATCH = 1000;

function encodeCase(layout: FrameLayout, bodyBytes: number): BenchCase {
  return {
    group: 'encodeFrame',
    name: `${layout}, ${bodyBytes} B body`,
    unit: 'frames/s',
    opsPerBatch: FRAMES_PER_BATCH,
    setup() {
      const body = new Uint8Array(bodyBytes).fill(0x61);
      // The byte that holds the low byte of the id: it proves the header was written, not just sized.
      const idByte = layout === 'le' ? 4 : 3;
      const batch = (): number => {
        let sum = 0;
        for (let i = 0; i < FRAMES_PER_BATCH; i++) {
          const frame = encodeFrame(MessageId.FriendChatRequest, body, layout);
          sum += frame.length + frame[idByte]!;
        }
        return sum;
      };
      expectChecksum(`encodeFrame ${layout}`, batch(), FRAMES_PER_BATCH * (8 + bodyBytes + MessageId.FriendChatRequest));
      return batch;
    },
  };
}

export function frameEncodeCases(): BenchCase[] {
  return [encodeCase('le', 0), encodeCase('le', 16), encodeCase('le', 64), encodeCase('be', 16)];
}

// What every simulated chat carries so its receiver can time and account for it: the run, the
// sender and receiver, a sequence number per pair, and the scheduled and sent times on the shared
// monotonic clock. Chats without this run's stamp (an earlier run's stored chats) are ignored.

export interface ChatStamp {
  run: number;
  from: number;
  to: number;
  /** Per sender-receiver pair, from 1; 0 for a chat outside the measured window (not accounted). */
  seq: number;
  scheduledMs: number;
  sentMs: number;
}

/** IM only: which of its receiver's sessions a chat was meant for, and whether the receiver was away. */
export interface SessionStamp {
  /** The receiver's login count when the chat was sent. */
  toSession: number;
  /** The receiver was away (logged out) when the chat was sent: it can only arrive at a next login. */
  away: boolean;
}

const MAGIC = 0x5442;   // "TB"
const VERSION = 2;
export const STAMP_BYTES = 2 + 1 + 4 * 4 + 8 * 2 + 4 + 1;

/** Binary stamp for IM chats (bytes Content), padded with zeros to `size` bytes. */
export function encodeStamp(stamp: ChatStamp & SessionStamp, size: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(size, STAMP_BYTES));
  const view = new DataView(bytes.buffer);
  view.setUint16(0, MAGIC);
  view.setUint8(2, VERSION);
  view.setUint32(3, stamp.run);
  view.setUint32(7, stamp.from);
  view.setUint32(11, stamp.to);
  view.setUint32(15, stamp.seq);
  view.setFloat64(19, stamp.scheduledMs);
  view.setFloat64(27, stamp.sentMs);
  view.setUint32(35, stamp.toSession);
  view.setUint8(39, stamp.away ? 1 : 0);
  return bytes;
}

export function decodeStamp(bytes: Uint8Array): (ChatStamp & SessionStamp) | null {
  if (bytes.length < STAMP_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint16(0) !== MAGIC || view.getUint8(2) !== VERSION) return null;
  return {
    run: view.getUint32(3), from: view.getUint32(7), to: view.getUint32(11), seq: view.getUint32(15),
    scheduledMs: view.getFloat64(19), sentMs: view.getFloat64(27), toSession: view.getUint32(35), away: view.getUint8(39) === 1,
  };
}

/** Text stamp for CHAT/1.0 data: `tb1 run from to seq scheduled sent`, padded with `.` to `size` chars. */
export function formatStampText(stamp: ChatStamp, size: number): string {
  const text = `tb1 ${stamp.run} ${stamp.from} ${stamp.to} ${stamp.seq} ${stamp.scheduledMs.toFixed(4)} ${stamp.sentMs.toFixed(4)} `;
  return text.length >= size ? text : text + '.'.repeat(size - text.length);
}

export function parseStampText(data: string): ChatStamp | null {
  const parts = data.split(' ', 7);
  if (parts.length < 7 || parts[0] !== 'tb1') return null;
  const [run, from, to, seq, scheduledMs, sentMs] = parts.slice(1).map(Number) as [number, number, number, number, number, number];
  if (![run, from, to, seq, scheduledMs, sentMs].every(Number.isFinite)) return null;
  return { run, from, to, seq, scheduledMs, sentMs };
}

// What a check sent and received, byte for byte, with the time and a reading a person can follow: the
// evidence behind a verdict, saved for a failing check and resent by `talkbench replay`.
import { monoMs } from '../../util/clock.js';

export type TranscriptDirection = 'sent' | 'received' | 'closed' | 'note';

export interface TranscriptEvent {
  /** Milliseconds since the transcript began. */
  atMs: number;
  /** The connection, as the check named it (`alice`, `c2`). */
  connection: string;
  direction: TranscriptDirection;
  /** The bytes, as hex (empty for `closed` and `note`). */
  hex: string;
  /** The bytes read as protobuf JSON or CHAT/1.0 lines, or what happened. */
  text: string;
}

/** Kept per check; a property's examples each get their own, and only the shrunk one is kept. */
export class Transcript {
  readonly events: TranscriptEvent[] = [];
  private readonly startMs = monoMs();
  /** Large bodies are kept whole up to this many bytes per event, then cut (the cut is said). */
  static readonly MAX_EVENT_BYTES = 64 * 1024;

  record(connection: string, direction: TranscriptDirection, bytes: Uint8Array | null, text: string): void {
    const kept = bytes === null ? new Uint8Array(0) : bytes.subarray(0, Transcript.MAX_EVENT_BYTES);
    const cut = bytes !== null && bytes.length > kept.length ? ` (first ${kept.length} of ${bytes.length} bytes kept)` : '';
    this.events.push({ atMs: Math.round((monoMs() - this.startMs) * 1000) / 1000, connection, direction, hex: Buffer.from(kept).toString('hex'), text: text + cut });
  }

  note(text: string): void {
    this.record('', 'note', null, text);
  }
}

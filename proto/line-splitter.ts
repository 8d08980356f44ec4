// CHAT/1.0 line splitter: bytes in any chunking in, lines out [CHAT-LINE-1]. A line ends at `\n`; a
// `\r` just before it is part of the terminator. Bounded: a line over maxLineBytes (not counting its
// terminator) is reported once and discarded up to the next `\n` [CHAT-LINE-4].

export const DEFAULT_MAX_LINE_BYTES = 4096;
const LF = 0x0a;
const CR = 0x0d;

export type SplitEvent =
  /**
   * A complete line without its terminator. Valid until the caller changes the chunk it pushed or
   * pushes again, whichever comes first: a view of that chunk where the line arrived whole in it.
   */
  | { kind: 'line'; line: Uint8Array }
  /** A line longer than the limit, discarded; `bytes` counts what came before its `\n`. */
  | { kind: 'too-long'; bytes: number };

export class LineSplitter {
  readonly maxLineBytes: number;
  private pieces: Uint8Array[] = [];
  private pending = 0;
  /** Set while discarding an over-long line; counts the bytes dropped so far. */
  private discarding = -1;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(this.maxLineBytes) || this.maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${this.maxLineBytes}`);
    }
  }

  /** Bytes held between pushes: never more than maxLineBytes + 1 (a possible `\r`). */
  get bufferedBytes(): number {
    return this.pending;
  }

  /**
   * Every event completed by `chunk`. Whatever the chunk's type (Buffer or Uint8Array), the splitter
   * keeps no reference to it once push returns (the part of a line it holds is its own copy), so the
   * caller may reuse its read buffer at once.
   */
  push(chunk: Uint8Array): SplitEvent[] {
    const events: SplitEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const stop = lf < 0 ? chunk.length : lf;
      if (this.discarding >= 0) {
        this.discarding += stop - start;
        if (lf >= 0) {
          events.push({ kind: 'too-long', bytes: this.discarding });
          this.discarding = -1;
        }
      } else if (lf < 0) {
        this.hold(chunk.subarray(start));
      } else {
        this.finishLine(chunk.subarray(start, lf), events);
      }
      start = stop + 1;
    }
    return events;
  }

  /**
   * The stream ended (the peer half-closed): bytes after the last `\n` are its last line, handled
   * like any other (an over-long one reported as such) [CHAT-LINE-1]. Nothing when they are none.
   * The splitter is empty afterwards.
   */
  end(): SplitEvent[] {
    const events: SplitEvent[] = [];
    if (this.discarding >= 0) {
      events.push({ kind: 'too-long', bytes: this.discarding });
      this.discarding = -1;
    } else if (this.pending > 0) {
      this.finishLine(new Uint8Array(0), events);
    }
    return events;
  }

  private hold(part: Uint8Array): void {
    // One byte of slack for a `\r` that may turn out to be the terminator's.
    if (this.pending + part.length > this.maxLineBytes + 1) {
      this.discarding = this.pending + part.length;
      this.pieces = [];
      this.pending = 0;
      return;
    }
    // A copy, not part.slice(): on a Buffer that is a view of the caller's memory.
    this.pieces.push(new Uint8Array(part));
    this.pending += part.length;
  }

  private finishLine(tail: Uint8Array, events: SplitEvent[]): void {
    let line = tail;
    if (this.pieces.length > 0) {
      line = new Uint8Array(this.pending + tail.length);
      let fill = 0;
      for (const p of this.pieces) { line.set(p, fill); fill += p.length; }
      line.set(tail, fill);
      this.pieces = [];
      this.pending = 0;
    }
    const bytes = line.length;
    if (bytes > 0 && line[bytes - 1] === CR) line = line.subarray(0, bytes - 1);
    if (line.length > this.maxLineBytes) events.push({ kind: 'too-long', bytes });
    else events.push({ kind: 'line', line });
  }
}

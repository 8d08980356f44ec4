// Typed protocol errors. Every error carries a stable `code` so callers (and other threads, where
// structured clone drops classes) compare codes, never `instanceof`.

export type ProtocolErrorCode =
  | 'FRAME_TOO_LARGE'      // a frame header announced a body over the limit [IM-FRAME-4]
  | 'UNKNOWN_MESSAGE_ID'   // an id outside the 24 of the IM protocol [IM-FRAME-6]
  | 'UNDECODABLE_BODY'     // a body that is not the protobuf message its id names [IM-FRAME-7]
  | 'LINE_TOO_LONG'        // a CHAT/1.0 line over the limit [CHAT-LINE-4]
  | 'INVALID_UTF8'         // a CHAT/1.0 line that is not UTF-8 [CHAT-LINE-5]
  | 'INVALID_MESSAGE'      // wrong protocol or version, or the wrong shape for its command [CHAT-LINE-2]
  | 'UNSUPPORTED_COMMAND'  // a command CHAT/1.0 does not define (case-sensitive) [CHAT-LINE-3]
  | 'INVALID_FIELD';       // a value that cannot be encoded (a name with a space, a bad id...)

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

/** A frame header the decoder refuses; the stream cannot be resynchronised after it. */
export class FrameHeaderError extends ProtocolError {
  /**
   * The complete frames the failing push decoded before the refused header: they were valid, and
   * the caller may still handle them before closing. Empty on every later push.
   */
  framesBefore: { id: number; body: Uint8Array }[] = [];
}

export class FrameTooLargeError extends FrameHeaderError {
  readonly announced: number;
  readonly limit: number;
  constructor(announced: number, limit: number) {
    super('FRAME_TOO_LARGE', `frame header announces a ${announced}-byte body, over the ${limit}-byte limit`);
    this.announced = announced;
    this.limit = limit;
  }
}

/** A header whose id the decoder was told not to accept (FrameDecoderOptions.acceptId) [IM-FRAME-6]. */
export class UnexpectedIdError extends FrameHeaderError {
  readonly id: number;
  constructor(id: number) {
    super('UNKNOWN_MESSAGE_ID', `frame header carries message id ${id}, which this peer does not accept`);
    this.id = id;
  }
}

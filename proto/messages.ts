// Protobuf bodies keyed by message id. Decoding a body is a step apart from framing: the frame
// codec never looks inside a body, and this module never sees a header.
import $protobuf from 'protobufjs/minimal.js';
import { im } from './generated/im.js';

const Writer = $protobuf.Writer;
type Writer = $protobuf.Writer;
import { ProtocolError } from './errors.js';
import { HEADER_BYTES, writeFrameHeader, type FrameLayout } from './frame-codec.js';
import { type MessageIdNumber, isMessageId, messageName } from './message-ids.js';

const CODECS = {
  1: im.LoginRequest,
  2: im.LoginResponse,
  3: im.RegisterRequest,
  4: im.RegisterResponse,
  5: im.GetFriendsRequest,
  6: im.GetFriendsResponse,
  7: im.UserOfflineRequest,
  8: im.UserOfflineNotice,
  9: im.ChangeStatusRequest,
  10: im.ChangeStatusNotice,
  11: im.UpdateUserInfoRequest,
  12: im.UpdateUserInfoResponse,
  13: im.FriendChatRequest,
  14: im.FriendChatNotice,
  15: im.GetUserListRequest,
  16: im.GetUserListResponse,
  17: im.AddFriendsRequest,
  18: im.AddFriendsResponse,
  19: im.HeartbeatRequest,
  20: im.HeartbeatResponse,
  21: im.UploadFileRequest,
  22: im.UploadFileResponse,
  23: im.GetFileListRequest,
  24: im.GetFileListResponse,
} as const satisfies Record<MessageIdNumber, unknown>;

type Codecs = typeof CODECS;
/** What decoding the body of id K yields: the generated class, with proto3 defaults for absent fields. */
export type DecodedMessage<K extends MessageIdNumber> = ReturnType<Codecs[K]['decode']>;
/** What encoding the body of id K takes: any subset of its fields. */
export type MessageFields<K extends MessageIdNumber> = Parameters<Codecs[K]['encode']>[0];

/** The protobuf body of message `id`. */
export function encodeMessage<K extends MessageIdNumber>(id: K, fields: MessageFields<K>): Uint8Array {
  const codec = CODECS[id] as { encode(m: unknown): { finish(): Uint8Array } };
  return codec.encode(fields).finish();
}

/**
 * Message `id` as one frame, header included, encoded in place: the body is written after 8 reserved
 * bytes and the header filled in, so a reply costs one buffer and no copy (what encodeFrame of
 * encodeMessage would give, byte for byte).
 */
export function encodeMessageFrame<K extends MessageIdNumber>(id: K, fields: MessageFields<K>, layout: FrameLayout = 'le'): Uint8Array {
  const codec = CODECS[id] as { encode(m: unknown, w: Writer): Writer };
  const frame = codec.encode(fields, Writer.create().fixed32(0).fixed32(0)).finish();
  writeFrameHeader(frame, 0, id, frame.length - HEADER_BYTES, layout);
  return frame;
}

/**
 * Decodes the body of message `id`. Throws ProtocolError UNKNOWN_MESSAGE_ID for an id the protocol
 * does not define, UNDECODABLE_BODY for bytes that no protobuf message can be (a truncated field,
 * wire type 6 or 7, field number 0, invalid UTF-8 in a string) [IM-FRAME-6, IM-FRAME-7]. A known
 * field on an unexpected but valid wire type is skipped, as protobuf decoders do.
 */
export function decodeMessage<K extends MessageIdNumber>(id: K, body: Uint8Array): DecodedMessage<K>;
export function decodeMessage(id: number, body: Uint8Array): unknown;
export function decodeMessage(id: number, body: Uint8Array): unknown {
  if (!isMessageId(id)) throw new ProtocolError('UNKNOWN_MESSAGE_ID', `message id ${id} is not one of the protocol's 24`);
  const codec = CODECS[id] as { decode(b: Uint8Array): unknown };
  try {
    return codec.decode(body);
  } catch (err) {
    throw new ProtocolError('UNDECODABLE_BODY', `body of ${messageName(id)} (${body.length} bytes) does not decode: ${(err as Error).message}`);
  }
}

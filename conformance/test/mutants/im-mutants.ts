// IM mutants of framing and replies [D-MUTANTS]: the reference server with one bug each, planted by a
// server option the checks are not told (another layout, a smaller body limit) or by the mutating
// proxy in front of it. Each breaks one requirement of docs/PROTOCOL.md sections 2-4 that the checks
// of its area must catch. IM_MUTANTS lists these, those of sessions, notices and chats
// (im-command-mutants.ts) and of stored data (im-data-mutants.ts), and the servers that crash
// (robustness-mutants.ts).
import { FrameDecoder, MessageId, encodeFrame, encodeMessage, type MessageIdNumber } from '../../../proto/index.js';
import { IM_COMMAND_MUTANTS } from './im-command-mutants.js';
import { IM_DATA_MUTANTS } from './im-data-mutants.js';
import { IM_ROBUSTNESS_MUTANTS } from './robustness-mutants.js';
import { MUTANT_MAX_BODY_BYTES, imMutant, type Mutant } from './mutant.js';
import { isClientRequestId, isPushId, tryDecode, type ImProxyConnection } from './mutating-proxy.js';

/** The framing checks, and the INFO check that reads the layout. */
const FRAMING = ['im.frame.', 'im.info.'];

const layoutBe = imMutant({
  name: 'im-layout-be',
  areas: FRAMING,
  bug: 'serves the be layout while the checks speak le [IM-FRAME-2]; the preflight names it (here the checks run anyway, to record what they give)',
  server: { layout: 'be' },
  direct: true,
});

const partialReadsIgnored = imMutant({
  name: 'im-partial-reads-ignored',
  areas: FRAMING,
  bug: 'decodes each TCP read alone and drops an incomplete frame at its end [IM-FRAME-3]',
  hooks: () => ({
    clientChunk(chunk) {
      const decoder = new FrameDecoder({ layout: 'le', maxBodyBytes: 0xffffffff });
      return Buffer.concat(decoder.push(chunk).map((f) => encodeFrame(f.id, f.body, 'le')));
    },
  }),
});

const oneFramePerRead = imMutant({
  name: 'im-one-frame-per-read',
  areas: FRAMING,
  bug: 'handles only the first frame completed by each TCP read and drops the others [IM-FRAME-3] [IM-FRAME-5]',
  hooks: () => {
    const decoders = new WeakMap<ImProxyConnection, FrameDecoder>();
    return {
      clientChunk(chunk, conn) {
        let decoder = decoders.get(conn);
        if (!decoder) decoders.set(conn, (decoder = new FrameDecoder({ layout: 'le', maxBodyBytes: 0xffffffff })));
        const first = decoder.push(chunk)[0];
        return first ? encodeFrame(first.id, first.body, 'le') : new Uint8Array(0);
      },
    };
  },
});

const noMaxBody = imMutant({
  name: 'im-no-max-body',
  areas: FRAMING,
  bug: 'has no body limit: a header over it is swallowed with everything after it, and the connection kept open, silent [IM-FRAME-4]',
  hooks: () => ({
    clientHeader: (header, _conn, standard) => (standard === 'raw' && header.length > MUTANT_MAX_BODY_BYTES ? 'swallow' : standard),
  }),
});

const maxBodyMinusOne = imMutant({
  name: 'im-max-body-minus-one',
  areas: FRAMING,
  bug: `refuses a body of exactly the limit: the server's limit is ${MUTANT_MAX_BODY_BYTES - 1} bytes while the checks are told ${MUTANT_MAX_BODY_BYTES} [IM-FRAME-4]`,
  server: { maxBodyBytes: MUTANT_MAX_BODY_BYTES - 1 },
  direct: true,
});

const nonRequestIgnored = imMutant({
  name: 'im-non-request-id-ignored',
  areas: FRAMING,
  bug: 'skips a frame whose id is not a client request and keeps reading, as zinx does, instead of closing [IM-FRAME-6]',
  hooks: () => ({
    clientHeader: (header, _conn, standard) => (!isClientRequestId(header.id) && header.length <= MUTANT_MAX_BODY_BYTES ? 'skip' : standard),
  }),
});

const undecodableIgnored = imMutant({
  name: 'im-undecodable-ignored',
  areas: FRAMING,
  bug: 'ignores a body that does not decode: no reply at all, instead of the refusal of that request [IM-FRAME-7] [IM-REPLY-1]',
  hooks: () => ({ clientFrame: (frame) => (tryDecode(frame) === null ? 'drop' : 'forward') }),
});

/** A body no protobuf decoder reads: field 1 with wire type 7. */
const UNDECODABLE = Uint8Array.from([0x0f, 0xff, 0xff]);

const unknownFieldsRefused = imMutant({
  name: 'im-unknown-fields-refused',
  areas: FRAMING,
  bug: 'refuses a body carrying a field its schema does not define as undecodable, instead of skipping the field [IM-FRAME-7]',
  hooks: () => ({
    clientFrame(frame) {
      const fields = tryDecode(frame);
      // Whatever the decoder skipped is missing from the body encoded again.
      if (fields === null || encodeMessage(frame.id as MessageIdNumber, fields as never).length >= frame.body.length) return 'forward';
      return [{ id: frame.id, body: UNDECODABLE }];
    },
  }),
});

const zeroLengthDropped = imMutant({
  name: 'im-zero-length-dropped',
  areas: FRAMING,
  bug: 'drops frames with an empty body (the message with every field at its default) [IM-FRAME-1]',
  hooks: () => ({ clientFrame: (frame) => (frame.body.length === 0 ? 'drop' : 'forward') }),
});

/** The replies 4-24 in order, without the pushes. */
const REPLY_IDS = [4, 6, 12, 16, 18, 20, 22, 24];

const replyIdOffByOne = imMutant({
  name: 'im-reply-id-off-by-one',
  areas: ['im.reply.'],
  bug: 'answers requests 3-23 with the id of the next reply in its table (4 as 6, ..., 24 as 4); the LoginResponse is right [IM-REPLY-1]',
  hooks: () => ({
    serverFrame(frame, _conn, request) {
      const at = REPLY_IDS.indexOf(frame.id);
      if (request === null || at < 0) return 'forward';
      return [{ id: REPLY_IDS[(at + 1) % REPLY_IDS.length]!, body: frame.body }];
    },
  }),
});

const replyTwice = imMutant({
  name: 'im-reply-twice',
  areas: ['im.reply.'],
  bug: 'sends every reply twice [IM-REPLY-1]',
  hooks: () => ({ serverFrame: (frame, _conn, request) => (request === null || isPushId(frame.id) ? 'forward' : [frame, frame]) }),
});

const noHeartbeatReply = imMutant({
  name: 'im-no-heartbeat-reply',
  areas: ['im.reply.heartbeat'],
  bug: 'never answers a HeartbeatRequest (no 20), as the original [IM-HEARTBEAT-1] [IM-REPLY-1]',
  hooks: () => ({ serverFrame: (frame) => (frame.id === MessageId.HeartbeatResponse ? 'drop' : 'forward') }),
});

const noUserInfoReply = imMutant({
  name: 'im-no-userinfo-reply',
  areas: ['im.reply.update-user-info', 'im.auth.before-login', 'im.userinfo.visible'],
  bug: 'never answers an UpdateUserInfoRequest (no 12), as the original [IM-INFO-1] [IM-REPLY-1]',
  hooks: () => ({ serverFrame: (frame) => (frame.id === MessageId.UpdateUserInfoResponse ? 'drop' : 'forward') }),
});

export const IM_MUTANTS: readonly Mutant[] = [
  layoutBe, partialReadsIgnored, oneFramePerRead, noMaxBody, maxBodyMinusOne, nonRequestIgnored, undecodableIgnored,
  unknownFieldsRefused, zeroLengthDropped, replyIdOffByOne, replyTwice, noHeartbeatReply, noUserInfoReply,
  ...IM_COMMAND_MUTANTS, ...IM_DATA_MUTANTS, ...IM_ROBUSTNESS_MUTANTS,
];

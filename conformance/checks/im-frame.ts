// IM framing [IM-FRAME-1..6]: frames split at any byte and coalesced, bodies of every size from 0 to
// the limit, one byte over it, a length of 0xFFFFFFFF, and ids that are not requests. The requests
// used are those every server answers, the original included: a LoginRequest of a user that does not
// exist (2, UserNotExists) [D-CONFORM], and a HeartbeatRequest (20) unless `--unanswered heartbeat`.
import fc from 'fast-check';
import { MessageId, ResultCode, UserStatus, encodeMessageFrame, writeFrameHeader, HEADER_BYTES, type FrameLayout } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import type { ImPeer } from '../harness/im-peer.js';
import { CheckSkipped, expectThat } from '../harness/verdicts.js';
import { resultText } from './im-accounts.js';

/** A request every server answers, and the reply it must get. */
interface Probe {
  frame: Uint8Array;
  text: string;
  replyId: number;
}

/** A LoginRequest of a user nobody registered, padded to about `padding` more bytes through its password. */
function unknownLogin(ctx: CheckContext, layout: FrameLayout, padding: number): Probe {
  const user = ctx.name('nobody');
  const frame = encodeMessageFrame(MessageId.LoginRequest, { UserID: user, Password: 'x'.repeat(padding), Status: UserStatus.Online }, layout);
  return { frame, text: `LoginRequest of unknown user ${user} (${frame.length - HEADER_BYTES}-byte body)`, replyId: MessageId.LoginResponse };
}

/** Awaits each probe's reply in order: a LoginResponse refusing the unknown user. */
async function expectReplies(peer: ImPeer, probes: readonly Probe[]): Promise<void> {
  for (const [i, p] of probes.entries()) {
    const reply = await peer.expect(MessageId.LoginResponse, { what: `reply ${i + 1} of ${probes.length}: id 2 (LoginResponse) to the ${p.text}` });
    expectThat(reply.Result?.Code === ResultCode.UserNotExists, `LoginResponse UserNotExists (4) for a user that does not exist [IM-LOGIN-2]`, () => resultText(reply.Result));
  }
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => Buffer.concat(parts);

/** A header alone, announcing `length` bytes for message `id`. */
function header(id: number, length: number, layout: FrameLayout): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  writeFrameHeader(out, 0, id, length, layout);
  return out;
}

/** A LoginRequest of an unknown user whose body is exactly `bodyBytes` long (the password makes it up). */
function loginOfSize(ctx: CheckContext, layout: FrameLayout, bodyBytes: number): Probe {
  let padding = Math.max(0, bodyBytes - 100);
  for (;;) {
    const probe = unknownLogin(ctx, layout, padding);
    const diff = bodyBytes - (probe.frame.length - HEADER_BYTES);
    if (diff === 0) return probe;
    padding = Math.max(0, padding + diff);
  }
}

const layoutOf = (ctx: CheckContext): FrameLayout => ctx.profile.layout;

const splitAnywhere: CheckDefinition = {
  id: 'im.frame.split-anywhere',
  level: 'MUST',
  requirements: ['IM-FRAME-3', 'IM-FRAME-5'],
  requirement: 'A receiver MUST decode the same frames whatever the TCP segmentation: a frame split across any number of reads, down to one byte each.',
  description: 'frames of random sizes, cut at random bytes (inside headers, across frame boundaries) over several writes, are all answered, in order',
  async run(ctx) {
    const example = fc.record({
      paddings: fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5000 })), { minLength: 1, maxLength: 5 }),
      // Cuts anywhere, and cuts inside some frame's header (bytes 1-7), which random offsets rarely hit.
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
      inHeader: fc.array(fc.record({ frame: fc.nat(), at: fc.integer({ min: 1, max: HEADER_BYTES - 1 }) }), { maxLength: 4 }),
    });
    await ctx.property(example, async (ex, { paddings, cuts, inHeader }) => {
      const peer = await ex.im();
      const probes = paddings.map((p) => unknownLogin(ex, layoutOf(ex), p));
      const bytes = concat(probes.map((p) => p.frame));
      const starts = probes.map((_, i) => probes.slice(0, i).reduce((n, p) => n + p.frame.length, 0));
      const positions = [
        ...cuts.map((c) => Math.floor(c * bytes.length)),
        ...inHeader.map((h) => starts[h.frame % starts.length]! + h.at),
      ];
      const sorted = [...new Set(positions)].sort((a, b) => a - b);
      await peer.writePieces(bytes, sorted, `${probes.length} LoginRequests of unknown users (${bytes.length} bytes), cut at ${sorted.join(', ') || 'nowhere'}`);
      await expectReplies(peer, probes);
    });
  },
};

const coalesced: CheckDefinition = {
  id: 'im.frame.coalesced',
  level: 'MUST',
  requirements: ['IM-FRAME-3', 'IM-FRAME-5'],
  requirement: 'A receiver MUST decode the same frames whatever the TCP segmentation: any number of frames in one read; replies leave in request order.',
  description: '40 LoginRequests of unknown users in one write get 40 LoginResponses, in order',
  async run(ctx) {
    const peer = await ctx.im();
    const probes = Array.from({ length: 40 }, () => unknownLogin(ctx, layoutOf(ctx), 0));
    peer.write(concat(probes.map((p) => p.frame)), `${probes.length} LoginRequests of unknown users in one write`);
    await expectReplies(peer, probes);
  },
};

const zeroLength: CheckDefinition = {
  id: 'im.frame.zero-length-body',
  level: 'MUST',
  requirements: ['IM-FRAME-1', 'IM-REPLY-1'],
  requirement: 'A length of 0 is legal: it is the message with every field at its default.',
  description: 'a LoginRequest with an empty body (no UserID) gets a LoginResponse refusing it, and the connection stays usable',
  allows: 'any failure code (UserNotExists or Failure)',
  async run(ctx) {
    const peer = await ctx.im();
    peer.write(header(MessageId.LoginRequest, 0, layoutOf(ctx)), 'LoginRequest with a 0-byte body');
    const reply = await peer.expect(MessageId.LoginResponse);
    expectThat(reply.Result?.Code !== ResultCode.Success, 'a LoginResponse refusing a login with no UserID', () => resultText(reply.Result));
    await peer.barrier();
  },
};

/** Frames above this are not sent: the check would move hundreds of MiB. */
const LARGEST_CHECKED_BODY = 64 * 1024 * 1024;

const exactlyMax: CheckDefinition = {
  id: 'im.frame.max-body',
  level: 'MUST',
  requirements: ['IM-FRAME-4'],
  requirement: 'A body of exactly the limit MUST be accepted.',
  description: 'a LoginRequest whose body is exactly --max-body bytes is answered (UserNotExists), and the connection stays usable',
  budgetMs: 60_000,
  async run(ctx) {
    const max = ctx.profile.maxBodyBytes;
    if (max > LARGEST_CHECKED_BODY) throw new CheckSkipped(`--max-body ${max} is over the ${LARGEST_CHECKED_BODY} bytes this check sends`);
    const peer = await ctx.im();
    const probe = loginOfSize(ctx, layoutOf(ctx), max);
    peer.write(probe.frame, probe.text);
    const wait = { timeoutMs: Math.max(ctx.profile.timeoutMs, 10_000) };
    const reply = await peer.expect(MessageId.LoginResponse, { ...wait, what: `id 2 (LoginResponse) to a LoginRequest of exactly ${max} bytes` });
    expectThat(reply.Result?.Code === ResultCode.UserNotExists, 'LoginResponse UserNotExists (4) for a user that does not exist [IM-LOGIN-2]', () => resultText(reply.Result));
    await peer.barrier(wait);
  },
};

/** Requests before a refused header are answered, then the connection closes [IM-FRAME-4] [IM-FRAME-6]. */
async function answeredThenClosed(ctx: CheckContext, bad: Uint8Array, badText: string, closedWhat: string): Promise<void> {
  const peer = await ctx.im();
  const before = unknownLogin(ctx, layoutOf(ctx), 0);
  peer.write(concat([before.frame, bad]), `${before.text}, then ${badText}, in one write`);
  await expectReplies(peer, [before]);
  await peer.closedWithin(closedWhat);
}

const overMax: CheckDefinition = {
  id: 'im.frame.over-max-body',
  level: 'MUST',
  requirements: ['IM-FRAME-4'],
  requirement: 'A header announcing more than the limit MUST close the connection as soon as the header is complete, before any of the body is buffered; frames before it are still handled.',
  description: 'a LoginRequest, then a header announcing --max-body + 1 bytes and no body: the first is answered, then the connection is closed',
  allows: 'a close with FIN or a reset',
  malformed: true,
  async run(ctx) {
    const length = ctx.profile.maxBodyBytes + 1;
    if (length > 0xffffffff) throw new CheckSkipped(`--max-body ${ctx.profile.maxBodyBytes}: no u32 length is over it`);
    await answeredThenClosed(ctx, header(MessageId.LoginRequest, length, layoutOf(ctx)), `a header announcing ${length} bytes (no body)`, `the connection closed at a header announcing ${length} bytes (over --max-body ${ctx.profile.maxBodyBytes})`);
  },
};

const hugeLength: CheckDefinition = {
  id: 'im.frame.length-u32-max',
  level: 'MUST',
  requirements: ['IM-FRAME-4'],
  requirement: 'A header announcing more than the limit MUST close the connection before any of the body is buffered or allocated.',
  description: 'a header announcing 0xFFFFFFFF bytes: the connection is closed, and no 4 GiB is waited for',
  allows: 'a close with FIN or a reset',
  malformed: true,
  async run(ctx) {
    await answeredThenClosed(ctx, header(MessageId.LoginRequest, 0xffffffff, layoutOf(ctx)), 'a header announcing 0xFFFFFFFF bytes', 'the connection closed at a header announcing 4,294,967,295 bytes');
  },
};

/** Ids that are not client requests [IM-FRAME-6]: 0, even ids (replies), 25, and a large one. */
const NON_REQUEST_IDS = [0, 2, 24, 25, 0x7fffffff] as const;

const nonRequestId: CheckDefinition = {
  id: 'im.frame.non-request-id',
  level: 'MUST',
  requirements: ['IM-FRAME-6'],
  requirement: 'A frame whose id is not a client request (0, 25 and up, the even ids 2-24) MUST close the connection; the requests before it are still answered.',
  description: `for each of the ids ${NON_REQUEST_IDS.join(', ')}: a LoginRequest, then a frame of that id: the first is answered, then the connection is closed`,
  allows: 'a close with FIN or a reset',
  malformed: true,
  async run(ctx) {
    for (const id of NON_REQUEST_IDS) {
      await answeredThenClosed(ctx, header(id, 0, layoutOf(ctx)), `a frame of id ${id} with an empty body`, `the connection closed after a frame of id ${id}, which is not a client request`);
    }
  },
};

const undecodable: CheckDefinition = {
  id: 'im.frame.undecodable-body',
  level: 'MUST',
  requirements: ['IM-FRAME-7', 'IM-REPLY-1', 'IM-REPLY-3'],
  requirement: 'A body that does not decode gets the refusal of that request: the paired reply with Result Code 0 and a Msg; the connection stays open.',
  description: 'a LoginRequest whose body is not protobuf (wire type 7) gets 2 with Code 0 and a Msg, and the connection stays usable',
  malformed: true,
  async run(ctx) {
    const peer = await ctx.im();
    const body = Uint8Array.from([0x0f, 0xff, 0xff]);
    const frame = new Uint8Array(HEADER_BYTES + body.length);
    writeFrameHeader(frame, 0, MessageId.LoginRequest, body.length, layoutOf(ctx));
    frame.set(body, HEADER_BYTES);
    peer.write(frame, 'LoginRequest with the body 0fffff (field 1, wire type 7: not protobuf)');
    const reply = await peer.expect(MessageId.LoginResponse, { what: 'id 2 (LoginResponse) refusing an undecodable body' });
    expectThat(reply.Result?.Code === ResultCode.Failure && (reply.Result?.Msg ?? '') !== '', 'LoginResponse with Code 0 (Failure) and a non-empty Msg [IM-REPLY-3]', () => resultText(reply.Result));
    await peer.barrier();
  },
};

const unknownFields: CheckDefinition = {
  id: 'im.frame.unknown-fields-skipped',
  level: 'MUST',
  requirements: ['IM-FRAME-7', 'IM-MSG-1'],
  requirement: 'Fields the schema does not define are skipped, as proto3 requires; they do not make a body undecodable.',
  description: 'a LoginRequest of an unknown user with an extra field 15 is read as usual: UserNotExists',
  async run(ctx) {
    const peer = await ctx.im();
    const probe = unknownLogin(ctx, layoutOf(ctx), 0);
    const extra = Uint8Array.from([0x7a, 0x03, 0x61, 0x62, 0x63]); // field 15, LEN 3, "abc"
    const body = concat([probe.frame.subarray(HEADER_BYTES), extra]);
    const frame = concat([header(MessageId.LoginRequest, body.length, layoutOf(ctx)), body]);
    peer.write(frame, `${probe.text}, plus field 15 "abc", which LoginRequest does not define`);
    await expectReplies(peer, [probe]);
  },
};

const roundTrip: CheckDefinition = {
  id: 'im.info.round-trip',
  level: 'INFO',
  requirements: ['IM-FRAME-2', 'IM-FRAME-8'],
  requirement: 'There are two header layouts and no negotiation; a tool targeting any server lets its user choose.',
  description: 'the frame layout in use and the round-trip time of 20 LoginRequests, one at a time',
  async run(ctx) {
    const peer = await ctx.im();
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const probe = unknownLogin(ctx, layoutOf(ctx), 0);
      const start = performance.now();
      peer.write(probe.frame, probe.text);
      await expectReplies(peer, [probe]);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    ctx.fact(`layout ${layoutOf(ctx)}; round trip p50 ${times[10]!.toFixed(2)} ms, max ${times[19]!.toFixed(2)} ms over 20`);
  },
};

/** How long a header alone is left to be refused before the server is taken to wait for its body. */
const WAITS_AFTER_MS = 150;

/** Does the target close at once on a header announcing `length` bytes (true), or wait for the body? */
async function refusesAtOnce(ctx: CheckContext, length: number): Promise<boolean> {
  const peer = await ctx.im(`size${length}`);
  peer.write(header(MessageId.LoginRequest, length, layoutOf(ctx)), `a LoginRequest header announcing ${length} bytes, and no body`);
  try {
    await peer.closedWithin('a close', { timeoutMs: WAITS_AFTER_MS });
    return true;
  } catch {
    return false;
  } finally {
    peer.close();
  }
}

const bodyLimitFound: CheckDefinition = {
  id: 'im.info.body-limit',
  level: 'INFO',
  requirements: ['IM-FRAME-4', 'IM-FRAME-8'],
  requirement: 'A receiver has a body limit; a header announcing more than the limit MUST close the connection as soon as the header is complete.',
  description: 'the largest body length the target waits for, found by a binary search of headers alone (each sent without its body)',
  async run(ctx) {
    // The largest length it waits for is in [low, high): low waits (or is 0), high is refused.
    let low = 0;
    let high = 0x100000000;
    if (!(await refusesAtOnce(ctx, 0xffffffff))) {
      ctx.fact(`it waits for a body after a header announcing 4,294,967,295 bytes: no body limit is seen on the wire (--max-body ${ctx.profile.maxBodyBytes} was given)`);
      return;
    }
    high = 0xffffffff;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await refusesAtOnce(ctx, mid)) high = mid;
      else low = mid;
    }
    const said = low === ctx.profile.maxBodyBytes ? 'as --max-body says' : `--max-body says ${ctx.profile.maxBodyBytes}`;
    ctx.fact(`largest body length it waits for: ${low} bytes; it closes at once on ${high} (${said})`);
  },
};

export const IM_FRAME_CHECKS: readonly CheckDefinition[] = [
  roundTrip, bodyLimitFound, splitAnywhere, coalesced, zeroLength, exactlyMax, unknownFields, undecodable, overMax, hugeLength, nonRequestId,
];

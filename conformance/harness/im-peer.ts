// An IM connection of a check: typed requests out, frames in, every frame in the transcript as
// protobuf JSON. The server may only send the even ids 2-24 [IM-MSG-2]; anything else ends the
// connection's reading and fails whatever the check waits for next.
import { randomBytes } from 'node:crypto';
import {
  FrameDecoder, MessageId, UserStatus, decodeMessage, encodeMessageFrame, messageName,
  type DecodedMessage, type FrameLayout, type MessageFields, type MessageIdNumber,
} from '../../proto/index.js';
import { Peer, type WaitOptions } from './peer.js';
import { CheckFailed } from './verdicts.js';
import type { Socket } from 'node:net';
import type { Transcript } from './transcript.js';

export interface ImFrame {
  id: number;
  body: Uint8Array;
}

export interface ImPeerOptions {
  layout: FrameLayout;
  /** The target's body limit: replies up to twice it (plus room) are read, as [IM-FRAME-4] advises. */
  maxBodyBytes: number;
}

/** A frame body as JSON, or why it does not decode. */
export function describeFrame(id: number, body: Uint8Array): string {
  try {
    const message = decodeMessage(id, body) as { toJSON(): unknown };
    return `${id} ${messageName(id)} ${JSON.stringify(message.toJSON())}`;
  } catch (err) {
    return `${id} ${messageName(id)} (${body.length} bytes that do not decode: ${(err as Error).message})`;
  }
}

export class ImPeer extends Peer<ImFrame> {
  private readonly decoder: FrameDecoder;

  constructor(name: string, socket: Socket, transcript: Transcript, timeoutMs: number, readonly options: ImPeerOptions) {
    super(name, socket, transcript, timeoutMs);
    this.decoder = new FrameDecoder({
      layout: options.layout,
      maxBodyBytes: options.maxBodyBytes * 2 + 64 * 1024,
      acceptId: (id) => id >= 2 && id <= 24 && id % 2 === 0,
    });
  }

  protected decode(chunk: Buffer): ImFrame[] {
    // Bodies are views of the chunk: copied, since the inbox keeps them.
    return this.decoder.push(chunk).map((f) => ({ id: f.id, body: Uint8Array.prototype.slice.call(f.body) }));
  }

  describe(frame: ImFrame): string {
    return describeFrame(frame.id, frame.body);
  }

  protected summary(frames: readonly ImFrame[]): string {
    return `ids ${frames.map((f) => f.id).join(', ')}`;
  }

  send<K extends MessageIdNumber>(id: K, fields: MessageFields<K>): void {
    const frame = encodeMessageFrame(id, fields, this.options.layout);
    this.write(frame, describeFrame(id, frame.subarray(8)));
  }

  /** The next frame of `id`, decoded; FAIL when its body does not decode, TIMEOUT when none comes. */
  async expect<K extends MessageIdNumber>(id: K, options: WaitOptions & { what?: string } = {}): Promise<DecodedMessage<K>> {
    const what = options.what ?? `id ${id} (${messageName(id)})`;
    const frame = await this.take((f) => f.id === id, what, options);
    try {
      return decodeMessage(id, frame.body);
    } catch (err) {
      throw new CheckFailed(`${what} with a body that decodes [IM-MSG-1]`, (err as Error).message);
    }
  }

  /**
   * A round trip the server must answer after everything this connection sent before it: a
   * LoginRequest of a user that does not exist, answered 2 by every server, the original included
   * ([D-CONFORM]; on a logged-in connection the answer is RepeatLogin, still a 2). Frames the server
   * sent because of earlier requests of this connection are in the inbox once it returns [IM-FRAME-5].
   */
  async barrier(options: WaitOptions = {}): Promise<void> {
    this.send(MessageId.LoginRequest, { UserID: `tb-barrier-${randomBytes(6).toString('hex')}`, Password: 'barrier', Status: UserStatus.Online });
    await this.expect(MessageId.LoginResponse, { ...options, what: 'id 2 (LoginResponse) to the barrier request (a LoginRequest of an unknown user)' });
  }

  /** The frames of these ids received and not taken. */
  pending(...ids: number[]): ImFrame[] {
    return this.inbox.filter((f) => ids.includes(f.id));
  }
}

// One generator-side IM connection: a frame decoder and a callback per frame. No protobuf here:
// scenarios decode only the bodies they need, synchronously (the body is a view of the read buffer).
import { FrameDecoder, type FrameLayout } from '../../proto/index.js';
import { Link, openSocket, type ConnectOptions, type OpenedSocket } from './link.js';

export interface LinkOptions extends ConnectOptions {
  layout: FrameLayout;
  maxBodyBytes: number;
}

export class ImLink extends Link {
  /** A frame from the server; `body` is valid only until this returns. */
  onFrame: (id: number, body: Uint8Array) => void = () => undefined;
  /** After the frames of one read have been handled. */
  onFramesDone: () => void = () => undefined;
  private readonly decoder: FrameDecoder;

  private constructor(opened: OpenedSocket, options: LinkOptions) {
    super(opened);
    this.decoder = new FrameDecoder({ layout: options.layout, maxBodyBytes: options.maxBodyBytes });
  }

  static async open(options: LinkOptions): Promise<ImLink> {
    return new ImLink(await openSocket(options), options);
  }

  protected receive(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(`bad frame from the server: ${(err as Error).message}`);
      return;
    }
    for (let i = 0; i < frames.length; i++) this.onFrame(frames[i]!.id, frames[i]!.body);
    this.onFramesDone();
  }
}

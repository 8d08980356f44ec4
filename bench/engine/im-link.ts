// One generator-side IM connection: a frame decoder and a callback per frame. No protobuf here:
// scenarios decode only the bodies they need.
import { FrameDecoder, type FrameLayout } from '../../proto/index.js';
import { Link, openSocket, type ConnectOptions, type OpenedSocket } from './link.js';

export interface LinkOptions extends ConnectOptions {
  layout: FrameLayout;
  maxBodyBytes: number;
}

export class ImLink extends Link {
  onFrame: (id: number, body: Uint8Array) => void = () => undefined;
  /** After the frames of one read have been handled. */
  onFramesDone: () => void = () => undefined;
  private readonly decoder: FrameDecoder;

  private constructor(opened: OpenedSocket, options: LinkOptions) {
    super(opened.socket);
    this.decoder = new FrameDecoder({ layout: options.layout, maxBodyBytes: options.maxBodyBytes });
    opened.onBytes = (chunk) => {
      let frames;
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        this.fail(`bad frame from the server: ${(err as Error).message}`);
        return;
      }
      for (let i = 0; i < frames.length; i++) this.onFrame(frames[i]!.id, frames[i]!.body);
      this.onFramesDone();
    };
  }

  static async open(options: LinkOptions): Promise<ImLink> {
    return new ImLink(await openSocket(options), options);
  }
}

// The part of the server's options the IM side reads.
import type { FrameLayout } from '../../proto/index.js';

export interface ImConfig {
  layout: FrameLayout;
  maxBodyBytes: number;
  maxOutboundBytes: number;
  idleTimeoutMs: number;
  scryptCost: number;
  maxUserList: number;
  /** Base of download URLs, without a trailing slash. */
  publicUrl: string;
}

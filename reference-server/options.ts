// Everything `talkbench serve` can be told, with the defaults the README documents.
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES, type FrameLayout } from '../proto/index.js';
import type { LogLevel } from './log.js';

export interface ServerOptions {
  host: string;
  /** 0 picks a free port; null disables the listener. */
  imPort: number | null;
  chatPort: number | null;
  httpPort: number | null;
  /** Directory of the SQLite database and uploaded files; ignored with `memory`. */
  dataDir: string;
  memory: boolean;
  logLevel: LogLevel;
  layout: FrameLayout;
  maxBodyBytes: number;
  maxLineBytes: number;
  /** An IM connection silent this long is closed; so is a CHAT/1.0 connection that has not logged in. */
  idleTimeoutMs: number;
  /** scrypt cost parameter N (a power of two) for new password hashes [D-HASH]. */
  scryptCost: number;
  /** A connection whose unsent replies exceed this is closed: its peer is not reading. */
  maxOutboundBytes: number;
  /** At most this many users in a GetUserListResponse. */
  maxUserList: number;
  /** Base of download URLs; defaults to http://HOST:HTTP_PORT. */
  publicUrl: string | null;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  imPort: 8999,
  chatPort: 3333,
  httpPort: 8080,
  dataDir: './data',
  memory: false,
  logLevel: 'info',
  layout: 'le',
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  idleTimeoutMs: 30_000,
  scryptCost: 16384,
  maxOutboundBytes: 8 * 1024 * 1024,
  maxUserList: 1000,
  publicUrl: null,
};

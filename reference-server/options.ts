// Everything `talkbench serve` can be told, with the defaults the README documents, and the one
// table of its flags (SERVE_OPTIONS), from which cli/serve-command.ts declares them and which reports
// every bad flag at once (exit 2) [D-EXIT].
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES, FRAME_LAYOUTS, type FrameLayout } from '../proto/index.js';
import { BadValue, ConfigError, option, resolveOptions } from '../util/option-table.js';
import { bytes, checked, choice, count, duration, httpUrl, port, text, toggle } from '../util/option-kinds.js';
import { LOG_LEVELS, type LogLevel } from './log.js';

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

const DEFAULT_PORTS = { im: 8999, chat: 3333, http: 8080 };

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  imPort: DEFAULT_PORTS.im,
  chatPort: DEFAULT_PORTS.chat,
  httpPort: DEFAULT_PORTS.http,
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

/** A power of two from 2 to 2^20, the range scrypt takes [D-HASH]. */
const scryptCost = checked(count(2, '<N>'), (n) => {
  if (n > 2 ** 20 || (n & (n - 1)) !== 0) throw new BadValue('give a power of two from 2 to 1048576 (1024, 16384)');
  return n;
});

/**
 * Every flag of `talkbench serve`, in the order help lists it, with the defaults above. Keys are
 * commander's names for the flags; the server has no scenario file, so no entry has a file field.
 */
export const SERVE_OPTIONS = {
  host: option({ flag: '--host', file: null, kind: text('<address>'), default: DEFAULT_SERVER_OPTIONS.host, doc: 'address to listen on' }),
  imPort: option({ flag: '--im-port', file: null, kind: port(), default: DEFAULT_PORTS.im, doc: 'IM protocol port (0: any free port)' }),
  chatPort: option({ flag: '--chat-port', file: null, kind: port(), default: DEFAULT_PORTS.chat, doc: 'CHAT/1.0 port (0: any free port)' }),
  httpPort: option({ flag: '--http-port', file: null, kind: port(), default: DEFAULT_PORTS.http, doc: 'HTTP file download port (0: any free port)' }),
  data: option({ flag: '--data', file: null, kind: text('<dir>'), default: DEFAULT_SERVER_OPTIONS.dataDir, doc: 'directory for the SQLite database and uploaded files' }),
  memory: option({ flag: '--memory', file: null, kind: toggle(), default: DEFAULT_SERVER_OPTIONS.memory, doc: 'keep everything in memory, nothing on disk' }),
  logLevel: option({ flag: '--log-level', file: null, kind: choice(LOG_LEVELS), default: DEFAULT_SERVER_OPTIONS.logLevel, doc: 'log verbosity; logs go to stderr' }),
  layout: option({ flag: '--layout', file: null, kind: choice(FRAME_LAYOUTS), default: DEFAULT_SERVER_OPTIONS.layout, doc: 'IM frame layout: le = u32 LE length then id; be = u32 BE id then length' }),
  maxBody: option({ flag: '--max-body', file: null, kind: bytes(), default: DEFAULT_SERVER_OPTIONS.maxBodyBytes, doc: 'largest IM frame body accepted (4096, 64KiB, 16MiB...)' }),
  maxLine: option({ flag: '--max-line', file: null, kind: bytes(), default: DEFAULT_SERVER_OPTIONS.maxLineBytes, doc: 'longest CHAT/1.0 line accepted' }),
  idleTimeout: option({ flag: '--idle-timeout', file: null, kind: duration({ positive: true }), default: DEFAULT_SERVER_OPTIONS.idleTimeoutMs, doc: 'close IM connections silent this long, and CHAT/1.0 ones not logged in' }),
  scryptCost: option({ flag: '--scrypt-cost', file: null, kind: scryptCost, default: DEFAULT_SERVER_OPTIONS.scryptCost, doc: 'scrypt cost of new password hashes (a power of two)' }),
  maxOutbound: option({ flag: '--max-outbound', file: null, kind: bytes(), default: DEFAULT_SERVER_OPTIONS.maxOutboundBytes, doc: 'disconnect a client with more than this queued to it (it is not reading)' }),
  maxUserList: option({ flag: '--max-user-list', file: null, kind: count(), default: DEFAULT_SERVER_OPTIONS.maxUserList, doc: 'most users in one GetUserListResponse' }),
  publicUrl: option({ flag: '--public-url', file: null, kind: httpUrl('http://files.example:8080'), default: undefined, defaultText: 'http://HOST:HTTP_PORT', doc: 'base of download URLs handed to clients' }),
};

/** The server's options from the words given on the command line; every mistake at once, as a ConfigError. */
export function resolveServeOptions(given: Readonly<Record<string, unknown>>): ServerOptions {
  const { values: v, issues } = resolveOptions(SERVE_OPTIONS, given, null);
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    host: v.host,
    imPort: v.imPort,
    chatPort: v.chatPort,
    httpPort: v.httpPort,
    dataDir: v.data,
    memory: v.memory,
    logLevel: v.logLevel,
    layout: v.layout,
    maxBodyBytes: v.maxBody,
    maxLineBytes: v.maxLine,
    idleTimeoutMs: v.idleTimeout,
    scryptCost: v.scryptCost,
    maxOutboundBytes: v.maxOutbound,
    maxUserList: v.maxUserList,
    publicUrl: v.publicUrl ?? null,
  };
}

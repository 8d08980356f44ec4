// An in-process CHAT/1.0 server that behaves as docs/ORIGINALS.md says the ORIGINAL Go server does
// (the section "The original CHAT/1.0 server under load" and "CHAT/1.0"), so the load generator's tests
// meet its group semantics without the original. Comments quoted "like this" are docs/ORIGINALS.md lines;
// those marked [PROTOCOL.md ...] follow the "Why" notes of talkbench's protocol document, which say
// what the original does where docs/ORIGINALS.md is silent.
//
// Not emulated: the crashes and stalls that come from the original's missing locks ("concurrent
// senders crash the process", "a write fail (`short write`); after that the receiver never gets
// anything again"): this server is single-threaded and cannot race. Only the logout-phase crash is
// offered, on request (dieInLogoutPhase).
import { createServer, type Server, type Socket } from 'node:net';
import {
  CHAT_PROTOCOL, LineSplitter, formatChatLine, isChatParseError, parseChatLine,
  type ChatCommand, type ChatParseErrorCode,
} from '../../proto/index.js';
import { listenOnLoopback } from './listen.js';

export interface OriginalChatServerOptions {
  /** "Its reader buffers 4096 bytes per line." Default 4096. */
  maxLineBytes?: number;
  /**
   * What happens to a line longer than maxLineBytes. 'fragment' (default): cut into maxLineBytes
   * pieces, each handled as a line of its own [PROTOCOL.md CHAT-LINE-6 Why: the original "cuts lines
   * over its 4096-byte buffer into fragments parsed as separate lines"]; 'discard': dropped whole
   * (the proto core's LineSplitter behaviour), counted as LINE_TOO_LONG.
   */
  longLines?: 'fragment' | 'discard';
  /**
   * Commands before LOGIN act under the empty name, as in the original [PROTOCOL.md CHAT-LOGIN-2 Why]:
   * an early SEND reaches its target as `CHAT/1.0 RECEIVE  data` (two spaces). Default true; false
   * discards them.
   */
  preLoginAsEmptyName?: boolean;
  /** At the first LOGOUT the server crashes: every socket destroyed, the listener closed. Default false. */
  dieInLogoutPhase?: boolean;
}

export type ChatBadLineKind = ChatParseErrorCode | 'LINE_TOO_LONG' | 'RECEIVE_FROM_CLIENT';

export interface OriginalChatStats {
  connectionsAccepted: number;
  connectionsOpen: number;
  /** Lines received (fragments of long lines count one each). */
  lines: number;
  /** Well-formed commands handled, by command. */
  commands: Record<string, number>;
  /** Bad lines, logged and ignored, the connection kept ("it logs them, replies nothing and keeps reading"). */
  badLines: Record<ChatBadLineKind, number>;
  /** RECEIVE lines written. */
  delivered: number;
  /** SENDs to a name nobody is logged in under. */
  sendsDropped: number;
  /** BROADCASTs to a group that does not exist. */
  broadcastsDropped: number;
  /** GROUPs ignored: fewer than two listed members, or the group exists. */
  groupsIgnored: number;
  crashed: boolean;
}

export interface OriginalChatServer {
  port: number;
  /** Every group ever created, name -> member names. Live; never shrinks ("groups are never deleted"). */
  groups: ReadonlyMap<string, ReadonlySet<string>>;
  stats: OriginalChatStats;
  /** Notable events, oldest first, the last 10,000 kept. */
  log: string[];
  /** Names with at least one connection logged in now. */
  loggedIn(): string[];
  /** Stops listening and destroys every connection. Safe after a crash and when called twice. */
  close(): Promise<void>;
}

interface Connection {
  socket: Socket;
  splitter: LineSplitter;
  /** '' until LOGIN: the original's name for a connection that has not logged in. */
  name: string;
  loggedIn: boolean;
  /** Content bytes of the current line seen so far ('fragment' mode). */
  run: number;
  /** LOGOUT handled: later lines, even in the same read, are not. */
  done: boolean;
}

const LF = new Uint8Array([0x0a]);
const LOG_LIMIT = 10_000;

/**
 * Cuts `chunk` so that no line holds more than `max` content bytes, by inserting a `\n` after every
 * `max` bytes without one: the LineSplitter then yields the fragments as lines, as a 4096-byte
 * bufio buffer returns them. A line of exactly `max` bytes passes whole when it ends in `\n`; ended by
 * `\r\n`, its `\r` is byte max + 1 and becomes a fragment of its own (an extra empty, bad line).
 */
function cutLongLines(chunk: Uint8Array, conn: Connection, max: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (start < chunk.length) {
    const lf = chunk.indexOf(0x0a, start);
    const end = lf < 0 ? chunk.length : lf;
    let at = start;
    // Bounded: each turn consumes at least one byte, or resets run to 0 after a full line.
    while (conn.run + (end - at) > max) {
      const take = max - conn.run;
      pieces.push(chunk.subarray(at, at + take), LF);
      at += take;
      conn.run = 0;
    }
    if (lf < 0) {
      conn.run += end - at;
      pieces.push(chunk.subarray(at, end));
      break;
    }
    pieces.push(chunk.subarray(at, lf + 1));
    conn.run = 0;
    start = lf + 1;
  }
  return pieces;
}

/** `CHAT/1.0 RECEIVE from data\n`; the empty sender (before LOGIN) gives the original's two spaces. */
function receiveLine(from: string, data: string): string {
  return from === '' ? `${CHAT_PROTOCOL} RECEIVE  ${data}\n` : formatChatLine({ command: 'RECEIVE', from, data });
}

export async function startOriginalChatServer(options: OriginalChatServerOptions = {}): Promise<OriginalChatServer> {
  const maxLineBytes = options.maxLineBytes ?? 4096;
  const fragment = (options.longLines ?? 'fragment') === 'fragment';
  const preLoginAsEmptyName = options.preLoginAsEmptyName ?? true;
  const stats: OriginalChatStats = {
    connectionsAccepted: 0, connectionsOpen: 0, lines: 0, commands: {},
    badLines: { INVALID_MESSAGE: 0, UNSUPPORTED_COMMAND: 0, INVALID_UTF8: 0, LINE_TOO_LONG: 0, RECEIVE_FROM_CLIENT: 0 },
    delivered: 0, sendsDropped: 0, broadcastsDropped: 0, groupsIgnored: 0, crashed: false,
  };
  const log: string[] = [];
  const note = (line: string): void => {
    log.push(line);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  };
  const groups = new Map<string, Set<string>>();
  const byName = new Map<string, Set<Connection>>();
  const connections = new Set<Connection>();

  const signOff = (conn: Connection): void => {
    const set = byName.get(conn.name);
    set?.delete(conn);
    if (set?.size === 0) byName.delete(conn.name);
    conn.loggedIn = false;
  };

  const deliver = (to: Connection, line: string): void => {
    if (to.socket.destroyed || to.socket.writableEnded) return;
    stats.delivered += 1;
    to.socket.write(line);
  };

  const crash = (): void => {
    stats.crashed = true;
    note('crashed in the logout phase');
    for (const conn of connections) conn.socket.destroy();
    server.close();
  };

  const handle = (conn: Connection, cmd: ChatCommand): void => {
    stats.commands[cmd.command] = (stats.commands[cmd.command] ?? 0) + 1;
    if (cmd.command === 'RECEIVE') { stats.badLines.RECEIVE_FROM_CLIENT += 1; note('RECEIVE from a client ignored'); return; }
    if (cmd.command === 'LOGIN') {
      if (conn.loggedIn) signOff(conn);
      conn.name = cmd.name;
      conn.loggedIn = true;
      const set = byName.get(cmd.name) ?? new Set();
      set.add(conn);
      byName.set(cmd.name, set);
      return;
    }
    if (cmd.command === 'LOGOUT') {
      if (options.dieInLogoutPhase) { crash(); return; }
      // "LOGOUT ends the session and the server closes the connection."
      signOff(conn);
      conn.done = true;
      conn.socket.end();
      return;
    }
    if (!conn.loggedIn && !preLoginAsEmptyName) { note(`${cmd.command} before LOGIN ignored`); return; }
    const sender = conn.loggedIn ? conn.name : '';
    switch (cmd.command) {
      case 'SEND': {
        // "SEND delivers to the connection(s) logged in under `name`"
        const targets = byName.get(cmd.name);
        if (targets === undefined) { stats.sendsDropped += 1; return; }
        const line = receiveLine(sender, cmd.data);
        for (const to of targets) deliver(to, line);
        return;
      }
      case 'GROUP': {
        // "GROUP does not add the sender, needs at least two listed members, and is ignored when the group already exists"
        if (cmd.members.length < 2) { stats.groupsIgnored += 1; note(`GROUP ${cmd.group}: fewer than two members, ignored`); return; }
        if (groups.has(cmd.group)) { stats.groupsIgnored += 1; note(`GROUP ${cmd.group}: exists, ignored`); return; }
        groups.set(cmd.group, new Set(cmd.members));
        return;
      }
      case 'LEAVE':
        // The group stays, even empty: "groups are never deleted".
        groups.get(cmd.group)?.delete(sender);
        return;
      case 'BROADCAST': {
        const members = groups.get(cmd.group);
        if (members === undefined) { stats.broadcastsDropped += 1; return; }
        // "to the group's members except the sender": the original skips the sending connection only,
        // so the sender's other connections hear it [PROTOCOL.md CHAT-GROUP-3 Why].
        const line = receiveLine(sender, cmd.data);
        for (const member of members) {
          for (const to of byName.get(member) ?? []) if (to !== conn) deliver(to, line);
        }
        return;
      }
    }
  };

  const handleLine = (conn: Connection, line: Uint8Array): void => {
    stats.lines += 1;
    const parsed = parseChatLine(line);
    if (isChatParseError(parsed)) {
      // "it logs them, replies nothing and keeps reading"
      stats.badLines[parsed.error] += 1;
      note(`bad line (${parsed.error}): ${parsed.reason}`);
      return;
    }
    handle(conn, parsed);
  };

  const server: Server = createServer({ noDelay: true }, (socket) => {
    stats.connectionsAccepted += 1;
    if (stats.crashed) { socket.destroy(); return; }
    stats.connectionsOpen += 1;
    const conn: Connection = {
      socket,
      // In 'fragment' mode no line reaches the limit: cutLongLines cuts first.
      splitter: new LineSplitter({ maxLineBytes }),
      name: '', loggedIn: false, run: 0, done: false,
    };
    connections.add(conn);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      const pieces = fragment ? cutLongLines(chunk, conn, maxLineBytes) : [chunk];
      for (const piece of pieces) {
        for (const event of conn.splitter.push(piece)) {
          if (conn.done || stats.crashed) return;
          if (event.kind === 'too-long') {
            stats.lines += 1;
            stats.badLines.LINE_TOO_LONG += 1;
            note(`line of ${event.bytes} bytes discarded`);
            continue;
          }
          handleLine(conn, event.line);
        }
      }
    });
    socket.on('close', () => {
      signOff(conn);
      connections.delete(conn);
      stats.connectionsOpen -= 1;
    });
  });
  const addressPort = await listenOnLoopback(server, 'chat server');

  let closing: Promise<void> | null = null;
  return {
    port: addressPort,
    groups,
    stats,
    log,
    loggedIn: () => [...byName.keys()],
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const conn of connections) conn.socket.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      });
      return closing;
    },
  };
}

// CHAT/1.0 mutants of commands [D-MUTANTS]: the reference server behind the mutating proxy, with one
// bug in what a command does (docs/PROTOCOL.md section 12): data changed, lines reordered or stored,
// names and groups handled as the original did. Where the bug needs state the server keeps (groups),
// the proxy keeps it from the lines it passed.
import { formatChatLine, isChatParseError, type ChatCommand } from '../../../proto/index.js';
import { chatMutant, type Mutant } from './mutant.js';
import type { ChatLine, ProxyConnection } from './mutating-proxy.js';

const commandOf = (line: ChatLine): ChatCommand | null => (isChatParseError(line.parsed) ? null : line.parsed);

/** Groups as the server keeps them [CHAT-GROUP-1] [CHAT-GROUP-2], from the GROUP and LEAVE lines of logged-in connections. */
function groups(): { watch(c: ChatCommand, sender: string): void; has(group: string): boolean } {
  const members = new Map<string, Set<string>>();
  return {
    watch(c, sender) {
      if (c.command === 'GROUP') {
        const set = members.get(c.group) ?? new Set<string>();
        for (const m of [sender, ...c.members]) set.add(m);
        members.set(c.group, set);
      } else if (c.command === 'LEAVE') {
        const set = members.get(c.group);
        set?.delete(sender);
        if (set?.size === 0) members.delete(c.group);
      }
    },
    has: (group) => members.has(group),
  };
}

const spacesCollapsed = chatMutant({
  name: 'chat-spaces-collapsed',
  areas: ['chat.send.', 'chat.line.server-lf'],
  bug: 'collapses runs of spaces in RECEIVE data (splits and re-joins on spaces, as the original) [CHAT-LINE-6] [CHAT-SEND-1]',
  hooks: () => ({
    serverLine(line) {
      const c = commandOf(line);
      if (c?.command !== 'RECEIVE' || !c.data.includes('  ')) return 'forward';
      return [formatChatLine({ command: 'RECEIVE', from: c.from, data: c.data.replace(/ {2,}/g, ' ') })];
    },
  }),
});

const sendStoredForNobody = chatMutant({
  name: 'chat-send-stored-for-nobody',
  areas: ['chat.send.'],
  bug: 'keeps a SEND to a name nobody is logged in under and delivers it at that name\'s next LOGIN [CHAT-SEND-2]',
  hooks: (proxy) => {
    const stored = new Map<string, string[]>();
    return {
      clientLine(line, conn) {
        const c = commandOf(line);
        if (c?.command === 'SEND' && conn.loggedInAs !== null && proxy().loggedIn(c.name).length === 0) {
          stored.set(c.name, [...(stored.get(c.name) ?? []), formatChatLine({ command: 'RECEIVE', from: conn.loggedInAs, data: c.data })]);
        } else if (c?.command === 'LOGIN') {
          for (const receive of stored.get(c.name) ?? []) conn.toClient(receive);
          stored.delete(c.name);
        }
        return 'forward';
      },
    };
  },
});

/** A RECEIVE held back this long waits for a second one to overtake it, then goes alone. */
const HOLD_MS = 100;

const receiveReordered = chatMutant({
  name: 'chat-receive-reordered',
  areas: ['chat.send.'],
  bug: 'delivers a connection\'s RECEIVE lines two by two in swapped order [CHAT-SEND-3]',
  hooks: () => {
    const held = new WeakMap<ProxyConnection, { raw: Buffer; timer: NodeJS.Timeout }>();
    return {
      serverLine(line, conn) {
        const first = held.get(conn);
        if (first) {
          clearTimeout(first.timer);
          held.delete(conn);
          return [line.raw, first.raw];
        }
        held.set(conn, { raw: line.raw, timer: setTimeout(() => { held.delete(conn); conn.toClient(line.raw); }, HOLD_MS) });
        return 'drop';
      },
    };
  },
});

const beforeLoginAccepted = chatMutant({
  name: 'chat-before-login-accepted',
  areas: ['chat.login.'],
  bug: 'runs a SEND before LOGIN under the empty name, as the original: the receiver gets "CHAT/1.0 RECEIVE  data" [CHAT-LOGIN-2]',
  hooks: (proxy) => ({
    clientLine(line, conn) {
      const c = commandOf(line);
      if (c?.command === 'SEND' && conn.loggedInAs === null) {
        for (const receiver of proxy().loggedIn(c.name)) receiver.toClient(`CHAT/1.0 RECEIVE  ${c.data}\n`);
      }
      return 'forward';
    },
  }),
});

const renameIgnored = chatMutant({
  name: 'chat-rename-ignored',
  areas: ['chat.login.'],
  bug: 'ignores a second LOGIN on a connection: it keeps its first name [CHAT-LOGIN-1]',
  hooks: () => ({ clientLine: (line, conn) => (commandOf(line)?.command === 'LOGIN' && conn.loggedInAs !== null ? 'drop' : 'forward') }),
});

const nameSingleConnection = chatMutant({
  name: 'chat-name-single-connection',
  areas: ['chat.login.', 'chat.send.'],
  bug: 'delivers a name\'s lines to its latest connection only, as if a LOGIN took the name over [CHAT-LOGIN-1] [CHAT-SEND-1]',
  hooks: (proxy) => ({
    serverLine(line, conn) {
      const name = conn.loggedInAs;
      if (name === null) return 'forward';
      const newest = proxy().loggedIn(name).reduce<ProxyConnection | null>((a, b) => (a === null || b.index > a.index ? b : a), null);
      return newest === null || newest === conn ? 'forward' : 'drop';
    },
  }),
});

const logoutIgnored = chatMutant({
  name: 'chat-logout-ignored',
  areas: ['chat.logout.', 'chat.line.crlf'],
  bug: 'ignores LOGOUT: the connection stays open and the lines after it are handled [CHAT-LOGOUT-1]',
  hooks: () => ({ clientLine: (line) => (commandOf(line)?.command === 'LOGOUT' ? 'drop' : 'forward') }),
});

const broadcastToSender = chatMutant({
  name: 'chat-broadcast-to-sender',
  areas: ['chat.group.'],
  bug: 'delivers a BROADCAST to the sender\'s own connections too [CHAT-GROUP-3]',
  hooks: (proxy) => {
    const known = groups();
    return {
      clientLine(line, conn) {
        const c = commandOf(line);
        const sender = conn.loggedInAs;
        if (c === null || sender === null) return 'forward';
        known.watch(c, sender);
        if (c.command === 'BROADCAST' && known.has(c.group)) {
          const echo = formatChatLine({ command: 'RECEIVE', from: sender, data: c.data });
          for (const own of proxy().loggedIn(sender)) own.toClient(echo);
        }
        return 'forward';
      },
    };
  },
});

const groupJoinIgnored = chatMutant({
  name: 'chat-group-join-ignored',
  areas: ['chat.group.'],
  bug: 'ignores GROUP on a group that exists, as the original: a group never grows [CHAT-GROUP-1]',
  hooks: () => {
    const known = groups();
    return {
      clientLine(line, conn) {
        const c = commandOf(line);
        if (c === null || conn.loggedInAs === null) return 'forward';
        if (c.command === 'GROUP' && known.has(c.group)) return 'drop';
        known.watch(c, conn.loggedInAs);
        return 'forward';
      },
    };
  },
});

const leaveIgnored = chatMutant({
  name: 'chat-leave-ignored',
  areas: ['chat.group.'],
  bug: 'ignores LEAVE: the name stays in the group [CHAT-GROUP-2]',
  hooks: () => ({ clientLine: (line) => (commandOf(line)?.command === 'LEAVE' ? 'drop' : 'forward') }),
});

export const CHAT_COMMAND_MUTANTS: readonly Mutant[] = [
  spacesCollapsed, sendStoredForNobody, receiveReordered, beforeLoginAccepted, renameIgnored, nameSingleConnection,
  logoutIgnored, broadcastToSender, groupJoinIgnored, leaveIgnored,
];

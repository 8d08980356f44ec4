// Mutants that crash [D-MUTANTS]: servers correct one request at a time that stop answering
// everything (every connection dropped, nothing listening) under what the robustness checks do:
// several connections sending at once, or a connection dropped in the middle of a frame or a line.
// "Bad input and failures on one connection MUST NOT disturb any other connection" [IM-CONN-4].
import { MessageId, isChatParseError } from '../../../proto/index.js';
import { chatMutant, imMutant, type Mutant } from './mutant.js';

/** Connections sending in one turn of the proxy's event loop that count as "several at once". */
const AT_ONCE = 3;

/**
 * Counts the connections that sent in the current turn of the event loop. A check that awaits each
 * answer before the next send never has two in one turn; clients writing in the same tick do.
 */
function sameTurn(): (connection: number) => number {
  let sending = new Set<number>();
  let clearing = false;
  return (connection) => {
    sending.add(connection);
    if (!clearing) {
      clearing = true;
      setImmediate(() => { sending = new Set(); clearing = false; });
    }
    return sending.size;
  };
}

const imCrashUnderConcurrency = imMutant({
  name: 'im-crash-under-concurrency',
  areas: ['im.robust.'],
  bug: `crashes when chats of ${AT_ONCE} connections arrive in one turn of its event loop [IM-CONN-4] [IM-CHAT-1]`,
  hooks: (proxy) => {
    const senders = sameTurn();
    return {
      clientFrame(frame, conn) {
        if (frame.id !== MessageId.FriendChatRequest || senders(conn.index) < AT_ONCE) return 'forward';
        proxy().crash();
        return 'drop';
      },
    };
  },
});

const imCrashOnDroppedFrame = imMutant({
  name: 'im-crash-on-dropped-mid-frame',
  areas: ['im.robust.'],
  bug: 'crashes when a client goes away in the middle of a frame (a header or body cut short) [IM-CONN-4]',
  hooks: (proxy) => ({ clientGone: (_conn, pendingBytes) => { if (pendingBytes > 0) proxy().crash(); } }),
});

const chatCrashUnderConcurrency = chatMutant({
  name: 'chat-crash-under-concurrency',
  areas: ['chat.robust.'],
  bug: `crashes when SENDs or BROADCASTs of ${AT_ONCE} connections arrive in one turn of its event loop [IM-CONN-4] [CHAT-SEND-1]`,
  hooks: (proxy) => {
    const senders = sameTurn();
    return {
      clientLine(line, conn) {
        const c = line.parsed;
        if (isChatParseError(c) || (c.command !== 'SEND' && c.command !== 'BROADCAST') || senders(conn.index) < AT_ONCE) return 'forward';
        proxy().crash();
        return 'drop';
      },
    };
  },
});

const chatCrashOnDroppedLine = chatMutant({
  name: 'chat-crash-on-dropped-mid-line',
  areas: ['chat.robust.churn'],
  bug: 'crashes when a client goes away in the middle of a line (bytes after its last LF) [IM-CONN-4] [CHAT-LOGOUT-2]',
  hooks: (proxy) => ({
    clientHalfClose(tail) {
      if (tail.length === 0) return 'forward';
      proxy().crash();
      return 'drop';
    },
  }),
});

export const IM_ROBUSTNESS_MUTANTS: readonly Mutant[] = [imCrashUnderConcurrency, imCrashOnDroppedFrame];
export const CHAT_ROBUSTNESS_MUTANTS: readonly Mutant[] = [chatCrashUnderConcurrency, chatCrashOnDroppedLine];

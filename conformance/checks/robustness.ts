// Robustness, run last so a server they break has been judged on everything else: many clients
// sending to one receiver at once (in both protocols), and bounded connection churn (connections
// opened and dropped at every stage: before a byte, mid-header, mid-body, after a login). The server
// must keep serving and corrupt no message [IM-CONN-4] [CHAT-SEND-3]. A server that dies here fails
// the check through the runner's liveness probe, and the report names it.
import { MessageId, UserStatus, encodeMessageFrame, formatChatLine } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import { CheckFailed, expectThat } from '../harness/verdicts.js';
import { befriend, loggedIn } from './im-accounts.js';

const SENDERS = 16;
const MESSAGES_EACH = 12;

/** Every sender's messages arrived exactly once, intact, and in the order that sender sent them. */
function expectAllInOrder(received: readonly string[], senders: readonly string[], each: number, what: string): void {
  const bySender = new Map<string, number[]>(senders.map((s) => [s, []]));
  const strays: string[] = [];
  for (const text of received) {
    const [sender, index] = text.split('#');
    const list = sender === undefined ? undefined : bySender.get(sender);
    if (list === undefined || index === undefined || !/^\d+$/.test(index)) strays.push(text);
    else list.push(Number(index));
  }
  expectThat(strays.length === 0, `only the ${what} that were sent`, () => `${strays.length} that nobody sent, e.g. ${JSON.stringify(strays.slice(0, 3))}`);
  for (const [sender, list] of bySender) {
    expectThat(list.length === each && list.every((v, i) => v === i), `${each} ${what} from ${sender}, once each, in the order sent`, () => `${list.length}: ${list.slice(0, 20).join(', ')}`);
  }
}

const imConcurrentSenders: CheckDefinition = {
  id: 'im.robust.concurrent-senders',
  level: 'MUST',
  requirements: ['IM-CONN-4', 'IM-CHAT-1', 'IM-CHAT-4'],
  requirement: 'Bad input and failures on one connection MUST NOT disturb any other connection; a receiver gets the chats addressed to it in the order the server accepted them.',
  description: `${SENDERS} friends each send ${MESSAGES_EACH} chats to one receiver at once: all ${SENDERS * MESSAGES_EACH} arrive, intact, each sender's in order`,
  budgetMs: 60_000,
  async run(ctx) {
    const receiver = await loggedIn(ctx, 'rcv');
    const senders = [];
    for (let i = 0; i < SENDERS; i++) {
      const sender = await loggedIn(ctx, `snd${i}`);
      await befriend(sender, receiver);
      senders.push(sender);
    }
    // Every chat of a sender in one write, every sender in the same tick: as concurrent as one client
    // process can make it.
    for (const s of senders) {
      const frames = Array.from({ length: MESSAGES_EACH }, (_, i) => encodeMessageFrame(MessageId.FriendChatRequest, { FromUserID: s.user, ToUserID: receiver.user, Content: Buffer.from(`${s.user}#${i}`) }, ctx.profile.layout));
      s.peer.write(Buffer.concat(frames), `${MESSAGES_EACH} FriendChatRequests from ${s.user} to ${receiver.user}`);
    }
    const received: string[] = [];
    for (let n = 0; n < SENDERS * MESSAGES_EACH; n++) {
      const notice = await receiver.peer.expect(MessageId.FriendChatNotice, { what: `FriendChatNotice ${n + 1} of ${SENDERS * MESSAGES_EACH}` });
      received.push(Buffer.from(notice.Content ?? new Uint8Array(0)).toString('utf8'));
    }
    expectAllInOrder(received, senders.map((s) => s.user), MESSAGES_EACH, 'chats');
    // Everyone is still served.
    for (const s of senders) await s.peer.barrier();
  },
};

const chatConcurrentSenders: CheckDefinition = {
  id: 'chat.robust.concurrent-senders',
  level: 'MUST',
  requirements: ['CHAT-SEND-1', 'CHAT-SEND-3'],
  requirement: 'SEND MUST deliver RECEIVE sender data to every connection logged in under the name; every receiver gets its lines in the order the server handled the commands.',
  description: `${SENDERS} connections each send ${MESSAGES_EACH} lines to one receiver at once: all arrive, exact, each sender's in order`,
  budgetMs: 60_000,
  async run(ctx) {
    const receiver = await ctx.chat('receiver');
    const receiverName = ctx.name('rcv');
    receiver.send({ command: 'LOGIN', name: receiverName });
    const senders = [];
    for (let i = 0; i < SENDERS; i++) {
      const peer = await ctx.chat(`sender${i}`);
      const name = ctx.name(`snd${i}`);
      peer.send({ command: 'LOGIN', name });
      senders.push({ peer, name });
    }
    await receiver.barrier();
    for (const s of senders) await s.peer.barrier();
    for (const s of senders) {
      const lines = Array.from({ length: MESSAGES_EACH }, (_, i) => formatChatLine({ command: 'SEND', name: receiverName, data: `${s.name}#${i}` })).join('');
      s.peer.sendRaw(lines);
    }
    const received: string[] = [];
    for (let n = 0; n < SENDERS * MESSAGES_EACH; n++) {
      const line = await receiver.take((l) => l.command?.command === 'RECEIVE', `RECEIVE line ${n + 1} of ${SENDERS * MESSAGES_EACH}`);
      const c = line.command as { from: string; data: string };
      if (line.problem !== null) throw new CheckFailed('well-formed RECEIVE lines', `${JSON.stringify(line.text)} (${line.problem})`);
      expectThat(c.data.startsWith(`${c.from}#`), 'each RECEIVE naming the connection that sent it', () => JSON.stringify(line.text));
      received.push(c.data);
    }
    expectAllInOrder(received, senders.map((s) => s.name), MESSAGES_EACH, 'lines');
    for (const s of senders) await s.peer.barrier();
  },
};

const peerClosed: CheckDefinition = {
  id: 'im.logout.peer-closed',
  level: 'MUST',
  requirements: ['IM-LOGOUT-2', 'IM-CONN-4'],
  requirement: 'However a logged-in connection ends (logout, idle timeout, peer closed, socket error...), the user goes offline and every online friend gets 8 {UserID, Status 6}, once.',
  description: 'a logged-in friend closes its socket without logging out, while the user chats to it: the user keeps being served and gets 8 {friend, 6}',
  allows: 'the chat sent while the close is noticed may be lost or stored (a chat handed to a closing connection is not kept, [IM-CHAT-4])',
  async run(ctx) {
    const a = await loggedIn(ctx, 'stay');
    const b = await loggedIn(ctx, 'vanish');
    await befriend(a, b);
    b.peer.close();
    // The original deadlocks here: the vanished user stays online, and the push to it never returns
    // (docs/ORIGINALS.md); a server must stay responsive whatever happened to a peer.
    a.peer.send(MessageId.FriendChatRequest, { FromUserID: a.user, ToUserID: b.user, Content: Buffer.from('are you there?') });
    await a.peer.barrier();
    const notice = await a.peer.expect(MessageId.UserOfflineNotice, { what: `8 (UserOfflineNotice) for ${b.user}, whose connection closed` });
    expectThat(notice.UserID === b.user && notice.Status === UserStatus.Offline, `8 {UserID ${b.user}, Status 6}`, () => JSON.stringify(notice.toJSON()));
  },
};

/** Connections opened and dropped per churn check; with everything else, the suite stays under 1,000. */
const CHURN = 120;

/** Drops a connection at some stage of its life, as clients that crash or lose the network do. */
async function churnIm(ctx: CheckContext, i: number): Promise<void> {
  const peer = await ctx.im(`churn${i}`);
  const login = encodeMessageFrame(MessageId.LoginRequest, { UserID: ctx.name('churn'), Password: 'x', Status: UserStatus.Online }, ctx.profile.layout);
  switch (i % 4) {
    case 0: break;                                                     // before a byte
    case 1: peer.write(login.subarray(0, 5), 'half a header'); break;   // mid-header
    case 2: peer.write(login.subarray(0, login.length - 2), 'a frame but its last 2 bytes'); break; // mid-body
    case 3: peer.write(login, 'a LoginRequest'); await peer.expect(MessageId.LoginResponse); break;
  }
  peer.close();
}

const imChurn: CheckDefinition = {
  id: 'im.robust.churn',
  level: 'MUST',
  requirements: ['IM-CONN-4'],
  requirement: 'Bad input and failures on one connection MUST NOT disturb any other connection.',
  description: `${CHURN} connections dropped before a byte, mid-header, mid-body or after a request, while a logged-in user keeps chatting: it is served throughout`,
  budgetMs: 60_000,
  async run(ctx) {
    const a = await loggedIn(ctx, 'churnA');
    const b = await loggedIn(ctx, 'churnB');
    await befriend(a, b);
    for (let i = 0; i < CHURN; i++) {
      await churnIm(ctx, i);
      if (i % 20 === 19) {
        a.peer.send(MessageId.FriendChatRequest, { FromUserID: a.user, ToUserID: b.user, Content: Buffer.from(`during churn ${i}`) });
        const notice = await b.peer.expect(MessageId.FriendChatNotice, { what: `the chat sent after ${i + 1} dropped connections` });
        expectThat(Buffer.from(notice.Content ?? []).toString() === `during churn ${i}`, `the chat "during churn ${i}"`, () => JSON.stringify(Buffer.from(notice.Content ?? []).toString()));
      }
    }
  },
};

const chatChurn: CheckDefinition = {
  id: 'chat.robust.churn',
  level: 'MUST',
  requirements: ['CHAT-LOGOUT-2', 'IM-CONN-4'],
  requirement: 'A connection that ends any other way has the same effect as LOGOUT; bad input and failures on one connection MUST NOT disturb any other.',
  description: `${CHURN} connections dropped before a byte, mid-line, or logged in under the receiver's own name, while two users keep talking: they are served throughout`,
  budgetMs: 60_000,
  async run(ctx) {
    const a = await ctx.chat('a');
    const b = await ctx.chat('b');
    const [nameA, nameB] = [ctx.name('churnA'), ctx.name('churnB')];
    a.send({ command: 'LOGIN', name: nameA });
    b.send({ command: 'LOGIN', name: nameB });
    await a.barrier();
    await b.barrier();
    for (let i = 0; i < CHURN; i++) {
      const peer = await ctx.chat(`churn${i}`);
      if (i % 3 === 1) peer.sendRaw(`CHAT/1.0 SEND ${nameB} half a li`);
      // Logged in as someone else, then gone: nothing of it may stay behind.
      if (i % 3 === 2) peer.sendRaw(`${formatChatLine({ command: 'LOGIN', name: ctx.name('gone') })}${formatChatLine({ command: 'SEND', name: nameB, data: `from churn ${i}` })}`);
      peer.close();
      if (i % 20 === 19) {
        a.send({ command: 'SEND', name: nameB, data: `during churn ${i}` });
        await b.expectReceive(nameA, `during churn ${i}`);
      }
    }
  },
};

export const IM_ROBUSTNESS_CHECKS: readonly CheckDefinition[] = [peerClosed, imConcurrentSenders, imChurn];
export const CHAT_ROBUSTNESS_CHECKS: readonly CheckDefinition[] = [chatConcurrentSenders, chatChurn];

// CHAT/1.0 lines [CHAT-LINE-1..8]: how bytes become lines whatever the TCP segmentation, the exact
// grammar, the line limit, and bad lines (discarded, no answer, the connection kept open). CHAT/1.0
// has no reply, so every effect, and every absence of one, is seen through RECEIVE lines: a check
// that something did not happen never sleeps, it runs a sync (a SEND to oneself) on the sender
// (its lines were handled), then on the would-be receiver (what was queued for it has come), and then
// finds no line left untaken [D-CONFORM]. The helpers here are shared with chat-commands.ts.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { formatChatLine } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import { isReceive, type ChatLine, type ChatPeer } from '../harness/chat-peer.js';
import { CheckFailed, CheckSkipped, expectThat } from '../harness/verdicts.js';

/** A connection and the name it logged in as. */
export interface ChatUser {
  peer: ChatPeer;
  name: string;
}

/** Every name each connection logged in as: their sync lines may reach it through a sibling. */
const namesOf = new WeakMap<ChatPeer, Set<string>>();

/** Sends LOGIN on `peer` (or notes one already sent inside raw bytes) and returns the user it becomes. */
export function loginAs(peer: ChatPeer, name: string, options: { alreadySent?: boolean } = {}): ChatUser {
  if (options.alreadySent) peer.loggedInAs = name;
  else peer.send({ command: 'LOGIN', name });
  const names = namesOf.get(peer) ?? new Set<string>();
  namesOf.set(peer, names.add(name));
  return { peer, name };
}

const SYNC = /^sync [0-9a-f]{12}$/;

/**
 * A round trip that proves the server handled every line `user` sent before it: a SEND to its own
 * name with a fresh marker, awaited on this connection [CHAT-SEND-1, CHAT-SEND-3]. It reaches the
 * name's other connections too; there it is a sibling's sync, which the helpers below skip.
 */
export async function sync(user: ChatUser): Promise<void> {
  const marker = `sync ${randomBytes(6).toString('hex')}`;
  user.peer.send({ command: 'SEND', name: user.name, data: marker });
  await user.peer.expectReceive(user.name, marker);
}

/** A sync of another connection that shares (or shared) a name with this one. */
function isSiblingSync(peer: ChatPeer, line: ChatLine): boolean {
  const c = line.command;
  return line.problem === null && c?.command === 'RECEIVE' && SYNC.test(c.data) && (namesOf.get(peer)?.has(c.from) ?? false);
}

/**
 * Opens a connection labelled `label` and logs it in (as `name`, or a fresh one). The sync proves the
 * LOGIN was handled, so lines others send to the name from now on reach this connection
 * [CHAT-LOGIN-1, CHAT-SEND-3].
 */
export async function logIn(ctx: CheckContext, label: string, name: string = ctx.name(label)): Promise<ChatUser> {
  const user = loginAs(await ctx.chat(label), name);
  await sync(user);
  return user;
}

/** The line a RECEIVE would be, for messages. */
export function receiveText(from: string, data: string): string {
  return JSON.stringify(formatChatLine({ command: 'RECEIVE', from, data }).slice(0, -1));
}

/**
 * The next RECEIVE lines from `from` on `user`'s connection are exactly `datas`, in this order.
 * Called once the commands that cause them were handled (their sender synced, or closed by the
 * server): a sync of `user` then comes after them [CHAT-SEND-3], so a line still missing when it
 * has come back is not coming (FAIL, not a wait for the timeout). Lines from other senders are left
 * for the caller (and for expectQuiet).
 */
export async function expectFrom(user: ChatUser, from: string, datas: readonly string[], context: string): Promise<void> {
  const peer = user.peer;
  await sync(user);
  const fromSender = (l: ChatLine): boolean => l.problem === null && l.command?.command === 'RECEIVE' && l.command.from === from && !isSiblingSync(peer, l);
  for (const [i, data] of datas.entries()) {
    const expected = `${context}: line ${i + 1} of ${datas.length} from ${from} on ${peer.name}, ${receiveText(from, data)}`;
    if (!peer.leftovers().some(fromSender)) {
      throw new CheckFailed(expected, `nothing (more) from ${from} before a later sync of ${peer.name} came back, so it is not coming [CHAT-SEND-3]; ${peer.gotInstead()}`);
    }
    const line = await peer.take(fromSender, expected);
    expectThat(isReceive(line, from, data), expected, () => peer.describe(line));
  }
}

/** No line came to `user` that nobody took (a sibling's sync aside). */
export function expectNoLeftovers(user: ChatUser, context: string): void {
  const left = user.peer.leftovers().filter((l) => !isSiblingSync(user.peer, l));
  expectThat(left.length === 0, `no other line on ${user.peer.name} (logged in as ${JSON.stringify(user.name)}): ${context}`,
    () => `${left.length} line(s) nobody expected: ${left.slice(0, 5).map((l) => user.peer.describe(l)).join(', ')}`);
}

/**
 * Proves that nothing else was delivered: a sync on each sender (the server handled all it sent),
 * then on each receiver (anything the server queued for it before has arrived), then no line left
 * untaken on any of them. Never a sleep.
 */
export async function expectQuiet(senders: readonly ChatUser[], receivers: readonly ChatUser[], context: string): Promise<void> {
  for (const user of [...senders, ...receivers]) await sync(user);
  for (const user of [...senders, ...receivers]) expectNoLeftovers(user, context);
}

/** Bytes from text and raw byte values, in order. */
function bytesOf(...parts: readonly (string | readonly number[])[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

/** Sorted, distinct cut offsets inside `length` bytes from per-mille positions (a property's value). */
function cutsAt(perMille: readonly number[], length: number): number[] {
  const cuts = perMille.map((p) => Math.min(length - 1, Math.max(1, Math.floor((p * length) / 1000))));
  return [...new Set(cuts)].sort((a, b) => a - b);
}

/** 1 to 12 cut positions, as per-mille of the bytes to cut. */
const arbCuts = fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 12 });

const P = 'CHAT/1.0';

// [CHAT-LINE-1] Lines end at LF whatever the segmentation.

/** SENDs with multi-byte characters, empty data, a CR inside, LF and CRLF; a GROUP and a BROADCAST. */
function splitStream(to: string, group: string): { bytes: Buffer; datas: string[] } {
  const datas = ['one é日😀 ', '', ' three\r3 ', 'four', 'to the group 😀'];
  const text = `${P} SEND ${to} ${datas[0]}\r\n${P} SEND ${to} ${datas[1]}\n${P} SEND ${to} ${datas[2]}\n${P} SEND ${to} ${datas[3]}\r\n`
    + `${P} GROUP ${group} ${to}\n${P} BROADCAST ${group} ${datas[4]}\n`;
  return { bytes: Buffer.from(text, 'utf8'), datas };
}

async function runSplit(ctx: CheckContext, cuts: (length: number) => number[], how: string): Promise<void> {
  const receiver = await logIn(ctx, 'receiver');
  const sender = await logIn(ctx, 'sender');
  const { bytes, datas } = splitStream(receiver.name, ctx.name('group'));
  const at = cuts(bytes.length);
  await sender.peer.writePieces(bytes, at, `${datas.length} lines, ${bytes.length} bytes ${how} (cut at ${at.join(', ')})`);
  await sync(sender);
  await expectFrom(receiver, sender.name, datas, `lines cut ${how}`);
  await expectQuiet([sender], [receiver], `each line cut ${how} is delivered once`);
}

const splitAnywhere: CheckDefinition = {
  id: 'chat.line.split-anywhere',
  level: 'MUST',
  requirements: ['CHAT-LINE-1'],
  requirement: 'A line ends at LF; a CR just before it is part of the terminator. A receiver MUST split lines the same way whatever the TCP segmentation.',
  description: '4 SENDs (multi-byte characters, CRLF, empty data), a GROUP and a BROADCAST written one byte per write, then cut at random byte positions: each delivered once, exactly',
  async run(ctx) {
    await runSplit(ctx, (length) => Array.from({ length: length - 1 }, (_, i) => i + 1), 'one byte per write');
    await ctx.property(arbCuts, (example, perMille) => runSplit(example, (length) => cutsAt(perMille, length), 'at random byte positions'));
  },
};

const severalPerWrite: CheckDefinition = {
  id: 'chat.line.several-per-write',
  level: 'MUST',
  requirements: ['CHAT-LINE-1', 'CHAT-SEND-3'],
  requirement: 'A receiver MUST split lines the same way whatever the TCP segmentation; one connection\'s lines are handled in order.',
  description: 'a LOGIN, 30 SENDs (LF and CRLF) and a SEND to itself in one write: all delivered once, in order',
  async run(ctx) {
    const receiver = await logIn(ctx, 'receiver');
    const peer = await ctx.chat('sender');
    const name = ctx.name('sender');
    const datas = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const lines = [`${P} LOGIN ${name}\n`, ...datas.map((d, i) => `${P} SEND ${receiver.name} ${d}${i % 3 === 0 ? '\r\n' : '\n'}`), `${P} SEND ${name} self\n`];
    peer.write(Buffer.from(lines.join(''), 'utf8'), `LOGIN, ${datas.length} SENDs to ${receiver.name} and a SEND to itself in one write`);
    const sender = loginAs(peer, name, { alreadySent: true });
    await sync(sender);
    await expectFrom(receiver, sender.name, datas, 'lines of one write');
    await expectFrom(sender, sender.name, ['self'], 'the last line of the write');
    await expectQuiet([sender], [receiver], 'each line of one write is delivered once');
  },
};

const crlf: CheckDefinition = {
  id: 'chat.line.crlf',
  level: 'MUST',
  requirements: ['CHAT-LINE-1'],
  requirement: 'A CR immediately before the LF is part of the terminator, so \\r\\n is accepted; any other CR is part of the line.',
  description: 'LOGIN, SENDs and LOGOUT ended by CRLF (one CRLF cut between its CR and LF): data without the CR, a CR inside data kept, LOGOUT closes',
  async run(ctx) {
    const receiver = await logIn(ctx, 'receiver');
    const peer = await ctx.chat('sender');
    const name = ctx.name('sender');
    peer.sendRaw(`${P} LOGIN ${name}\r\n${P} SEND ${receiver.name} hello\r\n${P} SEND ${receiver.name} \r\n${P} SEND ${receiver.name} a\rb\r\n`);
    const sender = loginAs(peer, name, { alreadySent: true });
    const split = Buffer.from(`${P} SEND ${receiver.name} split\r\n`, 'utf8');
    await peer.writePieces(split, [split.length - 1], 'a SEND whose CRLF is cut between CR and LF');
    await sync(sender);
    await expectFrom(receiver, sender.name, ['hello', '', 'a\rb', 'split'], 'lines ended by CRLF');
    await expectQuiet([sender], [receiver], 'CRLF lines are delivered once');
    peer.sendRaw(`${P} LOGOUT\r\n`);
    await peer.closedWithin('the server to close the connection after "CHAT/1.0 LOGOUT\\r\\n" [CHAT-LOGOUT-1]');
  },
};

const serverLf: CheckDefinition = {
  id: 'chat.line.server-lf',
  level: 'MUST',
  requirements: ['CHAT-LINE-1', 'CHAT-LINE-6'],
  requirement: 'A server MUST end every line it sends with a single LF.',
  description: 'the bytes a receiver gets for SENDs with spaces, a CR inside and empty data are exactly the canonical RECEIVE lines, each ended by one LF',
  async run(ctx) {
    const peer = await ctx.chat('receiver');
    const chunks: Buffer[] = [];
    peer.socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const receiver = loginAs(peer, ctx.name('receiver'));
    await sync(receiver);
    const sender = await logIn(ctx, 'sender');
    const datas = ['plain', ' spaced  out ', 'a\rb', '', 'é日😀'];
    for (const data of datas) sender.peer.send({ command: 'SEND', name: receiver.name, data });
    await sync(sender);
    await expectFrom(receiver, sender.name, datas, 'lines sent by the server');
    await expectQuiet([sender], [receiver], 'no other line');
    // Data never ends in CR, so each line's text plus one LF must give back the bytes on the wire.
    const wire = Buffer.concat(chunks);
    const canonical = Buffer.from(peer.history.map((l) => `${l.text}\n`).join(''), 'utf8');
    expectThat(wire.equals(canonical), 'the server\'s lines each ended by a single LF, nothing between them',
      () => `the bytes ${JSON.stringify(wire.toString('latin1').slice(0, 400))}`);
  },
};

const lastWithoutNewline: CheckDefinition = {
  id: 'chat.line.last-without-newline',
  level: 'SHOULD',
  requirements: ['CHAT-LINE-1'],
  requirement: 'When the peer half-closes (FIN), the bytes after its last LF SHOULD be handled as its last line, like any other.',
  description: 'a SEND without its LF, then a half-close: the receiver gets it (before or as the server closes the sender\'s connection)',
  allows: 'the server may deliver the line before or after it closes its side of the half-closed connection',
  async run(ctx) {
    const receiver = await logIn(ctx, 'receiver');
    const sender = await logIn(ctx, 'sender');
    const data = 'last line, no newline';
    sender.peer.sendRaw(`${P} SEND ${receiver.name} ${data}`);
    sender.peer.halfClose();
    // Whichever comes first: the line, or the server closing its side of the connection [IM-CONN-2];
    // both waits end by themselves (timeout or close), so neither is left to reject unheard.
    const delivered = receiver.peer.expectReceive(sender.name, data).then(() => true, () => false);
    const closed = sender.peer.closedWithin('the server to close its side after the FIN').then(() => true, () => false);
    await Promise.race([delivered, closed]);
    if (receiver.peer.history.some((l) => isReceive(l, sender.name, data))) return;
    // The server is done with the sender (or left it half-open for the whole timeout): what it
    // delivered for the last bytes has reached the receiver once its sync comes back.
    await sync(receiver);
    const got = receiver.peer.history.some((l) => isReceive(l, sender.name, data));
    if (!got) {
      throw new CheckFailed(`the bytes after the last LF handled as the last line on the half-close: ${receiver.peer.name} gets ${receiveText(sender.name, data)}`,
        `${sender.peer.closed ? `the server closed the sender's connection (${sender.peer.closedHow})` : 'the sender\'s connection still open'} and delivered nothing of it`);
    }
  },
};

// [CHAT-LINE-2, 3, 5, 7] Bad lines: discarded, no effect, no answer, the connection kept open.

interface BadLine {
  why: string;
  bytes: Buffer;
}

/**
 * Malformed lines aimed at `to` and at `group`: a server that read any of them leniently would
 * deliver to `to`, create `group`, log out or rename the sender. Always the same number of lines.
 */
function badLines(to: string, group: string): BadLine[] {
  const line = (why: string, ...parts: (string | number[])[]): BadLine => ({ why, bytes: bytesOf(...parts, '\n') });
  return [
    line('another version', `CHAT/1.1 SEND ${to} v11`),
    line('another version', `CHAT/2.0 SEND ${to} v20`),
    line('lower-case protocol', `chat/1.0 SEND ${to} lower`),
    line('another protocol', `HTTP/1.1 SEND ${to} http`),
    line('no space after the protocol', `${P}SEND ${to} nospace`),
    line('a leading space', ` ${P} SEND ${to} lead`),
    line('a leading tab', `\t${P} SEND ${to} tab`),
    line('a byte-order mark first', `\ufeff${P} SEND ${to} bom`),
    line('two spaces after the protocol', `${P}  SEND ${to} two`),
    line('two spaces before the name (an empty name)', `${P} SEND  ${to} empty-name`),
    line('lower-case command', `${P} send ${to} lower-cmd`),
    line('mixed-case command', `${P} Send ${to} mixed-cmd`),
    line('mixed-case command', `${P} sEND ${to} mixed-cmd2`),
    line('unknown command', `${P} WHISPER ${to} whisper`),
    line('missing data and its space', `${P} SEND ${to}`),
    line('missing name and data', `${P} SEND`),
    line('missing name and data', `${P} SEND `),
    line('missing command', P),
    line('missing command', `${P} `),
    line('LOGOUT with a trailing space', `${P} LOGOUT `),
    line('LOGOUT with an argument', `${P} LOGOUT now`),
    line('lower-case LOGOUT', `${P} logout`),
    line('an empty line', ''),
    line('an empty line ended by CRLF', '\r'),
    line('a line of one space', ' '),
    line('data ending in CR (CR CR LF)', `${P} SEND ${to} crcr\r\r`),
    line('invalid UTF-8: 0xff', `${P} SEND ${to} ff`, [0xff]),
    line('invalid UTF-8: overlong "/" 0xc0 0xaf', `${P} SEND ${to} overlong`, [0xc0, 0xaf]),
    line('invalid UTF-8: overlong NUL 0xc0 0x80', `${P} SEND ${to} overlong-nul`, [0xc0, 0x80]),
    line('invalid UTF-8: lone surrogate 0xed 0xa0 0x80', `${P} SEND ${to} surrogate`, [0xed, 0xa0, 0x80]),
    line('invalid UTF-8: truncated sequence 0xe6 0x97', `${P} SEND ${to} truncated`, [0xe6, 0x97]),
    line('invalid UTF-8: above U+10FFFF 0xf4 0x90 0x80 0x80', `${P} SEND ${to} too-high`, [0xf4, 0x90, 0x80, 0x80]),
    line('invalid UTF-8 before the protocol', [0xff], `${P} SEND ${to} ff-first`),
    line('invalid UTF-8 in the name', `${P} SEND ${to}`, [0xff], ' ff-name'),
    line('a lone CR then a command (CR is not a terminator)', `${P} WHISPER x\r${P} SEND ${to} injected-cr`),
    line('a NUL then a command', `${P} WHISPER x\u0000${P} SEND ${to} injected-nul`),
    line('LOGIN without a name', `${P} LOGIN`),
    line('LOGIN with an empty name', `${P} LOGIN `),
    line('LOGIN with an extra field', `${P} LOGIN ${to} extra`),
    line('GROUP without a group', `${P} GROUP`),
    line('GROUP with two spaces', `${P} GROUP ${group}  ${to}`),
    line('GROUP with a trailing space', `${P} GROUP ${group} ${to} `),
    line('lower-case GROUP', `${P} group ${group} ${to}`),
    line('LEAVE with an extra field', `${P} LEAVE ${group} extra`),
    line('BROADCAST without data', `${P} BROADCAST ${group}`),
    line('BROADCAST with two spaces', `${P} BROADCAST  ${group} two`),
  ];
}

const BAD_LINE_COUNT = badLines('to', 'group').length;

/**
 * `sender` writes `entries` (a bad line by index, or a good SEND numbered in order) cut at `cuts`;
 * then BROADCASTs to the group the bad GROUP lines named. The receiver gets exactly the good SENDs,
 * in order, and the sender's connection still works.
 */
async function runBadLines(ctx: CheckContext, entries: readonly (number | 'good')[], cuts: (length: number) => number[]): Promise<void> {
  const receiver = await logIn(ctx, 'receiver');
  const sender = await logIn(ctx, 'sender');
  const group = ctx.name('group');
  const bad = badLines(receiver.name, group);
  const good: string[] = [];
  const parts = entries.map((e) => {
    if (e !== 'good') return bad[e % bad.length]!.bytes;
    good.push(`good ${good.length + 1}`);
    return Buffer.from(formatChatLine({ command: 'SEND', name: receiver.name, data: good[good.length - 1]! }), 'utf8');
  });
  const bytes = Buffer.concat(parts);
  const whys = entries.map((e) => (e === 'good' ? 'a good SEND' : bad[e % bad.length]!.why));
  const at = cuts(bytes.length);
  await sender.peer.writePieces(bytes, at, `${entries.length} lines: ${whys.join('; ')}${at.length > 0 ? ` (cut at ${at.join(', ')})` : ''}`);
  await sync(sender); // still open, still logged in as itself
  await expectFrom(receiver, sender.name, good, 'the good SENDs among bad lines, handled normally [CHAT-LINE-7]');
  sender.peer.send({ command: 'BROADCAST', group, data: 'to a group only bad GROUP lines named' });
  await expectQuiet([sender], [receiver], 'bad lines are discarded with no effect and no answer, and the connection stays open [CHAT-LINE-7]');
}

const malformedKeptOpen: CheckDefinition = {
  id: 'chat.line.malformed-kept-open',
  level: 'MUST',
  requirements: ['CHAT-LINE-2', 'CHAT-LINE-3', 'CHAT-LINE-5', 'CHAT-LINE-7'],
  requirement: 'A bad line (INVALID_MESSAGE, UNSUPPORTED_COMMAND, INVALID_UTF8) MUST be discarded with no effect and no answer, and the connection stays open and usable; the lines around it are handled normally.',
  description: `${BAD_LINE_COUNT} malformed lines (versions, spaces, case, missing fields, LOGOUT with a space, empty lines, invalid UTF-8, injected commands) in one write, then random mixes with good SENDs cut at random: nothing delivered or changed, the connection kept open`,
  malformed: true,
  async run(ctx) {
    await runBadLines(ctx, [...Array.from({ length: BAD_LINE_COUNT }, (_, i) => i), 'good'], () => []);
    const entry = fc.oneof(fc.nat({ max: BAD_LINE_COUNT - 1 }), fc.constant<'good'>('good'));
    await ctx.property(fc.record({ entries: fc.array(entry, { minLength: 1, maxLength: 10 }), cuts: fc.array(fc.integer({ min: 1, max: 999 }), { maxLength: 6 }) }),
      (example, { entries, cuts }) => runBadLines(example, entries, (length) => cutsAt(cuts, length)));
  },
};

// [CHAT-LINE-4] The line limit.

/** `prefix` then `tag` and padding (2-byte characters, one ASCII byte if needed) to exactly `bytes` bytes. */
function padTo(prefix: string, tag: string, bytes: number): { line: string; data: string } {
  const room = bytes - Buffer.byteLength(prefix + tag, 'utf8');
  const data = tag + 'é'.repeat(Math.floor(room / 2)) + (room % 2 === 1 ? 'x' : '');
  return { line: prefix + data, data };
}

const tooLong: CheckDefinition = {
  id: 'chat.line.too-long',
  level: 'MUST',
  requirements: ['CHAT-LINE-4', 'CHAT-LINE-7', 'CHAT-LINE-1'],
  requirement: 'A server MUST accept lines of up to --max-line bytes, counted without the terminator; a longer line MUST be discarded up to and including its LF, and the connection kept open.',
  description: 'lines of exactly the limit (LF and CRLF) delivered; lines one byte over it and far over it, with a full SEND after the limit, deliver nothing; the next line is handled; an over-long last line ended by a half-close delivers nothing',
  allows: 'the limit is the profile\'s (--max-line); the lines are counted in bytes, padded with 2-byte characters',
  malformed: true,
  async run(ctx) {
    const limit = ctx.profile.maxLineBytes;
    const receiver = await logIn(ctx, 'receiver');
    const sender = await logIn(ctx, 'sender');
    const prefix = `${P} SEND ${receiver.name} `;
    const injected = (n: number): string => `${P} SEND ${receiver.name} injected ${n}`;
    if (Buffer.byteLength(prefix, 'utf8') + 16 > limit) throw new CheckSkipped(`a ${limit}-byte line limit leaves no room for a SEND`);
    const exact = padTo(prefix, 'exact-lf ', limit);
    const exactCrlf = padTo(prefix, 'exact-crlf ', limit);
    const over = padTo(prefix, 'over ', limit + 1);
    const first = Buffer.from([
      `${exact.line}\n`,
      `${exactCrlf.line}\r\n`,
      `${over.line}\n`,
      // A server that cuts lines at its buffer (the original) would read the rest as a line.
      `${padTo(prefix, 'cut ', limit).line}${injected(1)}\n`,
      `${padTo(prefix, 'cut+1 ', limit + 1).line}${injected(2)}\n`,
    ].join(''), 'utf8');
    sender.peer.write(first, `lines of ${limit} bytes (LF, CRLF), of ${limit + 1} bytes, and two over the limit with a SEND at byte ${limit} and ${limit + 1}`);
    // 16 times the limit, written in pieces cut at its multiples, each piece but the first a full
    // SEND: a server reading the line piece by piece must not start a line at any of them. Its LF alone.
    const segments = Array.from({ length: 16 }, (_, i) => (i === 0 ? padTo(prefix, 'huge ', limit) : padTo(`${injected(i + 2)} `, '', limit)).line);
    const huge = Buffer.from(`${segments.join('')}\n`, 'utf8');
    await sender.peer.writePieces(Buffer.concat([huge, Buffer.from(formatChatLine({ command: 'SEND', name: receiver.name, data: 'after' }), 'utf8')]),
      [...Array.from({ length: 16 }, (_, i) => (i + 1) * limit), huge.length - 1], `a ${huge.length - 1}-byte line with SENDs inside, then "SEND ${receiver.name} after"`);
    await sync(sender);
    await expectFrom(receiver, sender.name, [exact.data, exactCrlf.data, 'after'], `the ${limit}-byte lines and the line after the long ones`);
    // An over-long last line ended by a half-close is discarded too [CHAT-LINE-1]; the server
    // closes its side after the FIN [CHAT-LOGOUT-2, IM-CONN-2], and is done with the line by then.
    const tail = await logIn(ctx, 'tail');
    tail.peer.sendRaw(`${padTo(`${P} SEND ${receiver.name} `, 'tail ', limit).line}${injected(99)}`);
    tail.peer.halfClose();
    await tail.peer.closedWithin('the server to close its side after the FIN that ended an over-long last line');
    expectNoLeftovers(tail, 'an over-long last line is not answered');
    await expectQuiet([sender], [receiver], 'lines over the limit are discarded whole, nothing after the limit is read as a line');
  },
};

const receiveFromClient: CheckDefinition = {
  id: 'chat.line.receive-from-client',
  level: 'MUST',
  requirements: ['CHAT-LINE-8'],
  requirement: 'A server MUST discard a RECEIVE line from a client, delivering nothing, before or after LOGIN.',
  description: 'RECEIVE lines naming the receiver and the sender, sent before and after LOGIN: nothing delivered or echoed, both connections still work',
  malformed: true,
  async run(ctx) {
    const receiver = await logIn(ctx, 'receiver');
    const early = await ctx.chat('early');
    early.sendRaw(`${P} RECEIVE ${receiver.name} before login\n`);
    const sender = await logIn(ctx, 'sender');
    sender.peer.sendRaw(`${P} RECEIVE ${receiver.name} after login\n${P} RECEIVE ${sender.name} to itself\n`);
    const earlyUser = loginAs(early, ctx.name('early'));
    await expectQuiet([sender, earlyUser], [receiver], 'a RECEIVE from a client is discarded');
  },
};

export const CHAT_LINE_CHECKS: readonly CheckDefinition[] = [
  splitAnywhere, severalPerWrite, crlf, serverLf, lastWithoutNewline, malformedKeptOpen, tooLong, receiveFromClient,
];

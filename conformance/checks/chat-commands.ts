// CHAT/1.0 commands [CHAT-LOGIN-*, CHAT-LOGOUT-1, CHAT-SEND-*, CHAT-GROUP-*]: no command has a reply,
// so each check sees a command's effect only through the RECEIVE lines it causes, and sees the
// absence of an effect through syncs, SENDs to oneself (sender first, then every connection that
// must not have received), followed by no line left untaken, never through a sleep [D-CONFORM]. A
// sender is synced before its receivers are awaited, so a server that closed it is a FAIL that says
// so, not a TIMEOUT. Names are fresh per check and per example (ctx.name), so checks never see each
// other's lines.
import fc from 'fast-check';
import { formatChatLine } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import { expectFrom, expectNoLeftovers, expectQuiet, logIn, loginAs, sync, type ChatUser } from './chat-lines.js';

const P = 'CHAT/1.0';

// [CHAT-SEND-1, CHAT-LINE-6] Data is carried byte for byte.

/** One printable ASCII character. */
const ascii = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
/** Characters lenient servers and clients get wrong: controls, NUL, BOM, separators, astral ones. */
const awkward = fc.constantFrom('\t', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\ufeff', '\ufffd', '\uffff',
  'é', '日', '😀', '\u{10ffff}', '\u{1f468}\u200d\u{1f469}', '"', '\\', '%s', 'CHAT/1.0');
/** Any code point but a lone surrogate (fast-check's `binary` unit). */
const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** A name's characters: anything but space, CR and LF [CHAT-LINE-2]. */
const nameChar = fc.oneof({ weight: 3, arbitrary: ascii }, { weight: 2, arbitrary: awkward }, { weight: 2, arbitrary: anyCodePoint })
  .filter((c) => !/[ \r\n]/.test(c));
/** Appended to a unique prefix: the name varies, and stays unique. May be empty. */
const arbNameSuffix = fc.string({ unit: nameChar, maxLength: 8 });

const dataChar = fc.oneof({ weight: 4, arbitrary: nameChar }, { weight: 2, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constant('\r') });

/**
 * Data: anything but LF, not ending in CR; spaces and CRs frequent, leading and trailing spaces, may
 * be empty; short mostly, sometimes hundreds of characters.
 */
const arbData = fc
  .tuple(
    fc.constantFrom('', ' ', '  '),
    fc.oneof({ weight: 3, arbitrary: fc.string({ unit: dataChar, maxLength: 40 }) }, { weight: 1, arbitrary: fc.string({ unit: dataChar, minLength: 40, maxLength: 300 }) }),
    fc.constantFrom('', ' ', '  '),
  )
  .map(([lead, body, trail]) => {
    const data = lead + body + trail;
    return data.endsWith('\r') ? `${data}.` : data;
  });

/** Data fixed for every run: the cases a property with few examples might miss. */
const FIXED_DATA = ['', ' ', '   ', ' leading', 'trailing ', 'two  spaces', '\ttabs\t', 'cr\rinside', '\r\rcr first', `${P} SEND someone injected`,
  '\u0000nul', 'é日😀\u{10ffff}', '\ufeffbom', 'line\u2028separator', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}'];

/** `data` cut (at a code point) so that the SEND and the RECEIVE carrying it fit in `limit` bytes. */
function fitted(data: string, from: string, to: string, limit: number): string {
  const longest = Math.max(Buffer.byteLength(`${P} SEND ${to} `), Buffer.byteLength(`${P} RECEIVE ${from} `));
  let out = '';
  for (const ch of data) {
    if (Buffer.byteLength(out + ch) + longest > limit) break;
    out += ch;
  }
  while (out.endsWith('\r')) out = out.slice(0, -1);
  return out;
}

/** Separates the unique prefix from the arbitrary suffix: ctx.name never holds a dot. */
const uniqueName = (ctx: CheckContext, tag: string, suffix: string): string => `${ctx.name(tag)}.${suffix}`;

async function runExactData(ctx: CheckContext, fromSuffix: string, toSuffix: string, datas: readonly string[]): Promise<void> {
  const receiver = await logIn(ctx, 'receiver', uniqueName(ctx, 'to', toSuffix));
  const sender = await logIn(ctx, 'sender', uniqueName(ctx, 'from', fromSuffix));
  const sent = datas.map((d) => fitted(d, sender.name, receiver.name, ctx.profile.maxLineBytes));
  for (const data of sent) sender.peer.send({ command: 'SEND', name: receiver.name, data });
  await sync(sender);
  await expectFrom(receiver, sender.name, sent, 'RECEIVE lines repeating the sender\'s name and data byte for byte');
  await expectQuiet([sender], [receiver], 'each SEND is delivered once, and the sender gets nothing else');
}

const exactData: CheckDefinition = {
  id: 'chat.send.exact-data',
  level: 'MUST',
  requirements: ['CHAT-SEND-1', 'CHAT-LINE-6'],
  requirement: 'SEND name data MUST deliver CHAT/1.0 RECEIVE sender data to every connection logged in under name, with data byte-identical (possibly empty).',
  description: 'fixed awkward data, then a property over names (any character but space, CR, LF) and data (spaces, empty, CR inside, any UTF-8 incl. astral): RECEIVE from data exactly, once',
  async run(ctx) {
    await runExactData(ctx, '\té😀', '\u0000日', FIXED_DATA);
    await ctx.property(fc.record({ from: arbNameSuffix, to: arbNameSuffix, datas: fc.array(arbData, { minLength: 1, maxLength: 6 }) }),
      (example, { from, to, datas }) => runExactData(example, from, to, datas));
  },
};

const nobodyThere: CheckDefinition = {
  id: 'chat.send.nobody-there',
  level: 'MUST',
  requirements: ['CHAT-SEND-2'],
  requirement: 'When no connection is logged in under name, the SEND is dropped: nothing is stored or answered, the sender stays connected.',
  description: 'SENDs to a name nobody uses: the sender stays connected and gets nothing; a later LOGIN under that name gets nothing either (no storage)',
  async run(ctx) {
    const sender = await logIn(ctx, 'sender');
    const nobody = ctx.name('nobody');
    sender.peer.send({ command: 'SEND', name: nobody, data: 'to nobody' });
    sender.peer.send({ command: 'SEND', name: nobody, data: '' });
    await sync(sender);
    const late = await logIn(ctx, 'late', nobody);
    await expectQuiet([sender], [late], 'a SEND to nobody is dropped, not stored');
  },
};

const order: CheckDefinition = {
  id: 'chat.send.order',
  level: 'MUST',
  requirements: ['CHAT-SEND-3'],
  requirement: 'A server handles one connection\'s lines in order, and every receiver gets the RECEIVE lines in the order the server handled the commands.',
  description: '50 SENDs, each its own write, to a name logged in on two connections: both get them in order, once',
  async run(ctx) {
    const first = await logIn(ctx, 'receiver1');
    const second = await logIn(ctx, 'receiver2', first.name);
    const sender = await logIn(ctx, 'sender');
    const datas = Array.from({ length: 50 }, (_, i) => `message ${i + 1}`);
    for (const data of datas) sender.peer.send({ command: 'SEND', name: first.name, data });
    await sync(sender);
    await expectFrom(first, sender.name, datas, 'SENDs in the order sent');
    await expectFrom(second, sender.name, datas, 'SENDs in the order sent');
    await expectQuiet([sender], [first, second], 'each SEND is delivered once');
  },
};

// [CHAT-LOGIN-1, CHAT-LOGIN-2] Names.

const beforeLogin: CheckDefinition = {
  id: 'chat.login.before-login',
  level: 'MUST',
  requirements: ['CHAT-LOGIN-2'],
  requirement: 'Before a connection\'s LOGIN, SEND, GROUP, LEAVE and BROADCAST MUST be discarded without effect; the connection stays open and may log in later.',
  description: 'SEND, GROUP, LEAVE and BROADCAST before LOGIN: nothing delivered, no group created; the connection then logs in and works',
  async run(ctx) {
    const receiver = await logIn(ctx, 'receiver');
    const group = ctx.name('group');
    const peer = await ctx.chat('early');
    peer.send({ command: 'SEND', name: receiver.name, data: 'before login' });
    peer.send({ command: 'GROUP', group, members: [receiver.name] });
    peer.send({ command: 'BROADCAST', group, data: 'broadcast before login' });
    peer.send({ command: 'LEAVE', group });
    peer.send({ command: 'SEND', name: receiver.name, data: '' });
    const early = loginAs(peer, ctx.name('early'));
    await expectQuiet([early], [receiver], 'commands before LOGIN are discarded');
    // Had the early GROUP created the group with the receiver in it, this would reach the receiver.
    early.peer.send({ command: 'BROADCAST', group, data: 'to the group the early GROUP named' });
    await expectQuiet([early], [receiver], 'a GROUP before LOGIN creates no group');
    early.peer.send({ command: 'SEND', name: receiver.name, data: 'after login' });
    await sync(early);
    await expectFrom(receiver, early.name, ['after login'], 'a SEND once logged in');
  },
};

const rename: CheckDefinition = {
  id: 'chat.login.rename',
  level: 'MUST',
  requirements: ['CHAT-LOGIN-1'],
  requirement: 'A second LOGIN renames the connection: it receives only as the new name and its lines come from it; the old name\'s other connections are unaffected, and group memberships do not move.',
  description: 'a connection in a group logs in again under a new name: SENDs to the old name reach only its other connection, to the new name the renamed one, its SENDs come from the new name, the group\'s BROADCAST reaches the old name',
  async run(ctx) {
    const renamed = await logIn(ctx, 'renamed');
    const oldName = renamed.name;
    const stays = await logIn(ctx, 'stays', oldName);
    const other = await logIn(ctx, 'other');
    const group = ctx.name('group');
    renamed.peer.send({ command: 'GROUP', group, members: [] });
    const newName = ctx.name('newname');
    const now = loginAs(renamed.peer, newName);
    await sync(now); // a SEND to the new name, from the new name
    other.peer.send({ command: 'SEND', name: oldName, data: 'to the old name' });
    other.peer.send({ command: 'SEND', name: newName, data: 'to the new name' });
    other.peer.send({ command: 'BROADCAST', group, data: 'to the group' });
    await sync(other);
    await expectFrom(stays, other.name, ['to the old name', 'to the group'], 'the old name\'s other connection, still in the group');
    await expectFrom(now, other.name, ['to the new name'], 'the renamed connection');
    now.peer.send({ command: 'SEND', name: other.name, data: 'from the new name' });
    await sync(now);
    await expectFrom(other, newName, ['from the new name'], 'a SEND after the rename');
    await expectQuiet([other, now], [stays], 'the renamed connection no longer receives as the old name');
  },
};

const sameNameTwice: CheckDefinition = {
  id: 'chat.login.same-name-twice',
  level: 'MUST',
  requirements: ['CHAT-LOGIN-1', 'CHAT-SEND-1'],
  requirement: 'Any number of connections MAY be logged in under one name, and each receives what is sent to that name, the sender\'s own connections included.',
  description: 'two connections under one name: a SEND from another name reaches both, a SEND from one of them to its own name reaches both',
  async run(ctx) {
    const first = await logIn(ctx, 'first');
    const second = await logIn(ctx, 'second', first.name);
    const other = await logIn(ctx, 'other');
    other.peer.send({ command: 'SEND', name: first.name, data: 'to both' });
    await sync(other);
    await expectFrom(first, other.name, ['to both'], 'the first connection of the name');
    await expectFrom(second, other.name, ['to both'], 'the second connection of the name');
    first.peer.send({ command: 'SEND', name: first.name, data: 'to itself' });
    await sync(first);
    await expectFrom(first, first.name, ['to itself'], 'the sending connection, as its name\'s');
    await expectFrom(second, first.name, ['to itself'], 'the sender\'s other connection');
    await expectQuiet([other, first], [second], 'each connection of the name gets each line once');
  },
};

// [CHAT-LOGOUT-1]

const logoutCloses: CheckDefinition = {
  id: 'chat.logout.closes',
  level: 'MUST',
  requirements: ['CHAT-LOGOUT-1'],
  requirement: 'LOGOUT ends the session: the server closes the connection after flushing what is queued for it, logged in or not. Lines after LOGOUT, even in the same segment, are not handled.',
  description: 'LOGIN, a SEND to itself, a SEND, LOGOUT and another SEND in one write: it gets its own line, then the close; the SEND after LOGOUT is not delivered; LOGOUT before LOGIN closes too',
  async run(ctx) {
    const receiver = await logIn(ctx, 'receiver');
    const peer = await ctx.chat('leaving');
    const name = ctx.name('leaving');
    const line = (data: string, to = receiver.name): string => formatChatLine({ command: 'SEND', name: to, data });
    peer.sendRaw(`${P} LOGIN ${name}\n${line('queued before LOGOUT', name)}${line('before LOGOUT')}${P} LOGOUT\n${line('after LOGOUT')}`);
    await peer.expectReceive(name, 'queued before LOGOUT');
    await peer.closedWithin('the server to close the connection after LOGOUT');
    await expectFrom(receiver, name, ['before LOGOUT'], 'the SEND before LOGOUT');
    await expectQuiet([], [receiver], 'the line after LOGOUT is not handled');
    const leaving: ChatUser = { peer, name };
    expectNoLeftovers(leaving, 'the closed connection got only its own line');
    const anonymous = await ctx.chat('anonymous');
    anonymous.send({ command: 'LOGOUT' });
    await anonymous.closedWithin('the server to close a connection that sends LOGOUT before LOGIN');
  },
};

// [CHAT-GROUP-1..3] Groups.

const groupBroadcast: CheckDefinition = {
  id: 'chat.group.broadcast',
  level: 'MUST',
  requirements: ['CHAT-GROUP-1', 'CHAT-GROUP-3'],
  requirement: 'GROUP adds the sender\'s name and every listed name; BROADCAST MUST deliver RECEIVE sender data to every connection of every member name except the sender\'s name: neither the sending connection nor the sender\'s other connections.',
  description: 'GROUP by a name logged in twice, listing a name on two connections, one listed twice and one offline: BROADCASTs by the creator, a member and an outsider reach exactly the other members\' connections, once each',
  async run(ctx) {
    const creator = await logIn(ctx, 'creator');
    const creator2 = await logIn(ctx, 'creator2', creator.name);
    const member = await logIn(ctx, 'member');
    const member2 = await logIn(ctx, 'member2', member.name);
    const single = await logIn(ctx, 'single');
    const outsider = await logIn(ctx, 'outsider');
    const group = ctx.name('group');
    creator.peer.send({ command: 'GROUP', group, members: [member.name, single.name, ctx.name('offline'), single.name] });
    creator.peer.send({ command: 'BROADCAST', group, data: 'from the creator' });
    await sync(creator);
    for (const u of [member, member2, single]) await expectFrom(u, creator.name, ['from the creator'], 'a member\'s connection');
    await expectQuiet([creator], [creator2, outsider], 'BROADCAST skips every connection of the sender\'s name and non-members');
    // The creator is a member although it did not list itself [CHAT-GROUP-1].
    member.peer.send({ command: 'BROADCAST', group, data: 'from a member' });
    await sync(member);
    for (const u of [creator, creator2, single]) await expectFrom(u, member.name, ['from a member'], 'a member\'s connection');
    await expectQuiet([member], [member2, outsider], 'BROADCAST skips every connection of the sender\'s name');
    // The sender need not be a member [CHAT-GROUP-3].
    outsider.peer.send({ command: 'BROADCAST', group, data: 'from outside' });
    await sync(outsider);
    for (const u of [creator, creator2, member, member2, single]) await expectFrom(u, outsider.name, ['from outside'], 'a member\'s connection');
    outsider.peer.send({ command: 'BROADCAST', group: ctx.name('nogroup'), data: 'to no group' });
    await expectQuiet([outsider], [creator, creator2, member, member2, single], 'each member connection gets each BROADCAST once; one to no group is dropped');
  },
};

const joinExisting: CheckDefinition = {
  id: 'chat.group.join-existing',
  level: 'MUST',
  requirements: ['CHAT-GROUP-1'],
  requirement: 'On an existing group GROUP adds the sender\'s name and every listed name too, whoever sends it.',
  description: 'a second GROUP on an existing group, sent by a non-member: it and the names it lists join; the first members stay',
  async run(ctx) {
    const creator = await logIn(ctx, 'creator');
    const first = await logIn(ctx, 'first');
    const joiner = await logIn(ctx, 'joiner');
    const listed = await logIn(ctx, 'listed');
    const outsider = await logIn(ctx, 'outsider');
    const group = ctx.name('group');
    creator.peer.send({ command: 'GROUP', group, members: [first.name] });
    await sync(creator);
    joiner.peer.send({ command: 'GROUP', group, members: [listed.name, first.name] });
    await sync(joiner);
    outsider.peer.send({ command: 'BROADCAST', group, data: 'to the grown group' });
    await sync(outsider);
    for (const u of [creator, first, joiner, listed]) await expectFrom(u, outsider.name, ['to the grown group'], 'a member of the grown group');
    await expectQuiet([outsider], [creator, first, joiner, listed], 'each member gets the BROADCAST once');
  },
};

const leave: CheckDefinition = {
  id: 'chat.group.leave',
  level: 'MUST',
  requirements: ['CHAT-GROUP-2'],
  requirement: 'LEAVE group removes the sender\'s name from the group. LEAVE of a group that does not exist, or of which the name is not a member, does nothing.',
  description: 'after LEAVE the name no longer gets the group\'s BROADCASTs, on any of its connections; LEAVE by a non-member and of no group changes nothing',
  async run(ctx) {
    const creator = await logIn(ctx, 'creator');
    const leaver = await logIn(ctx, 'leaver');
    const leaver2 = await logIn(ctx, 'leaver2', leaver.name);
    const stays = await logIn(ctx, 'stays');
    const outsider = await logIn(ctx, 'outsider');
    const group = ctx.name('group');
    creator.peer.send({ command: 'GROUP', group, members: [leaver.name, stays.name] });
    await sync(creator);
    leaver.peer.send({ command: 'LEAVE', group });
    outsider.peer.send({ command: 'LEAVE', group });
    outsider.peer.send({ command: 'LEAVE', group: ctx.name('nogroup') });
    await expectQuiet([leaver, outsider], [], 'LEAVE has no answer');
    creator.peer.send({ command: 'BROADCAST', group, data: 'after the LEAVE' });
    await sync(creator);
    await expectFrom(stays, creator.name, ['after the LEAVE'], 'a member that did not leave');
    await expectQuiet([creator], [stays, leaver, leaver2, outsider], 'the name that left gets nothing on any connection; a LEAVE by a non-member removed no one');
  },
};

export const CHAT_COMMAND_CHECKS: readonly CheckDefinition[] = [
  exactData, nobodyThere, order, beforeLogin, rename, sameNameTwice, logoutCloses, groupBroadcast, joinExisting, leave,
];

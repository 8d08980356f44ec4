// CHAT/1.0 bad input against the real reference server: discarded, never answered, never fatal,
// logged once per connection per kind [D-CHATLINE, CHAT-LOGIN-2].
import { describe, expect, it } from 'vitest';
import type { ChatClient } from '../../client/chat-client.js';
import { chatServerPerTest, connectionLogs, inbox, roundTrip, type ChatUser } from './chat-steps.js';

const bench = chatServerPerTest();

/** Every byte the server sends to `client` from now on (ChatClient.received drops lines it cannot parse). */
function captureRaw(client: ChatClient): () => string {
  const chunks: Buffer[] = [];
  client.socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('latin1');
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** Each line is sent without its `\n`; the table says which kind of error the server should log. */
const BAD_LINES: { name: string; line: Buffer; kind: RegExp }[] = [
  { name: 'wrong version CHAT/1.1', line: text('CHAT/1.1 SEND bob hi'), kind: /INVALID_MESSAGE/ },
  { name: 'wrong version CHAT/2.0', line: text('CHAT/2.0 LOGIN bob'), kind: /INVALID_MESSAGE/ },
  { name: 'wrong protocol', line: text('HTTP/1.1 SEND bob hi'), kind: /INVALID_MESSAGE/ },
  { name: 'lower-case protocol', line: text('chat/1.0 SEND bob hi'), kind: /INVALID_MESSAGE/ },
  { name: 'leading space', line: text(' CHAT/1.0 SEND bob hi'), kind: /INVALID_MESSAGE/ },
  { name: 'lower-case command', line: text('CHAT/1.0 send bob hi'), kind: /UNSUPPORTED_COMMAND/ },
  { name: 'mixed-case command', line: text('CHAT/1.0 Send bob hi'), kind: /UNSUPPORTED_COMMAND/ },
  { name: 'lower-case logout', line: text('CHAT/1.0 logout'), kind: /UNSUPPORTED_COMMAND/ },
  { name: 'unknown command', line: text('CHAT/1.0 WHISPER bob hi'), kind: /UNSUPPORTED_COMMAND/ },
  { name: 'no command', line: text('CHAT/1.0'), kind: /INVALID_MESSAGE/ },
  { name: 'empty command', line: text('CHAT/1.0 '), kind: /INVALID_MESSAGE/ },
  { name: 'two spaces after the protocol', line: text('CHAT/1.0  SEND bob hi'), kind: /INVALID_MESSAGE/ },
  { name: 'SEND without data or its space', line: text('CHAT/1.0 SEND bob'), kind: /INVALID_MESSAGE/ },
  { name: 'SEND without arguments', line: text('CHAT/1.0 SEND'), kind: /INVALID_MESSAGE/ },
  { name: 'SEND with an empty name', line: text('CHAT/1.0 SEND  bob hi'), kind: /INVALID_MESSAGE/ },
  { name: 'SEND whose data ends in a second \\r', line: text('CHAT/1.0 SEND bob hi\r\r'), kind: /INVALID_MESSAGE/ },
  { name: 'BROADCAST without data', line: text('CHAT/1.0 BROADCAST team'), kind: /INVALID_MESSAGE/ },
  { name: 'LOGIN without a name', line: text('CHAT/1.0 LOGIN'), kind: /INVALID_MESSAGE/ },
  { name: 'LOGIN with an extra field', line: text('CHAT/1.0 LOGIN carol extra'), kind: /INVALID_MESSAGE/ },
  { name: 'LOGOUT with an extra field', line: text('CHAT/1.0 LOGOUT now'), kind: /INVALID_MESSAGE/ },
  { name: 'LEAVE with an extra field', line: text('CHAT/1.0 LEAVE team extra'), kind: /INVALID_MESSAGE/ },
  { name: 'GROUP without a group', line: text('CHAT/1.0 GROUP'), kind: /INVALID_MESSAGE/ },
  { name: 'GROUP with an empty member', line: text('CHAT/1.0 GROUP team  bob'), kind: /INVALID_MESSAGE/ },
  { name: 'empty line', line: text(''), kind: /INVALID_MESSAGE/ },
  { name: 'a lone \\r', line: text('\r'), kind: /INVALID_MESSAGE/ },
  { name: 'invalid UTF-8 in the data', line: bytes('CHAT/1.0 SEND bob ', [0xff, 0xfe]), kind: /INVALID_UTF8/ },
  { name: 'overlong UTF-8 encoding', line: bytes('CHAT/1.0 SEND bob ', [0xc0, 0xaf]), kind: /INVALID_UTF8/ },
  { name: 'UTF-16 surrogate in UTF-8', line: bytes('CHAT/1.0 SEND bob ', [0xed, 0xa0, 0x80]), kind: /INVALID_UTF8/ },
  { name: 'truncated UTF-8 sequence', line: bytes('CHAT/1.0 SEND bob caf', [0xc3]), kind: /INVALID_UTF8/ },
  { name: 'invalid UTF-8 in the name', line: bytes('CHAT/1.0 LOGIN ', [0x80]), kind: /INVALID_UTF8/ },
];

/** Lines of `user`'s connection that report a discarded line. */
const discardLogs = (user: ChatUser): string[] => connectionLogs(bench.server, user.client).filter((l) => l.includes('discarded'));

/** alice and bob logged in, and every byte alice receives from now on. */
async function aliceAndBob(): Promise<{ alice: ChatUser; bob: ChatUser; aliceRaw: () => string }> {
  const alice = await bench.login('alice');
  const bob = await bench.login('bob');
  return { alice, bob, aliceRaw: captureRaw(alice.client) };
}

/** After alice's bad lines: bob got nothing but the round trip, alice got nothing but bob's answer. */
async function expectNothingHappened(alice: ChatUser, bob: ChatUser, aliceRaw: () => string): Promise<void> {
  const token = await roundTrip(alice, bob);
  const back = await roundTrip(bob, alice);
  expect(inbox(bob.client)).toEqual([`alice: ${token}`]);
  expect(aliceRaw()).toBe(`CHAT/1.0 RECEIVE bob ${back}\n`);
  expect(alice.client.closed).toBe(false);
}

describe('CHAT/1.0 bad lines', () => {
  it.each(BAD_LINES)('$name: 50 of them are discarded silently, logged once, and the connection stays usable', async ({ line, kind }) => {
    const { alice, bob, aliceRaw } = await aliceAndBob();
    const fifty = Buffer.concat(Array.from({ length: 50 }, () => Buffer.concat([line, text('\n')])));
    alice.client.sendRaw(fifty);
    await expectNothingHappened(alice, bob, aliceRaw);
    expect(discardLogs(alice)).toHaveLength(1);
    expect(discardLogs(alice)[0]).toMatch(kind);
    expect(discardLogs(alice)[0]).toContain('logged once per connection');
  });

  it('each kind of bad line is logged once, however they interleave', async () => {
    const { alice, bob, aliceRaw } = await aliceAndBob();
    const kinds = [
      text('HTTP/1.1 GET /\n'),
      text('CHAT/1.0 WHISPER bob hi\n'),
      bytes('CHAT/1.0 SEND bob ', [0xff], '\n'),
      text(`CHAT/1.0 SEND bob ${'x'.repeat(5000)}\n`),
      text('CHAT/1.0 RECEIVE bob spoofed\n'),
    ];
    for (let i = 0; i < 20; i++) alice.client.sendRaw(Buffer.concat(kinds));
    await expectNothingHappened(alice, bob, aliceRaw);
    const logs = discardLogs(alice);
    expect(logs).toHaveLength(5);
    for (const pattern of [/INVALID_MESSAGE/, /UNSUPPORTED_COMMAND/, /INVALID_UTF8/, /over the 4096-byte limit/, /discarded RECEIVE/]) {
      expect(logs.filter((l) => pattern.test(l)), `${pattern}`).toHaveLength(1);
    }
  });

  it('the once-per-kind log is per connection: a second connection sending the same bad line is logged again', async () => {
    const { alice, bob, aliceRaw } = await aliceAndBob();
    const alice2 = await bench.login('alice');
    const carol = await bench.login('carol');
    alice.client.sendRaw('CHAT/1.0 WHISPER bob hi\n');
    alice2.client.sendRaw('CHAT/1.0 WHISPER bob hi\n');
    await roundTrip(alice2, carol);
    await expectNothingHappened(alice, bob, aliceRaw);
    expect(discardLogs(alice)).toHaveLength(1);
    expect(discardLogs(alice2)).toHaveLength(1);
  });

  it('a bad line in the middle of a write does not disturb the good lines around it', async () => {
    const { alice, bob } = await aliceAndBob();
    alice.client.sendRaw('CHAT/1.0 SEND bob one\nCHAT/1.0 send bob lower\nCHAT/1.0 SEND bob two\n\nCHAT/1.0 SEND bob three\n');
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: one', 'alice: two', 'alice: three', `alice: ${token}`]);
  });
});

describe('CHAT/1.0 commands before LOGIN', () => {
  it('SEND, GROUP, LEAVE and BROADCAST before LOGIN are discarded, logged once, and the connection stays open', async () => {
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    bob.client.send({ command: 'GROUP', group: 'team', members: ['carol'] });
    await roundTrip(bob, carol);
    const early = await bench.connect();
    for (let i = 0; i < 10; i++) {
      early.send({ command: 'SEND', name: 'bob', data: `early ${i}` });
      early.send({ command: 'GROUP', group: 'early-group', members: ['bob'] });
      early.send({ command: 'BROADCAST', group: 'team', data: `early broadcast ${i}` });
      early.send({ command: 'LEAVE', group: 'team' });
    }
    const raw = captureRaw(early);
    const late = { client: early, name: 'late' };
    early.send({ command: 'LOGIN', name: 'late' });
    const toBob = await roundTrip(late, bob);
    const toCarol = await roundTrip(late, carol);
    expect(inbox(bob.client)).toEqual([`late: ${toBob}`]);
    expect(inbox(carol.client).slice(1)).toEqual([`late: ${toCarol}`]);
    const before = connectionLogs(bench.server, early).filter((l) => l.includes('before LOGIN'));
    expect(before).toHaveLength(1);
    // The early GROUP created nothing.
    bob.client.send({ command: 'BROADCAST', group: 'early-group', data: 'exists?' });
    const back = await roundTrip(bob, late);
    expect(raw()).toBe(`CHAT/1.0 RECEIVE bob ${back}\n`);
    expect(connectionLogs(bench.server, bob.client).some((l) => l.includes('BROADCAST to early-group, which does not exist'))).toBe(true);
  });

  it('a client sending RECEIVE is discarded and logged once; nobody receives it, and the connection stays open', async () => {
    const { alice, bob, aliceRaw } = await aliceAndBob();
    for (let i = 0; i < 10; i++) alice.client.send({ command: 'RECEIVE', from: 'bob', data: `spoofed ${i}` });
    alice.client.sendRaw('CHAT/1.0 RECEIVE alice to myself\n');
    await expectNothingHappened(alice, bob, aliceRaw);
    const logs = connectionLogs(bench.server, alice.client).filter((l) => l.includes('discarded RECEIVE'));
    expect(logs).toHaveLength(1);
  });

  it('RECEIVE before LOGIN is discarded too, and the connection can still log in', async () => {
    const bob = await bench.login('bob');
    const early = await bench.connect();
    early.send({ command: 'RECEIVE', from: 'bob', data: 'spoofed' });
    const late = { client: early, name: 'late' };
    early.send({ command: 'LOGIN', name: 'late' });
    const token = await roundTrip(late, bob);
    expect(inbox(bob.client)).toEqual([`late: ${token}`]);
    expect(connectionLogs(bench.server, early).filter((l) => l.includes('discarded RECEIVE'))).toHaveLength(1);
  });
});

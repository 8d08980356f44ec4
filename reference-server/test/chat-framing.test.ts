// CHAT/1.0 framing over real sockets: terminators, any chunking, many lines per write, and the line
// length limit [CHAT-LINE-1, CHAT-LINE-4, D-CHATLINE].
import { describe, expect, it } from 'vitest';
import {
  chatServerPerTest, connectionLogs, inbox, loginOn, roundTrip, write, writeInPieces, type ChatBench, type ChatUser,
} from './chat-steps.js';

/** Writes `text` one byte per socket write, each handed to the kernel before the next. */
async function byteByByte(user: ChatUser, text: string | Buffer): Promise<void> {
  await writeInPieces(user.client, typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 1);
}

async function pair(bench: ChatBench): Promise<{ alice: ChatUser; bob: ChatUser }> {
  return { alice: await bench.login('alice'), bob: await bench.login('bob') };
}

describe('CHAT/1.0 terminators and chunking', () => {
  const bench = chatServerPerTest();

  it('accepts \\r\\n as a terminator, and the \\r is not part of the data', async () => {
    const { alice, bob } = await pair(bench);
    alice.client.sendRaw('CHAT/1.0 SEND bob crlf line\r\nCHAT/1.0 SEND bob lf line\n');
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: crlf line', 'alice: lf line', `alice: ${token}`]);
  });

  it('a LOGIN ended by \\r\\n logs in under the name without the \\r', async () => {
    const bob = await bench.login('bob');
    const client = await bench.connect();
    client.sendRaw('CHAT/1.0 LOGIN carol\r\n');
    await bench.server.logged(/logged in as carol$/);
    const token = await roundTrip(bob, { client, name: 'carol' });
    expect(inbox(client)).toEqual([`bob: ${token}`]);
  });

  it('keeps a \\r inside the data', async () => {
    const { alice, bob } = await pair(bench);
    alice.client.sendRaw('CHAT/1.0 SEND bob a\rb\r\n');
    await bob.client.until((c) => c.received.length === 1);
    expect(inbox(bob.client)).toEqual(['alice: a\rb']);
  });

  it('assembles lines written one byte at a time, \\n and \\r\\n alike', async () => {
    const bob = await bench.login('bob');
    const client = await bench.connect();
    const alice = { client, name: 'alice' };
    await byteByByte(alice, 'CHAT/1.0 LOGIN alice\n');
    await byteByByte(alice, 'CHAT/1.0 SEND bob one byte at a time\r\n');
    await byteByByte(alice, 'CHAT/1.0 SEND bob  héllo wörld ✓\n');
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: one byte at a time', 'alice:  héllo wörld ✓', `alice: ${token}`]);
  });

  it('assembles a multi-byte UTF-8 character split across writes', async () => {
    const { alice, bob } = await pair(bench);
    const line = Buffer.from('CHAT/1.0 SEND bob 😀\n', 'utf8');
    const at = line.indexOf(0xf0) + 2;
    await write(alice.client, line.subarray(0, at));
    await write(alice.client, line.subarray(at));
    await bob.client.until((c) => c.received.length === 1);
    expect(inbox(bob.client)).toEqual(['alice: 😀']);
  });

  it('handles many lines in one write, in order', async () => {
    const { alice, bob } = await pair(bench);
    const lines = Array.from({ length: 500 }, (_, i) => `CHAT/1.0 SEND bob message ${i}\n`).join('');
    alice.client.sendRaw(lines);
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual([...Array.from({ length: 500 }, (_, i) => `alice: message ${i}`), `alice: ${token}`]);
  });

  it('handles lines cut at odd offsets across writes', async () => {
    const { alice, bob } = await pair(bench);
    const stream = Buffer.from(Array.from({ length: 20 }, (_, i) => `CHAT/1.0 SEND bob piece ${i}\r\n`).join(''), 'utf8');
    await writeInPieces(alice.client, stream, 7);
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual([...Array.from({ length: 20 }, (_, i) => `alice: piece ${i}`), `alice: ${token}`]);
  });
});

describe('CHAT/1.0 line length limit (maxLineBytes 64)', () => {
  const bench = chatServerPerTest({ maxLineBytes: 64 });
  const PREFIX = 'CHAT/1.0 SEND bob ';
  /** A SEND line of exactly `length` bytes, terminator not counted. */
  const sendLineOf = (length: number): string => PREFIX + 'x'.repeat(length - PREFIX.length);
  const tooLongLogs = (user: ChatUser): string[] => connectionLogs(bench.server, user.client).filter((l) => l.includes('over the 64-byte limit'));

  it('delivers a line of exactly 64 bytes, with \\n or \\r\\n, whole or byte by byte', async () => {
    const { alice, bob } = await pair(bench);
    const line = sendLineOf(64);
    alice.client.sendRaw(`${line}\n${line}\r\n`);
    await byteByByte(alice, `${line}\n`);
    await byteByByte(alice, `${line}\r\n`);
    const token = await roundTrip(alice, bob);
    const data = line.slice(PREFIX.length);
    expect(inbox(bob.client)).toEqual([`alice: ${data}`, `alice: ${data}`, `alice: ${data}`, `alice: ${data}`, `alice: ${token}`]);
    expect(tooLongLogs(alice)).toEqual([]);
  });

  it('discards a line of 65 bytes sent whole, logs it, and handles the next line of the same write', async () => {
    const { alice, bob } = await pair(bench);
    alice.client.sendRaw(`${sendLineOf(65)}\nCHAT/1.0 SEND bob next\n`);
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: next', `alice: ${token}`]);
    expect(tooLongLogs(alice)).toHaveLength(1);
    expect(tooLongLogs(alice)[0]).toContain('discarded a line of 65 bytes');
  });

  it('discards a line of 65 bytes sent byte by byte, with \\n and with \\r\\n', async () => {
    const { alice, bob } = await pair(bench);
    await byteByByte(alice, `${sendLineOf(65)}\n`);
    await byteByByte(alice, `${sendLineOf(65)}\r\n`);
    await byteByByte(alice, 'CHAT/1.0 SEND bob after\n');
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: after', `alice: ${token}`]);
    expect(tooLongLogs(alice)).toHaveLength(1);
  });

  it('discards a long line arriving in many chunks up to its \\n, and the rest of that chunk works', async () => {
    const { alice, bob } = await pair(bench);
    const raw = Buffer.from(`${sendLineOf(1000)}\nCHAT/1.0 SEND bob after the long one\n`, 'utf8');
    await writeInPieces(alice.client, raw, 100);
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: after the long one', `alice: ${token}`]);
    expect(tooLongLogs(alice)[0]).toContain('discarded a line of 1000 bytes');
  });

  it('a too-long line never takes the name of a LOGIN or a LOGOUT with it', async () => {
    const { alice, bob } = await pair(bench);
    // Both over the limit: the LOGIN must not rename, the LOGOUT must not close.
    alice.client.sendRaw(`CHAT/1.0 LOGIN ${'n'.repeat(60)}\nCHAT/1.0 LOGOUT${' '.repeat(60)}\n`);
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual([`alice: ${token}`]);
    expect(alice.client.closed).toBe(false);
  });

  it('a too-long line before LOGIN leaves the connection able to log in', async () => {
    const bob = await bench.login('bob');
    const client = await bench.connect();
    client.sendRaw(`${'z'.repeat(500)}\n`);
    const carol = await loginOn(bench.server, client, 'carol');
    const token = await roundTrip(carol, bob);
    expect(inbox(bob.client)).toEqual([`carol: ${token}`]);
  });
});

describe('CHAT/1.0 multi-megabyte line (default limit 4096)', () => {
  const bench = chatServerPerTest();

  it('discards an 8 MiB line sent in 64 KiB pieces and serves the next line', async () => {
    const { alice, bob } = await pair(bench);
    const head = Buffer.from('CHAT/1.0 SEND bob ', 'utf8');
    const body = Buffer.alloc(8 * 1024 * 1024, 'y');
    await write(alice.client, head);
    await writeInPieces(alice.client, body, 64 * 1024);
    await write(alice.client, '\nCHAT/1.0 SEND bob survived\n');
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: survived', `alice: ${token}`]);
    const logs = connectionLogs(bench.server, alice.client).filter((l) => l.includes('over the 4096-byte limit'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`discarded a line of ${head.length + body.length} bytes`);
    expect(alice.client.closed).toBe(false);
  });

  it('discards several huge lines in a row, each counted on its own', async () => {
    const { alice, bob } = await pair(bench);
    const huge = Buffer.alloc(1024 * 1024, 'q');
    for (let i = 0; i < 3; i++) {
      await writeInPieces(alice.client, huge, 32 * 1024);
      await write(alice.client, `\nCHAT/1.0 SEND bob after ${i}\n`);
    }
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: after 0', 'alice: after 1', 'alice: after 2', `alice: ${token}`]);
  });
});

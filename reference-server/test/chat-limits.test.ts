// CHAT/1.0 connection limits over real sockets: the idle timeout before LOGIN, a receiver that never
// reads, and shutdown closing every connection.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../client/chat-client.js';
import {
  chatServerPerTest, closedByServer, connectionLogged, connectionLogs, inbox, loginOn, roundTrip,
} from './chat-steps.js';

describe('CHAT/1.0 idle timeout (idleTimeoutMs 200)', () => {
  const bench = chatServerPerTest({ idleTimeoutMs: 200 });

  it('closes a connection that never logs in, and logs that it was idle', async () => {
    const client = await bench.connect();
    await closedByServer(client);
    expect(connectionLogs(bench.server, client).some((l) => /closing: .*idle/.test(l))).toBe(true);
  });

  it('closes a connection that sent only part of a LOGIN line and went quiet', async () => {
    const client = await bench.connect();
    client.sendRaw('CHAT/1.0 LOGIN half');
    await closedByServer(client);
    expect(connectionLogs(bench.server, client).some((l) => /closing: .*idle/.test(l))).toBe(true);
  });

  it('keeps logged-in connections open well past the idle timeout', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    // Three never-logged-in connections opened one after the other, each closed for idleness:
    // by the last close alice and bob have been silent for at least three idle timeouts.
    for (let i = 0; i < 3; i++) {
      const idle = await bench.connect();
      await closedByServer(idle);
      await connectionLogged(bench.server, idle, 'idle');
    }
    const token = await roundTrip(alice, bob);
    const back = await roundTrip(bob, alice);
    expect(inbox(bob.client)).toEqual([`alice: ${token}`]);
    expect(inbox(alice.client)).toEqual([`bob: ${back}`]);
    expect([alice.client.closed, bob.client.closed]).toEqual([false, false]);
    expect(connectionLogs(bench.server, alice.client).some((l) => l.includes('idle'))).toBe(false);
  });

  it('a connection that logged in before the timeout is not closed afterwards', async () => {
    const client = await bench.connect();
    const carol = await loginOn(bench.server, client, 'carol');
    const idle = await bench.connect();
    await closedByServer(idle);
    const bob = await bench.login('bob');
    const token = await roundTrip(bob, carol);
    expect(inbox(carol.client)).toEqual([`bob: ${token}`]);
  });

  it('closes a connection that keeps sending lines but never logs in', async () => {
    // The server's own ChatConfig says: "A connection that has not logged in within this is closed".
    // Lines that are not a LOGIN (here SENDs before LOGIN, every 50 ms) must not keep it open forever.
    const client = await bench.connect();
    const chatter = setInterval(() => { if (!client.closed) client.send({ command: 'SEND', name: 'nobody', data: 'hi' }); }, 50);
    try {
      // 20 idle timeouts: plenty for a sweep that runs every 50 ms.
      await client.until((c) => c.closed, 4000).catch(() => undefined);
    } finally {
      clearInterval(chatter);
    }
    expect(client.closed, 'still open 4 s after connecting, never logged in: bytes that are not a LOGIN reset the idle clock').toBe(true);
    expect(connectionLogs(bench.server, client).some((l) => /closing: .*idle/.test(l))).toBe(true);
  });
});

describe('CHAT/1.0 receiver that never reads (maxOutboundBytes 16384)', () => {
  const bench = chatServerPerTest({ maxOutboundBytes: 16384 });

  it('disconnects the receiver that does not read, and keeps serving the others', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    bob.client.socket.pause();
    const batch = Buffer.from(`CHAT/1.0 SEND bob ${'m'.repeat(4000)}\n`.repeat(64), 'utf8');
    const notReading = (): boolean => connectionLogs(bench.server, bob.client).some((l) => l.includes('not reading'));
    // Loopback socket buffers hold megabytes; keep sending until the server gives up on bob.
    let sent = 0;
    while (!notReading() && sent < 512 * 1024 * 1024) {
      if (!alice.client.socket.write(batch)) await once(alice.client.socket, 'drain');
      sent += batch.length;
    }
    await connectionLogged(bench.server, bob.client, 'not reading');
    expect(sent).toBeGreaterThan(16384);
    // alice, who sent all of it, is still served; so is a fresh pair of clients.
    const carol = await bench.login('carol');
    const dave = await bench.login('dave');
    const fromAlice = await roundTrip(alice, carol);
    const toDave = await roundTrip(carol, dave);
    const back = await roundTrip(dave, carol);
    expect(inbox(carol.client)).toEqual([`alice: ${fromAlice}`, `dave: ${back}`]);
    expect(inbox(dave.client)).toEqual([`carol: ${toDave}`]);
    expect(alice.client.closed).toBe(false);
    expect(connectionLogs(bench.server, alice.client).some((l) => l.includes('not reading'))).toBe(false);
  });
});

describe('CHAT/1.0 shutdown', () => {
  const bench = chatServerPerTest();

  it('server.close() closes every CHAT connection, logged in or not, and stops accepting', async () => {
    const alice = await bench.login('alice');
    const alice2 = await bench.login('alice');
    const bob = await bench.login('bob');
    const anonymous = await bench.connect();
    const halfLine = await bench.connect();
    halfLine.sendRaw('CHAT/1.0 SEND bob unfinished');
    await roundTrip(alice, bob);
    const clients = [alice.client, alice2.client, bob.client, anonymous, halfLine];
    await bench.server.server.close();
    for (const client of clients) await closedByServer(client);
    for (const client of clients) {
      expect(connectionLogs(bench.server, client).some((l) => l.includes('server shutting down'))).toBe(true);
    }
    await expect(ChatClient.connect(bench.server.chatPort)).rejects.toThrow();
  });
});

// CHAT/1.0 LOGIN, SEND and LOGOUT against the real reference server over loopback
// [CHAT-LOGIN-1, CHAT-SEND-1, CHAT-SEND-2, CHAT-LOGOUT-1].
import { describe, expect, it } from 'vitest';
import { chatServerPerTest, closedByServer, connectionLogged, connectionLogs, inbox, line, loginOn, roundTrip } from './chat-steps.js';

const bench = chatServerPerTest();

describe('CHAT/1.0 SEND', () => {
  it('delivers RECEIVE <sender> <data> to the named user, data with its spaces kept', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'SEND', name: 'bob', data: 'hello there,  two  spaces ' });
    await bob.client.until((c) => c.received.length === 1);
    expect(bob.client.received).toEqual([{ command: 'RECEIVE', from: 'alice', data: 'hello there,  two  spaces ' }]);
  });

  it('delivers the exact RECEIVE line bytes on the wire', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const raw: Buffer[] = [];
    bob.client.socket.on('data', (chunk: Buffer) => raw.push(chunk));
    alice.client.sendRaw(line('CHAT/1.0 SEND bob hi bob'));
    await bob.client.until((c) => c.received.length === 1);
    expect(Buffer.concat(raw).toString('latin1')).toBe('CHAT/1.0 RECEIVE alice hi bob\n');
  });

  it('delivers empty data: "SEND bob " reaches bob as "RECEIVE alice "', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const raw: Buffer[] = [];
    bob.client.socket.on('data', (chunk: Buffer) => raw.push(chunk));
    alice.client.sendRaw(line('CHAT/1.0 SEND bob '));
    await bob.client.until((c) => c.received.length === 1);
    expect(inbox(bob.client)).toEqual(['alice: ']);
    expect(Buffer.concat(raw).toString('latin1')).toBe('CHAT/1.0 RECEIVE alice \n');
  });

  it('reaches every connection logged in under the name', async () => {
    const alice = await bench.login('alice');
    const bob1 = await bench.login('bob');
    const bob2 = await bench.login('bob');
    const bob3 = await bench.login('bob');
    alice.client.send({ command: 'SEND', name: 'bob', data: 'to all of you' });
    for (const bob of [bob1, bob2, bob3]) {
      await bob.client.until((c) => c.received.length === 1);
      expect(inbox(bob.client)).toEqual(['alice: to all of you']);
    }
  });

  it('still reaches the other connections of a name after one of them closes', async () => {
    const alice = await bench.login('alice');
    const bob1 = await bench.login('bob');
    const bob2 = await bench.login('bob');
    bob1.client.close();
    await connectionLogged(bench.server, bob1.client, 'closed:');
    alice.client.send({ command: 'SEND', name: 'bob', data: 'still here?' });
    await bob2.client.until((c) => c.received.length === 1);
    expect(inbox(bob2.client)).toEqual(['alice: still here?']);
  });

  it('sends nothing back to the sender', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'SEND', name: 'bob', data: 'no ack please' });
    await roundTrip(alice, bob);
    const token = await roundTrip(bob, alice);
    expect(inbox(alice.client)).toEqual([`bob: ${token}`]);
  });

  it('carries any name without spaces and any data without \\n: non-ASCII, tabs, NUL, CHAT/1.0 look-alikes', async () => {
    const alice = await bench.login('älice\t中');
    const bob = await bench.login('bob😀');
    const data = 'héllo\t世界 \u0000 CHAT/1.0 RECEIVE eve forged';
    alice.client.send({ command: 'SEND', name: 'bob😀', data });
    await bob.client.until((c) => c.received.length === 1);
    expect(inbox(bob.client)).toEqual([`älice\t中: ${data}`]);
  });

  it('drops a SEND to a name nobody is logged in under, silently, and keeps the sender connected', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'SEND', name: 'nobody', data: 'anyone?' });
    const token = await roundTrip(alice, bob);
    const back = await roundTrip(bob, alice);
    expect(inbox(bob.client)).toEqual([`alice: ${token}`]);
    expect(inbox(alice.client)).toEqual([`bob: ${back}`]);
    expect(alice.client.closed).toBe(false);
  });
});

describe('CHAT/1.0 LOGIN', () => {
  it('a second LOGIN renames the connection: the old name no longer receives, the new one does', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await loginOn(bench.server, alice.client, 'carol');
    bob.client.send({ command: 'SEND', name: 'alice', data: 'for the old name' });
    bob.client.send({ command: 'SEND', name: 'carol', data: 'for the new name' });
    const token = await roundTrip(bob, carol);
    expect(inbox(carol.client)).toEqual(['bob: for the new name', `bob: ${token}`]);
  });

  it('a renamed connection speaks under its new name', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    await loginOn(bench.server, alice.client, 'carol');
    alice.client.send({ command: 'SEND', name: 'bob', data: 'who am I?' });
    await bob.client.until((c) => c.received.length === 1);
    expect(inbox(bob.client)).toEqual(['carol: who am I?']);
  });

  it('a rename leaves the other connections of the old name receiving', async () => {
    const alice1 = await bench.login('alice');
    const alice2 = await bench.login('alice');
    const bob = await bench.login('bob');
    await loginOn(bench.server, alice1.client, 'carol');
    bob.client.send({ command: 'SEND', name: 'alice', data: 'alice only' });
    await alice2.client.until((c) => c.received.length === 1);
    const token = await roundTrip(bob, { client: alice1.client, name: 'carol' });
    expect(inbox(alice2.client)).toEqual(['bob: alice only']);
    expect(inbox(alice1.client)).toEqual([`bob: ${token}`]);
  });
});

describe('CHAT/1.0 LOGOUT', () => {
  it('closes a logged-in connection, which then no longer receives', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'LOGOUT' });
    await closedByServer(alice.client);
    await bench.server.logged(/alice logged out/);
    bob.client.send({ command: 'SEND', name: 'alice', data: 'gone?' });
    await bench.server.logged(/SEND to alice, who is not logged in: dropped/);
  });

  it('closes a connection that never logged in', async () => {
    const client = await bench.connect();
    client.send({ command: 'LOGOUT' });
    await closedByServer(client);
    expect(connectionLogs(bench.server, client).some((l) => l.includes('closing: LOGOUT'))).toBe(true);
  });

  it('like nc: lines written before the client half-closes are all handled, then the server closes', async () => {
    const bob = await bench.login('bob');
    const client = await bench.connect();
    client.socket.end('CHAT/1.0 LOGIN alice\nCHAT/1.0 SEND bob typed by hand\nCHAT/1.0 SEND bob and piped\n');
    await closedByServer(client);
    await bob.client.until((c) => c.received.length === 2);
    expect(inbox(bob.client)).toEqual(['alice: typed by hand', 'alice: and piped']);
  });

  it('like printf | nc: a last line without \\n before the half-close is handled [CHAT-LINE-1]', async () => {
    const bob = await bench.login('bob');
    const client = await bench.connect();
    client.socket.end('CHAT/1.0 LOGIN alice\nCHAT/1.0 SEND bob no newline at the end');
    await closedByServer(client);
    await bob.client.until((c) => c.received.length === 1);
    expect(inbox(bob.client)).toEqual(['alice: no newline at the end']);
  });

  it('ignores the lines after LOGOUT in the same write', async () => {
    const bob = await bench.login('bob');
    const client = await bench.connect();
    client.sendRaw(['CHAT/1.0 LOGIN alice', 'CHAT/1.0 LOGOUT', 'CHAT/1.0 SEND bob after logout', ''].join('\n'));
    await closedByServer(client);
    const carol = await bench.login('carol');
    const token = await roundTrip(carol, bob);
    expect(inbox(bob.client)).toEqual([`carol: ${token}`]);
  });
});

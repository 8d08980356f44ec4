// CHAT/1.0 GROUP, LEAVE and BROADCAST against the real reference server over loopback
// [CHAT-GROUP-1..3].
import { describe, expect, it } from 'vitest';
import { chatServerPerTest, connectionLogs, inbox, roundTrip, type ChatUser } from './chat-steps.js';

const bench = chatServerPerTest();

/** `sender` BROADCASTs `data` to `group`, then proves with a round trip to `witness` that it was handled. */
async function broadcastAndSettle(sender: ChatUser, group: string, data: string, witness: ChatUser): Promise<string> {
  sender.client.send({ command: 'BROADCAST', group, data });
  return roundTrip(sender, witness);
}

describe('CHAT/1.0 GROUP and BROADCAST', () => {
  it('GROUP creates the group with the sender as a member; BROADCAST reaches every other member', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    const dave = await bench.login('dave');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob', 'carol'] });
    bob.client.send({ command: 'BROADCAST', group: 'team', data: 'hello team, with spaces' });
    const token = await roundTrip(bob, dave);
    await roundTrip(bob, alice);
    await roundTrip(bob, carol);
    expect(inbox(alice.client)[0]).toBe('bob: hello team, with spaces');
    expect(inbox(carol.client)[0]).toBe('bob: hello team, with spaces');
    expect(inbox(dave.client)).toEqual([`bob: ${token}`]);
  });

  it('BROADCAST does not reach the sender, nor its other connections under the same name', async () => {
    const alice1 = await bench.login('alice');
    const alice2 = await bench.login('alice');
    const bob1 = await bench.login('bob');
    const bob2 = await bench.login('bob');
    alice1.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    alice1.client.send({ command: 'BROADCAST', group: 'team', data: 'to bob' });
    const toBob = await roundTrip(alice1, bob1);
    // Sent after the BROADCAST was handled: whatever it delivered to alice2 arrives before this.
    const back = await roundTrip(bob1, alice1);
    await alice2.client.until((c) => inbox(c).includes(`bob: ${back}`));
    await bob2.client.until((c) => c.received.length === 2);
    expect(inbox(bob1.client)).toEqual(['alice: to bob', `alice: ${toBob}`]);
    expect(inbox(bob2.client)).toEqual(['alice: to bob', `alice: ${toBob}`]);
    expect(inbox(alice1.client)).toEqual([`bob: ${back}`]);
    expect(inbox(alice2.client)).toEqual([`bob: ${back}`]);
  });

  it('a GROUP line carrying only the group name creates a group of the sender alone', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'GROUP', group: 'solo', members: [] });
    bob.client.send({ command: 'BROADCAST', group: 'solo', data: 'anyone in solo?' });
    const token = await roundTrip(bob, alice);
    expect(inbox(alice.client)).toEqual(['bob: anyone in solo?', `bob: ${token}`]);
  });

  it('GROUP on an existing group adds members, whoever sends it, and the sender with them', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    const dave = await bench.login('dave');
    const erin = await bench.login('erin');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    await roundTrip(alice, erin);
    carol.client.send({ command: 'GROUP', group: 'team', members: ['dave'] });
    await roundTrip(carol, erin);
    erin.client.send({ command: 'BROADCAST', group: 'team', data: 'all four?' });
    for (const member of [alice, bob, carol, dave]) {
      await roundTrip(erin, member);
      expect(inbox(member.client)[0]).toBe('erin: all four?');
    }
  });

  it('a member listed twice, or listing the sender, still gets one copy', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob', 'bob', 'alice'] });
    const token = await broadcastAndSettle(alice, 'team', 'once', carol);
    const mark = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: once', `alice: ${mark}`]);
    expect(inbox(carol.client)).toEqual([`alice: ${token}`]);
  });

  it('a logged-in non-member may BROADCAST to an existing group', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const outsider = await bench.login('outsider');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    await roundTrip(alice, outsider);
    outsider.client.send({ command: 'BROADCAST', group: 'team', data: 'from outside' });
    await roundTrip(outsider, alice);
    await roundTrip(outsider, bob);
    expect(inbox(alice.client)[0]).toBe('outsider: from outside');
    expect(inbox(bob.client)[0]).toBe('outsider: from outside');
  });

  it('BROADCAST to a group that does not exist is dropped and the connection stays open', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'BROADCAST', group: 'ghosts', data: 'boo' });
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual([`alice: ${token}`]);
    expect(connectionLogs(bench.server, alice.client).some((l) => l.includes('BROADCAST to ghosts, which does not exist'))).toBe(true);
  });

  it('BROADCAST skips members nobody is logged in under and still reaches the others', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob', 'absent'] });
    alice.client.send({ command: 'BROADCAST', group: 'team', data: 'roll call' });
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: roll call', `alice: ${token}`]);
  });
});

describe('CHAT/1.0 group membership belongs to the name', () => {
  it('a member that logs out and comes back under the same name still gets broadcasts', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    await roundTrip(alice, bob);
    bob.client.send({ command: 'LOGOUT' });
    await bob.client.until((c) => c.closed);
    const bobAgain = await bench.login('bob');
    alice.client.send({ command: 'BROADCAST', group: 'team', data: 'welcome back' });
    const token = await roundTrip(alice, bobAgain);
    expect(inbox(bobAgain.client)).toEqual(['alice: welcome back', `alice: ${token}`]);
  });
});

describe('CHAT/1.0 LEAVE', () => {
  it('a member that left no longer gets broadcasts; the others still do', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob', 'carol'] });
    await roundTrip(alice, bob);
    bob.client.send({ command: 'LEAVE', group: 'team' });
    await roundTrip(bob, carol);
    alice.client.send({ command: 'BROADCAST', group: 'team', data: 'after bob left' });
    const toBob = await roundTrip(alice, bob);
    const toCarol = await roundTrip(alice, carol);
    expect(inbox(bob.client)).toEqual([expect.stringMatching(/^alice: round-trip-/), `alice: ${toBob}`]);
    expect(inbox(carol.client).slice(1)).toEqual(['alice: after bob left', `alice: ${toCarol}`]);
  });

  it('a member that left may still BROADCAST to the group, as any non-member', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    await roundTrip(alice, bob);
    bob.client.send({ command: 'LEAVE', group: 'team' });
    bob.client.send({ command: 'BROADCAST', group: 'team', data: 'bye from outside' });
    const token = await roundTrip(bob, alice);
    expect(inbox(alice.client)).toEqual(['bob: bye from outside', `bob: ${token}`]);
  });

  it('the last member out deletes the group: a later BROADCAST finds no group', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    await roundTrip(alice, bob);
    alice.client.send({ command: 'LEAVE', group: 'team' });
    bob.client.send({ command: 'LEAVE', group: 'team' });
    await roundTrip(alice, carol);
    await roundTrip(bob, carol);
    carol.client.send({ command: 'BROADCAST', group: 'team', data: 'anyone?' });
    await roundTrip(carol, alice);
    await roundTrip(carol, bob);
    expect(inbox(alice.client).filter((m) => m.includes('anyone?'))).toEqual([]);
    expect(inbox(bob.client).filter((m) => m.includes('anyone?'))).toEqual([]);
    expect(connectionLogs(bench.server, carol.client).some((l) => l.includes('BROADCAST to team, which does not exist'))).toBe(true);
  });

  it('GROUP after the group was deleted starts a new group without the old members', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    alice.client.send({ command: 'GROUP', group: 'team', members: [] });
    alice.client.send({ command: 'LEAVE', group: 'team' });
    await roundTrip(alice, bob);
    bob.client.send({ command: 'GROUP', group: 'team', members: ['carol'] });
    bob.client.send({ command: 'BROADCAST', group: 'team', data: 'new team' });
    const toAlice = await roundTrip(bob, alice);
    await roundTrip(bob, carol);
    expect(inbox(alice.client)).toEqual([`bob: ${toAlice}`]);
    expect(inbox(carol.client)[0]).toBe('bob: new team');
  });

  it('LEAVE of a group one is not in changes nothing and keeps the connection open', async () => {
    const alice = await bench.login('alice');
    const bob = await bench.login('bob');
    const carol = await bench.login('carol');
    alice.client.send({ command: 'GROUP', group: 'team', members: ['bob'] });
    await roundTrip(alice, carol);
    carol.client.send({ command: 'LEAVE', group: 'team' });
    carol.client.send({ command: 'LEAVE', group: 'no-such-group' });
    await roundTrip(carol, alice);
    alice.client.send({ command: 'BROADCAST', group: 'team', data: 'still a team' });
    const token = await roundTrip(alice, bob);
    expect(inbox(bob.client)).toEqual(['alice: still a team', `alice: ${token}`]);
    expect(carol.client.closed).toBe(false);
  });
});

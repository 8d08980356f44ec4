// The CHAT/1.0 user scenario (`load --protocol chat`), shaped like im-users.ts. Each simulated user is
// a state machine: connect, LOGIN, and confirm the login with a SEND to itself (CHAT/1.0 answers
// nothing, so the only proof a line was handled is a RECEIVE it causes). Once every member of a group
// has settled, the first logged-in member creates the group and sends each other member a marker;
// a member is ready when its marker arrives. Then, until the measured window ends, SENDs to random
// friends and BROADCASTs to the group at Poisson rates (open model); then the grace window, LEAVE and
// LOGOUT. No heartbeats: CHAT/1.0 has none.
//
// Groups are named per run (the original never deletes a group, and ignores a GROUP of a name that
// exists, so a name reused by a later run would keep the old members) and list every member, the
// sender included (the original does not add the sender, and ignores a GROUP of fewer than two).
import { DEFAULT_MAX_LINE_BYTES, type ChatCommand } from '../../proto/index.js';
import { hash32, Random } from '../../util/random.js';
import { namePrefix, usersOf, type UserSpec } from '../model/population.js';
import { ChatLink } from './chat-link.js';
import { formatStampText, parseStampText } from './chat-stamp.js';
import { monoMs } from '../../util/clock.js';
import { ConnectTracker } from './connect-tracker.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { Liveness } from './liveness.js';
import { accountedSeq, pickFriend } from './messaging.js';
import type { ScenarioContext } from './scenario-context.js';
import type { UsersPlan } from './scenario-plan.js';
import { Scheduler } from './scheduler.js';

const TIMEOUT_SWEEP_MS = 100;
const LOGOUT_WAIT_MS = 1000;
/** Room for `CHAT/1.0 RECEIVE <name> ` around the largest data we send, in the lines we read back. */
const LINE_OVERHEAD_BYTES = 256;

type Phase = 'waiting' | 'connecting' | 'login' | 'joining' | 'grouping' | 'ready' | 'failed' | 'leaving';
/** Logged in, whether or not the group is set up yet. */
const LOGGED_IN: ReadonlySet<Phase> = new Set<Phase>(['joining', 'grouping', 'ready']);

interface Group {
  name: string;
  members: ChatUser[];
  unsettled: number;
}

class ChatUser {
  phase: Phase = 'waiting';
  link: ChatLink | null = null;
  readonly random: Random;
  /** Counted in ctx.status.loggedIn (so the close takes it back exactly once). */
  counted = false;
  /** Named in its group's GROUP line, so it has a membership to LEAVE at the end. */
  member = false;
  /** Since when the login confirmation or the group marker has been awaited; null when nothing is. */
  awaitingSinceMs: number | null = null;
  loginSentMs = 0;
  /** This user's accounted broadcasts so far: the seq of its last one. */
  broadcasts = 0;

  constructor(readonly spec: UserSpec, seed: string) {
    this.random = new Random(hash32('user', seed, spec.index));
  }
}

export async function runChatUsers(ctx: ScenarioContext, plan: UsersPlan): Promise<void> {
  const { task, recorder, timeline } = ctx;
  const specs = usersOf(plan.groups, plan.totalUsers, plan.groupSize, plan.seed, task.targets.length);
  const users = specs.map((spec) => new ChatUser(spec, plan.seed));
  const byIndex = new Map(users.map((u) => [u.spec.index, u]));
  const prefix = namePrefix(plan.seed);
  const runTag = hash32('run', task.runId);
  const groups = new Map<number, Group>();
  for (const u of users) {
    // Names must hold no space [CHAT-LINE-2]: the prefixes are base 36, the rest digits.
    const g = groups.get(u.spec.group) ?? { name: `${prefix}-${runTag.toString(36)}-g${u.spec.group}`, members: [], unsettled: 0 };
    g.members.push(u);
    g.unsettled++;
    groups.set(u.spec.group, g);
  }
  const sendLedger = new DeliveryLedger('send', recorder);
  const broadcastLedger = new DeliveryLedger('broadcast', recorder);
  // One BROADCAST line carries one stamp, but the ledger counts per (sender, receiver) pair. A receiver
  // is expected from the sender's first accounted broadcast after it became ready to the end (ready is
  // one interval, and accounted broadcasts are numbered without gaps), so its pair seq is the stamp's
  // seq minus the stamp seq of the pair's first broadcast, plus one. Kept per pair, not per message.
  const broadcastBase = new Map<number, number>();
  const pairKey = (from: number, to: number): number => from * plan.totalUsers + to;
  const scheduler = new Scheduler(monoMs, { precise: true });
  const liveness = new Liveness(ctx, task.timeoutMs);
  const connects = new ConnectTracker(recorder);
  const maxLineBytes = Math.max(DEFAULT_MAX_LINE_BYTES, plan.chatBytes + LINE_OVERHEAD_BYTES);
  let ending = false;

  // Markers carry the run's tag: another connection logged in under the same name (a concurrent run
  // with the same seed) hears them too, and must not take them for its own.
  const loginMarker = (u: ChatUser): string => `tb-login ${runTag} ${u.spec.index}`;
  const groupMarker = (group: number): string => `tb-group ${runTag} ${group}`;
  /** Stamps of broadcasts are addressed to the group, numbered after the users so no user index clashes. */
  const groupAddress = (group: number): number => plan.totalUsers + group;
  const stamp = (from: number, to: number, seq: number, due: number): string =>
    formatStampText({ run: runTag, from, to, seq, scheduledMs: due, sentMs: monoMs() }, plan.chatBytes);

  const fail = (u: ChatUser, why: string): void => {
    if (u.phase === 'failed' || u.phase === 'leaving') return;
    const wasSettling = u.phase === 'connecting' || u.phase === 'login';
    // A login in flight will not be confirmed now: unanswered, so login.sent adds up [D-METRICS].
    if (u.phase === 'login') recorder.count('login', 'unanswered');
    u.phase = 'failed';
    u.awaitingSinceMs = null;
    recorder.userFailed(why);
    u.link?.close();
    if (wasSettling) settle(u);
  };

  /**
   * A user's login attempt is over (success or failure). Once every member's is, the first logged-in
   * member creates the group and, on the same connection, sends each other member its marker: the
   * server handles one connection's lines in order [CHAT-SEND-3], so a marker arrives after the group
   * exists, and a member that has its marker will get the group's broadcasts.
   */
  const settle = (u: ChatUser): void => {
    const group = groups.get(u.spec.group)!;
    if (--group.unsettled > 0 || ending) return;
    const online = group.members.filter((m) => m.phase === 'joining');
    const [leader, ...others] = online;
    if (!leader) return;
    // Alone: no group to create (the original ignores a GROUP of one), nobody to broadcast to.
    if (others.length === 0) { becomeReady(leader); return; }
    const now = monoMs();
    for (const m of online) m.member = true;
    for (const m of others) { m.phase = 'grouping'; m.awaitingSinceMs = now; }
    const marker = groupMarker(u.spec.group);
    leader.link!.send(
      { command: 'GROUP', group: group.name, members: online.map((m) => m.spec.name) },
      ...others.map((m): ChatCommand => ({ command: 'SEND', name: m.spec.name, data: marker })),
    );
    liveness.asked(leader.spec.target, now);
    becomeReady(leader);
  };

  const becomeReady = (u: ChatUser): void => {
    u.phase = 'ready';
    u.awaitingSinceMs = null;
    poisson(u, plan.rates.chat, (due) => sendChat(u, due));
    poisson(u, plan.rates.broadcast, (due) => broadcast(u, due));
  };

  const poisson = (u: ChatUser, perSecond: number, act: (due: number) => void): void => {
    scheduler.poisson(perSecond, u.random, () => u.phase === 'ready', (due) => act(due));
  };

  const sendChat = (u: ChatUser, due: number): void => {
    const to = pickFriend(u, byIndex);
    if (!to) return;
    const seq = accountedSeq(ctx, sendLedger, 'send.e2e', u.spec.index, to.spec.index, due, monoMs());
    u.link!.send({ command: 'SEND', name: to.spec.name, data: stamp(u.spec.index, to.spec.index, seq, due) });
    liveness.asked(u.spec.target, monoMs());
  };

  /** `broadcast.e2e.sent` counts expected deliveries (one per other ready member), like `.ok` does. */
  const broadcast = (u: ChatUser, due: number): void => {
    const group = groups.get(u.spec.group)!;
    const others = group.members.filter((m) => m !== u && m.phase === 'ready');
    if (others.length === 0) return;
    const inWindow = ctx.inWindow(due);
    const seq = inWindow ? ++u.broadcasts : 0;
    if (inWindow) {
      const lag = monoMs() - due;
      for (const r of others) {
        if (broadcastLedger.nextSeq(u.spec.index, r.spec.index) === 1) broadcastBase.set(pairKey(u.spec.index, r.spec.index), seq);
      }
      recorder.sent('broadcast.e2e', lag, others.length);
    }
    u.link!.send({ command: 'BROADCAST', group: group.name, data: stamp(u.spec.index, groupAddress(u.spec.group), seq, due) });
    liveness.asked(u.spec.target, monoMs());
  };

  const onReceive = (u: ChatUser, from: string, data: string, now: number): void => {
    if (u.phase === 'login' && from === u.spec.name && data === loginMarker(u)) {
      recorder.latency('login', now - u.loginSentMs, now - u.loginSentMs, now);
      u.phase = 'joining';
      u.awaitingSinceMs = null;
      u.counted = true;
      ctx.status.loggedIn++;
      settle(u);
      return;
    }
    if (u.phase === 'grouping' && data === groupMarker(u.spec.group)) {
      if (!ending) becomeReady(u);
      return;
    }
    // After the ledgers are settled, a late arrival would be counted both lost and delivered.
    if (ending) return;
    const s = parseStampText(data);
    if (!s || s.run !== runTag || s.seq === 0) return;
    if (s.to === u.spec.index) {
      if (sendLedger.received(s.from, s.to, s.seq)) recorder.latency('send.e2e', now - s.scheduledMs, now - s.sentMs);
    } else if (s.to === groupAddress(u.spec.group)) {
      const base = broadcastBase.get(pairKey(s.from, u.spec.index));
      // No base, or one after this broadcast: it was sent before this user was expected (not accounted).
      if (base === undefined || s.seq < base) return;
      if (broadcastLedger.received(s.from, u.spec.index, s.seq - base + 1)) recorder.latency('broadcast.e2e', now - s.scheduledMs, now - s.sentMs);
    }
  };

  const start = (u: ChatUser, due: number): void => {
    const target = task.targets[u.spec.target]!;
    const localAddress = task.sourceAddresses.length > 0 ? task.sourceAddresses[u.spec.index % task.sourceAddresses.length] : undefined;
    u.phase = 'connecting';
    const started = monoMs();
    const attempt = connects.begin(due, started);
    ChatLink.open({ ...target, localAddress, connectTimeoutMs: task.timeoutMs, maxLineBytes }).then((link) => {
      const now = monoMs();
      connects.connected(attempt, link, now);
      u.link = link;
      liveness.opened(u.spec.target);
      ctx.status.connected++;
      // Actions that came due while the lines were handled go out now, not at the next timer tick.
      link.onLinesDone = () => scheduler.pump();
      link.onLine = (command) => {
        // Any line shows the target is still answering (what "stopped answering" is measured against).
        liveness.answered(u.spec.target);
        if (ending) return;
        // RECEIVE is the only line a server sends [CHAT-SEND-1]: anything else is shown, like an
        // IM frame nobody asked for.
        if (command.command === 'RECEIVE') onReceive(u, command.from, command.data, monoMs());
        else recorder.badLine(`a ${command.command} line from the server`);
      };
      link.onBadLine = (kind) => {
        liveness.answered(u.spec.target);
        if (!ending) recorder.badLine(kind);
      };
      link.onClose = (reason) => {
        ctx.status.connected--;
        if (u.counted) { u.counted = false; ctx.status.loggedIn--; }
        connects.closed(attempt);
        const expected = u.phase === 'leaving' || u.phase === 'failed' || ending;
        liveness.closed(u.spec.target, reason, expected);
        if (!expected) fail(u, `connection lost: ${reason}`);
      };
      // Connected after the run was stopped or ended: logoutAll has been or will be too late for it.
      if (ctx.stopping || ending) { u.phase = 'leaving'; link.close(); return; }
      u.phase = 'login';
      u.loginSentMs = now;
      u.awaitingSinceMs = now;
      // Sent the moment the connection opens, which is when it is due: no lag.
      recorder.sent('login', 0);
      link.send({ command: 'LOGIN', name: u.spec.name }, { command: 'SEND', name: u.spec.name, data: loginMarker(u) });
      liveness.asked(u.spec.target, now);
    }, (err: NodeJS.ErrnoException) => {
      ctx.status.connectFailures++;
      connects.refused(attempt, err);
      fail(u, `connect: ${err.code ?? err.message}`);
    });
  };

  // Arrivals spread over the ramp-up by each user's place in the whole run, so shards interleave.
  for (const u of users) {
    const at = timeline.startMs + (timeline.rampUpMs * u.spec.index) / plan.totalUsers;
    scheduler.at(at, (due) => start(u, due));
  }
  const sweep = setInterval(() => {
    const now = monoMs();
    // Liveness before giving up on anyone: nothing at all back from a target for a whole timeout
    // after something was asked of it means it stopped answering (exit 4), not that one user failed.
    liveness.check(now);
    const deadline = now - task.timeoutMs;
    for (const u of users) {
      if (u.awaitingSinceMs === null || u.awaitingSinceMs >= deadline) continue;
      // A lost group marker has no op of its own in [D-METRICS]: the member just never becomes ready.
      if (u.phase === 'grouping') { fail(u, 'group marker never arrived'); continue; }
      recorder.count('login', 'timeouts');
      u.phase = 'connecting';   // its login is counted: fail() must not count it unanswered too
      fail(u, 'login not confirmed in time');
    }
  }, TIMEOUT_SWEEP_MS);

  await scheduler.run(timeline.measureEndMs, () => ctx.stopping);
  // Grace: no new actions; deliveries still count.
  await ctx.sleepUntil(timeline.graceEndMs);
  ending = true;
  clearInterval(sweep);
  for (const u of users) if (u.phase === 'login') { recorder.count('login', 'unanswered'); u.phase = 'failed'; }
  connects.finish();
  sendLedger.settle();
  broadcastLedger.settle();
  await logoutAll(users, groups);
}

/** LEAVE (members) and LOGOUT, then wait (at most LOGOUT_WAIT_MS) for the server to close [CHAT-LOGOUT-1]. */
async function logoutAll(users: readonly ChatUser[], groups: ReadonlyMap<number, Group>): Promise<void> {
  const closing: Promise<void>[] = [];
  for (const u of users) {
    const link = u.link;
    if (!link || link.closed) continue;
    const loggedIn = LOGGED_IN.has(u.phase);
    u.phase = 'leaving';
    if (loggedIn) {
      const leave: ChatCommand[] = u.member ? [{ command: 'LEAVE', group: groups.get(u.spec.group)!.name }] : [];
      link.send(...leave, { command: 'LOGOUT' });
    }
    closing.push(new Promise<void>((resolve) => {
      const timer = setTimeout(() => { link.close(); resolve(); }, loggedIn ? LOGOUT_WAIT_MS : 0);
      const previous = link.onClose;
      link.onClose = (reason) => { clearTimeout(timer); previous(reason); resolve(); };
    }));
  }
  await Promise.all(closing);
}

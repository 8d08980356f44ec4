// The IM user scenario. Each simulated user is a state machine: connect, log in (registering first
// when the user does not exist), befriend its group, fetch friends and the user list; then, until the
// end, heartbeats at a fixed interval and chats, uploads to friends, status changes, profile updates
// and file lists at Poisson rates (open model), its file list polled for what friends sent it, and
// with --reconnect-rate a logout and a login again now and then; then the grace window, and logout.
//
// Counts add up [D-METRICS]: every request that expects a reply ends as ok, failed, timed out or
// unanswered (its connection ended, or the run did, first); requests declared unanswered
// (--unanswered) and those with no reply of their own (7, 9, 13) are only sent.
import { MessageId, ResultCode, UserStatus, decodeMessage, encodeMessageFrame, resultCodeOf, type MessageFields, type MessageIdNumber } from '../../proto/index.js';
import type { LatencyOp, RequestOp } from '../../reports/schema/metric-names.js';
import { SETUP_OPS } from '../../reports/schema/metric-names.js';
import { hash32, Random } from '../../util/random.js';
import { usersOf, type UserSpec } from '../model/population.js';
import { decodeStamp, encodeStamp } from './chat-stamp.js';
import { monoMs } from '../../util/clock.js';
import { ConnectTracker } from './connect-tracker.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { FileTraffic } from './file-traffic.js';
import { ImLink } from './im-link.js';
import { codeName, loginRequest, refusalMessage, registerRequest, updateUserInfoRequest } from './im-wire.js';
import { Liveness } from './liveness.js';
import { PendingQueue } from './pending-queue.js';
import { accountedSeq, pickFriend } from './messaging.js';
import type { ScenarioContext } from './scenario-context.js';
import type { UsersPlan } from './scenario-plan.js';
import { Scheduler } from './scheduler.js';
import { StatusNotices } from './status-notices.js';

const REPLY_OPS: Readonly<Record<number, RequestOp>> = {
  [MessageId.LoginResponse]: 'login', [MessageId.RegisterResponse]: 'register', [MessageId.GetFriendsResponse]: 'friends',
  [MessageId.UpdateUserInfoResponse]: 'userinfo', [MessageId.GetUserListResponse]: 'userlist', [MessageId.AddFriendsResponse]: 'addfriends',
  [MessageId.HeartbeatResponse]: 'heartbeat', [MessageId.UploadFileResponse]: 'upload', [MessageId.GetFileListResponse]: 'filelist',
};
const NOTICES = new Set<number>([MessageId.UserOfflineNotice, MessageId.ChangeStatusNotice, MessageId.FriendChatNotice]);
const TIMEOUT_SWEEP_MS = 100;
const LOGOUT_WAIT_MS = 1000;

type Phase = 'waiting' | 'connecting' | 'login' | 'register' | 'friends' | 'ready' | 'away' | 'failed' | 'leaving';

interface Group {
  members: ImUser[];
  unsettled: number;
  /** AddFriends requests of the group still unanswered. */
  befriending: number;
}

class ImUser {
  phase: Phase = 'waiting';
  link: ImLink | null = null;
  readonly pending = new PendingQueue();
  readonly random: Random;
  registered = false;
  /** Counted in ctx.status.loggedIn until its connection closes. */
  loggedIn = false;
  /** Logins so far: what an earlier session scheduled stops when it ends. */
  session = 0;
  /** Has been ready once: away, it is a friend who will come back. */
  wasReady = false;
  listsAwaited = 0;
  uploads = 0;
  nextFileListMs = Infinity;
  status: number = UserStatus.Online;

  constructor(readonly spec: UserSpec, seed: string) {
    this.random = new Random(hash32('user', seed, spec.index));
  }
}

export async function runImUsers(ctx: ScenarioContext, plan: UsersPlan): Promise<void> {
  const { task, recorder, timeline } = ctx;
  const specs = usersOf(plan.groups, plan.totalUsers, plan.groupSize, plan.seed, task.targets.length);
  const users = specs.map((spec) => new ImUser(spec, plan.seed));
  const byIndex = new Map(users.map((u) => [u.spec.index, u]));
  const byName = new Map(users.map((u) => [u.spec.name, u]));
  const groups = new Map<number, Group>();
  for (const u of users) {
    const g = groups.get(u.spec.group) ?? { members: [], unsettled: 0, befriending: 0 };
    g.members.push(u);
    g.unsettled++;
    groups.set(u.spec.group, g);
  }
  const runTag = hash32('run', task.runId);
  const unansweredOps = new Set<string>(plan.unanswered);
  const ledger = new DeliveryLedger('chat', recorder);
  const notices = new StatusNotices(recorder);
  const files = new FileTraffic(ctx, runTag, plan.seed, plan.httpBase);
  const connects = new ConnectTracker(recorder);
  const scheduler = new Scheduler(monoMs, { precise: true });
  const liveness = new Liveness(ctx, task.timeoutMs);
  const taken = { scheduledMs: 0, sentMs: 0, timedOut: false };
  const reconnecting = plan.reconnect.rate > 0;
  let ending = false;

  const measured = (op: LatencyOp, scheduledMs: number): boolean => SETUP_OPS.has(op) || ctx.inWindow(scheduledMs);
  const loggedIn = (u: ImUser): boolean => u.phase === 'ready' || u.phase === 'friends';

  const request = <K extends MessageIdNumber>(u: ImUser, id: K, fields: MessageFields<K>, scheduledMs: number): void => {
    const replyId = id + 1;
    const op = REPLY_OPS[replyId]!;
    const now = monoMs();
    u.link!.write(encodeMessageFrame(id, fields, task.layout));
    if (measured(op, scheduledMs)) recorder.sent(op, now - scheduledMs);
    // A request the target is said not to answer (the original never answers heartbeats) is only sent.
    if (unansweredOps.has(op)) return;
    u.pending.push(replyId, scheduledMs, now);
    liveness.asked(u.spec.target, now);
  };
  const push = <K extends MessageIdNumber>(u: ImUser, id: K, fields: MessageFields<K>): void => {
    u.link!.write(encodeMessageFrame(id, fields, task.layout));
  };
  /** What a user still waited for will not come: its connection ended, or the run did. */
  const abandon = (u: ImUser): void => {
    u.pending.drain((replyId, scheduledMs) => {
      const op = REPLY_OPS[replyId]!;
      if (measured(op, scheduledMs)) recorder.count(op, 'unanswered');
    });
  };

  const fail = (u: ImUser, why: string): void => {
    if (u.phase === 'failed' || u.phase === 'leaving') return;
    const wasSettling = !u.wasReady && u.phase !== 'friends' && u.phase !== 'ready';
    u.phase = 'failed';
    recorder.userFailed(why);
    u.link?.close();
    if (wasSettling) settle(u);
  };

  /**
   * A user's login attempt is over (success or failure): once every member's is, each logged-in member
   * befriends the later ones. Friendship is pairwise and the server refuses chat between non-friends,
   * so every pair of the group must be linked; G-1 requests do it.
   */
  const settle = (u: ImUser): void => {
    const group = groups.get(u.spec.group)!;
    if (--group.unsettled > 0) return;
    const online = group.members.filter((m) => m.phase === 'friends');
    if (online.length < 2) { for (const m of online) fetchLists(m); return; }
    const now = monoMs();
    group.befriending = online.length - 1;
    online.slice(0, -1).forEach((m, i) => {
      request(m, MessageId.AddFriendsRequest, { UserID: m.spec.name, UserIDList: online.slice(i + 1).map((f) => f.spec.name) }, now);
    });
  };

  const fetchLists = (u: ImUser): void => {
    u.listsAwaited = 2;
    const now = monoMs();
    request(u, MessageId.GetFriendsRequest, { UserID: u.spec.name }, now);
    request(u, MessageId.GetUserListRequest, { UserID: u.spec.name }, now);
  };

  /** Heartbeats from login to the end of the session, whatever else the user is waiting for. */
  const startHeartbeats = (u: ImUser): void => {
    const every = plan.heartbeatIntervalMs;
    const session = u.session;
    const beat = (due: number, t: number): void => {
      if (!loggedIn(u) || u.session !== session) return;
      request(u, MessageId.HeartbeatRequest, { UserID: u.spec.name }, due);
      scheduler.at(due + every, beat);
    };
    scheduler.at(monoMs() + u.random.next() * every, beat);
  };

  const becomeReady = (u: ImUser): void => {
    u.phase = 'ready';
    u.wasReady = true;
    poisson(u, plan.rates.chat, (due) => sendChat(u, due));
    poisson(u, plan.rates.upload, (due) => upload(u, due));
    poisson(u, plan.rates.status, (due) => changeStatus(u, due));
    poisson(u, plan.rates.userInfo, (due) => request(u, MessageId.UpdateUserInfoRequest, updateUserInfoRequest(u.spec, due), due));
    poisson(u, plan.rates.fileList, (due) => request(u, MessageId.GetFileListRequest, { UserID: u.spec.name, UserType: 0 }, due));
    // Logouts stop in time for the user to be back before the measured time ends.
    if (reconnecting) poisson(u, plan.reconnect.rate, (due) => { if (due < timeline.measureEndMs - plan.reconnect.awayMs) goAway(u, due); });
    if (plan.rates.upload > 0) u.nextFileListMs = monoMs() + u.random.next() * plan.fileListIntervalMs;
  };

  /** Actions of one session of `u`: they stop when it is no longer ready, or a new session began. */
  const poisson = (u: ImUser, perSecond: number, act: (due: number) => void): void => {
    const session = u.session;
    scheduler.poisson(perSecond, u.random, () => u.phase === 'ready' && u.session === session, (due) => act(due));
  };

  /** A friend to chat with: one that is ready, or with --reconnect-rate one away (the chat waits for its login). */
  const chatPartner = (f: ImUser): boolean =>
    f.phase === 'ready' || (reconnecting && f.wasReady && (f.phase === 'away' || f.phase === 'connecting' || f.phase === 'login'));

  const sendChat = (u: ImUser, due: number): void => {
    const to = pickFriend(u, byIndex, chatPartner);
    if (!to) return;
    const away = to.phase !== 'ready';
    // The stamp carries this send time exactly (a float64): a chat found offline takes back this same lag.
    const now = monoMs();
    const seq = accountedSeq(ctx, ledger, away ? 'chat.offline.e2e' : 'chat.e2e', u.spec.index, to.spec.index, due, now);
    const content = encodeStamp({ run: runTag, from: u.spec.index, to: to.spec.index, seq, scheduledMs: due, sentMs: now, toSession: to.session, away }, plan.chatBytes);
    push(u, MessageId.FriendChatRequest, { FromUserID: u.spec.name, ToUserID: to.spec.name, Content: content });
    if (!away) liveness.asked(u.spec.target, now);
  };

  const upload = (u: ImUser, due: number): void => {
    const to = pickFriend(u, byIndex);
    if (!to) return;
    const size = plan.uploadBytes.min + u.random.below(plan.uploadBytes.max - plan.uploadBytes.min + 1);
    request(u, MessageId.UploadFileRequest, files.upload(u.spec, to.spec, u.uploads++, size, due), due);
  };

  const changeStatus = (u: ImUser, due: number): void => {
    const choices = [UserStatus.QMe, UserStatus.Online, UserStatus.Away, UserStatus.Busy, UserStatus.DoNotDisturb].filter((s) => s !== u.status);
    u.status = choices[u.random.below(choices.length)]!;
    const inWindow = ctx.inWindow(due);
    const now = monoMs();
    if (inWindow) recorder.sent('status', now - due);
    const receivers = u.spec.friends.filter((i) => byIndex.get(i)!.phase === 'ready');
    notices.expect(u.spec.index, u.status, receivers, due, now, inWindow);
    push(u, MessageId.ChangeStatusRequest, { UserID: u.spec.name, Status: u.status });
    if (receivers.length > 0) liveness.asked(u.spec.target, now);
  };

  /** Logs out for a while (--reconnect-rate): a phone changing networks. Back after --away-time. */
  const goAway = (u: ImUser, due: number): void => {
    u.phase = 'away';
    notices.forget(u.spec.index);
    const link = u.link!;
    push(u, MessageId.UserOfflineRequest, { UserID: u.spec.name });
    // The server closes after a logout [IM-LOGOUT-1]; one that does not is closed for it.
    setTimeout(() => { if (!link.closed) link.close(); }, LOGOUT_WAIT_MS).unref();
    scheduler.at(due + plan.reconnect.awayMs, (back) => { if (u.phase === 'away' && !ending) start(u, back); });
  };

  const onReply = (u: ImUser, id: number, body: Uint8Array, now: number): void => {
    const op = REPLY_OPS[id]!;
    // Only the Result matters here: a user list of a thousand users is not decoded a thousand times.
    const code = resultCodeOf(body) ?? ResultCode.Failure;
    // A first login answered UserNotExists is the probe before registering, not a failed login.
    const probe = id === MessageId.LoginResponse && code === ResultCode.UserNotExists && !u.registered;
    const record = !taken.timedOut && measured(op, taken.scheduledMs);
    if (record && probe) {
      recorder.retractSent(op, taken.sentMs - taken.scheduledMs);
    } else if (record) {
      if (code === ResultCode.Success) recorder.latency(op, now - taken.scheduledMs, now - taken.sentMs, now);
      else recorder.failed(op, codeName(code), refusalMessage(id, body));
    }
    // Given up on (a timeout) while this reply was on its way: counted, and nothing more.
    if (u.phase === 'failed' || u.phase === 'leaving') return;
    switch (id) {
      case MessageId.LoginResponse:
        if (code === ResultCode.Success) loginDone(u);
        else if (code === ResultCode.UserNotExists && !u.registered) {
          u.phase = 'register';
          u.registered = true;
          request(u, MessageId.RegisterRequest, registerRequest(u.spec), now);
        } else fail(u, `login: ${codeName(code)}`);
        break;
      case MessageId.RegisterResponse:
        if (code === ResultCode.Success || code === ResultCode.UserExists) {
          u.phase = 'login';
          request(u, MessageId.LoginRequest, loginRequest(u.spec), now);
        } else fail(u, `register: ${codeName(code)}`);
        break;
      case MessageId.AddFriendsResponse: {
        if (code !== ResultCode.Success) { fail(u, `addfriends: ${codeName(code)}`); }
        const group = groups.get(u.spec.group)!;
        if (--group.befriending === 0) for (const m of group.members) if (m.phase === 'friends') fetchLists(m);
        break;
      }
      case MessageId.GetFriendsResponse:
      case MessageId.GetUserListResponse:
        if (--u.listsAwaited === 0 && u.phase === 'friends' && !ending) becomeReady(u);
        break;
      case MessageId.GetFileListResponse:
        if (code === ResultCode.Success) files.listed(u.spec, body);
        break;
    }
  };

  const loginDone = (u: ImUser): void => {
    u.loggedIn = true;
    u.registered = true;
    u.session++;
    ctx.status.loggedIn++;
    startHeartbeats(u);
    if (!u.wasReady) {
      u.phase = 'friends';
      settle(u);
    } else {
      // Back from away: ready at once; a client fetches its friends again at every login.
      becomeReady(u);
      request(u, MessageId.GetFriendsRequest, { UserID: u.spec.name }, monoMs());
    }
  };

  const onNotice = (u: ImUser, id: number, body: Uint8Array, now: number): void => {
    recorder.notice(id);
    try {
      readNotice(u, id, body, now);
    } catch {
      // A notice whose body does not decode carries nothing we can account: shown as unexpected.
      recorder.unexpectedFrame(id);
    }
  };

  const readNotice = (u: ImUser, id: number, body: Uint8Array, now: number): void => {
    if (id === MessageId.FriendChatNotice) {
      const stamp = decodeStamp(decodeMessage(MessageId.FriendChatNotice, body).Content);
      if (!stamp || stamp.run !== runTag || stamp.to !== u.spec.index || stamp.seq === 0) return;
      // Sent while the receiver was away, or meant for an earlier session: it waited for this login.
      const offline = stamp.away || stamp.toSession !== u.session;
      if (offline && !stamp.away) { recorder.retractSent('chat.e2e', stamp.sentMs - stamp.scheduledMs); recorder.sent('chat.offline.e2e', stamp.sentMs - stamp.scheduledMs); }
      if (ledger.received(stamp.from, stamp.to, stamp.seq)) recorder.latency(offline ? 'chat.offline.e2e' : 'chat.e2e', now - stamp.scheduledMs, now - stamp.sentMs);
    } else if (id === MessageId.ChangeStatusNotice) {
      const notice = decodeMessage(MessageId.ChangeStatusNotice, body);
      const sender = byName.get(notice.UserID);
      if (sender) notices.received(sender.spec.index, notice.Status, u.spec.index, now);
    } else if (id === MessageId.UserOfflineNotice) {
      // The server says a friend went offline while, as far as the run knows, it is logged in: the
      // original logs out users it thinks silent. Shown apart, since chats to that friend will be lost.
      const who = byName.get(decodeMessage(MessageId.UserOfflineNotice, body).UserID);
      if (who && loggedIn(who)) recorder.notice(`${id} about a user still logged in`);
    }
  };

  const onFrame = (u: ImUser, id: number, body: Uint8Array): void => {
    const now = monoMs();
    liveness.answered(u.spec.target);
    // Settled: what arrives now (logout notices, a late reply) is counted nowhere, lost stays lost.
    if (ending) return;
    const op = REPLY_OPS[id];
    if (op !== undefined && u.pending.take(id, taken)) onReply(u, id, body, now);
    else if (NOTICES.has(id)) onNotice(u, id, body, now);
    // A reply to a request declared unanswered is harmless; anything else nobody asked for is shown.
    else if (op === undefined || !unansweredOps.has(op)) recorder.unexpectedFrame(id);
  };

  const start = (u: ImUser, due: number): void => {
    const target = task.targets[u.spec.target]!;
    const localAddress = task.sourceAddresses.length > 0 ? task.sourceAddresses[u.spec.index % task.sourceAddresses.length] : undefined;
    u.phase = 'connecting';
    const started = monoMs();
    const attempt = connects.begin(due, started);
    ImLink.open({ ...target, localAddress, layout: task.layout, maxBodyBytes: task.maxBodyBytes, connectTimeoutMs: task.timeoutMs }).then((link) => {
      const now = monoMs();
      connects.connected(attempt, link, now);
      u.link = link;
      liveness.opened(u.spec.target);
      ctx.status.connected++;
      // Actions that came due while the replies were handled go out now, not at the next timer tick.
      link.onFramesDone = () => scheduler.pump();
      link.onFrame = (id, body) => onFrame(u, id, body);
      link.onClose = (reason) => {
        ctx.status.connected--;
        if (u.loggedIn) ctx.status.loggedIn--;
        u.loggedIn = false;
        connects.closed(attempt);
        abandon(u);
        const expected = u.phase === 'leaving' || u.phase === 'failed' || u.phase === 'away' || ending;
        liveness.closed(u.spec.target, reason, expected);
        if (!expected) fail(u, `connection lost: ${reason}`);
      };
      // Connected after the end of the run (a slow connect): nothing left to do.
      if (ctx.stopping || ending || now >= timeline.measureEndMs) { u.phase = 'leaving'; link.close(); return; }
      u.phase = 'login';
      request(u, MessageId.LoginRequest, loginRequest(u.spec), now);
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
    for (const u of users) {
      u.pending.expire(now - task.timeoutMs, (replyId, scheduledMs) => {
        const op = REPLY_OPS[replyId]!;
        if (measured(op, scheduledMs)) recorder.count(op, 'timeouts');
        if (u.phase !== 'ready') fail(u, `${op} timed out`);
      });
      // The file list: polled in the measured window, and in the grace window while files are awaited.
      if (u.phase === 'ready' && now >= u.nextFileListMs) {
        u.nextFileListMs += plan.fileListIntervalMs;
        if (now < timeline.measureEndMs || files.waitingFor(u.spec.index)) request(u, MessageId.GetFileListRequest, { UserID: u.spec.name, UserType: 0 }, now);
      }
    }
    liveness.check(now);
  }, TIMEOUT_SWEEP_MS);

  await scheduler.run(timeline.measureEndMs, () => ctx.stopping);
  // Grace: no new actions; replies, deliveries and downloads still count.
  await ctx.sleepUntil(timeline.graceEndMs);
  ending = true;
  clearInterval(sweep);
  for (const u of users) abandon(u);
  connects.finish();
  ledger.settle();
  notices.settle();
  files.settle();
  await logoutAll(users, push);
}

async function logoutAll(users: readonly ImUser[], push: (u: ImUser, id: 7, fields: MessageFields<7>) => void): Promise<void> {
  const closing: Promise<void>[] = [];
  for (const u of users) {
    const link = u.link;
    if (!link || link.closed) continue;
    const loggedIn = u.phase === 'ready' || u.phase === 'friends';
    u.phase = 'leaving';
    if (loggedIn) push(u, MessageId.UserOfflineRequest, { UserID: u.spec.name });
    closing.push(new Promise<void>((resolve) => {
      const timer = setTimeout(() => { link.close(); resolve(); }, loggedIn ? LOGOUT_WAIT_MS : 0);
      const previous = link.onClose;
      link.onClose = (reason) => { clearTimeout(timer); previous(reason); resolve(); };
    }));
  }
  await Promise.all(closing);
}

// The IM user scenario. Each simulated user is a state machine: connect, log in (registering first
// when the user does not exist), befriend its group, fetch friends and the user list; then, until the
// end, heartbeats at a fixed interval and chats, uploads, status changes, profile updates and file
// lists at Poisson rates (open model); then the grace window, and logout.
import { encodeMessageFrame, MessageId, ResultCode, UserStatus, decodeMessage, resultCodeOf, type MessageFields, type MessageIdNumber } from '../../proto/index.js';
import type { LatencyOp } from '../metrics/metric-names.js';
import { hash32, Random } from '../model/random.js';
import { usersOf, type UserSpec } from '../model/population.js';
import type { UsersPlan } from '../worker/task.js';
import type { WorkerContext } from '../worker/worker-context.js';
import { decodeStamp, encodeStamp } from './chat-stamp.js';
import { monoMs } from './clock.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { ImLink } from './im-link.js';
import { Liveness } from './liveness.js';
import { accountedSeq, pickReadyFriend } from './messaging.js';
import { PendingQueue } from './pending-queue.js';
import { Scheduler } from './scheduler.js';

const REPLY_OPS: Readonly<Record<number, LatencyOp>> = {
  [MessageId.LoginResponse]: 'login', [MessageId.RegisterResponse]: 'register', [MessageId.GetFriendsResponse]: 'friends',
  [MessageId.UpdateUserInfoResponse]: 'userinfo', [MessageId.GetUserListResponse]: 'userlist', [MessageId.AddFriendsResponse]: 'addfriends',
  [MessageId.HeartbeatResponse]: 'heartbeat', [MessageId.UploadFileResponse]: 'upload', [MessageId.GetFileListResponse]: 'filelist',
};
/** Setup operations are recorded whenever they happen; the rest only inside the measured window. */
const SETUP_OPS = new Set<LatencyOp>(['connect', 'login', 'register', 'addfriends', 'friends', 'userlist']);
const CODE_NAMES = new Map<number, string>(Object.entries(ResultCode).map(([name, code]) => [code, name]));
const TIMEOUT_SWEEP_MS = 100;
const LOGOUT_WAIT_MS = 1000;

type Phase = 'waiting' | 'connecting' | 'login' | 'register' | 'friends' | 'ready' | 'failed' | 'leaving';

interface Group {
  members: ImUser[];
  unsettled: number;
  /** AddFriends requests of the group still unanswered. */
  befriending: number;
}

interface StatusSent {
  status: number;
  scheduledMs: number;
  sentMs: number;
}

class ImUser {
  phase: Phase = 'waiting';
  link: ImLink | null = null;
  readonly pending = new PendingQueue();
  readonly random: Random;
  registered = false;
  /** Counted in ctx.status.loggedIn until its connection closes. */
  loggedIn = false;
  listsAwaited = 0;
  status: number = UserStatus.Online;

  constructor(readonly spec: UserSpec, seed: string) {
    this.random = new Random(hash32('user', seed, spec.index));
  }
}

export async function runImUsers(ctx: WorkerContext, plan: UsersPlan): Promise<void> {
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
  const ledger = new DeliveryLedger('chat', recorder);
  const statusSent = new Map<number, StatusSent>();
  const scheduler = new Scheduler(monoMs);
  const liveness = new Liveness(ctx);
  const taken = { scheduledMs: 0, sentMs: 0, timedOut: false };
  let ending = false;

  const measured = (op: LatencyOp, scheduledMs: number): boolean => SETUP_OPS.has(op) || ctx.inWindow(scheduledMs);

  const request = <K extends MessageIdNumber>(u: ImUser, id: K, fields: MessageFields<K>, scheduledMs: number): void => {
    const replyId = id + 1;
    const op = REPLY_OPS[replyId]!;
    const now = monoMs();
    u.pending.push(replyId, scheduledMs, now);
    u.link!.write(encodeMessageFrame(id, fields, task.layout));
    if (measured(op, scheduledMs)) recorder.count(op, 'sent');
  };
  const push = <K extends MessageIdNumber>(u: ImUser, id: K, fields: MessageFields<K>): void => {
    u.link!.write(encodeMessageFrame(id, fields, task.layout));
  };

  const fail = (u: ImUser, why: string): void => {
    if (u.phase === 'failed') return;
    const wasSettling = u.phase !== 'ready' && u.phase !== 'friends';
    u.phase = 'failed';
    u.link?.close();
    if (wasSettling) settle(u);
    void why;
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
      request(m, MessageId.AddFriendsRequest, { UserIDList: online.slice(i + 1).map((f) => f.spec.name) }, now);
    });
  };

  const fetchLists = (u: ImUser): void => {
    u.listsAwaited = 2;
    const now = monoMs();
    request(u, MessageId.GetFriendsRequest, { UserID: u.spec.name }, now);
    request(u, MessageId.GetUserListRequest, { UserID: u.spec.name }, now);
  };

  /** Heartbeats from login to the end of the run, whatever else the user is waiting for. */
  const startHeartbeats = (u: ImUser): void => {
    const every = plan.heartbeatIntervalMs;
    const beat = (due: number, t: number): void => {
      if (u.phase !== 'ready' && u.phase !== 'friends') return;
      health(due, t);
      request(u, MessageId.HeartbeatRequest, { UserID: u.spec.name }, due);
      scheduler.at(due + every, beat);
    };
    scheduler.at(monoMs() + u.random.next() * every, beat);
  };

  const becomeReady = (u: ImUser): void => {
    u.phase = 'ready';
    poisson(u, plan.rates.chat, (due) => sendChat(u, due));
    poisson(u, plan.rates.upload, (due) => {
      const size = plan.uploadBytes.min + u.random.below(plan.uploadBytes.max - plan.uploadBytes.min + 1);
      request(u, MessageId.UploadFileRequest, { FromUserID: u.spec.name, fileName: `load-${u.spec.index}.bin`, Data: new Uint8Array(size) }, due);
    });
    poisson(u, plan.rates.status, (due) => changeStatus(u, due));
    poisson(u, plan.rates.userInfo, (due) => request(u, MessageId.UpdateUserInfoRequest, { User: { NickName: `user ${u.spec.index}`, Signature: `at ${Math.round(due)}` } }, due));
    poisson(u, plan.rates.fileList, (due) => request(u, MessageId.GetFileListRequest, { UserID: u.spec.name }, due));
  };

  const health = (due: number, t: number): void => { if (ctx.inWindow(due)) ctx.health.started(due, t); };

  const poisson = (u: ImUser, perSecond: number, act: (due: number) => void): void => {
    scheduler.poisson(perSecond, u.random, () => u.phase === 'ready', (due, t) => {
      health(due, t);
      act(due);
    });
  };

  const sendChat = (u: ImUser, due: number): void => {
    const to = pickReadyFriend(u, byIndex);
    if (!to) return;
    const seq = accountedSeq(ctx, ledger, 'chat.e2e', u.spec.index, to.spec.index, due);
    const content = encodeStamp({ run: runTag, from: u.spec.index, to: to.spec.index, seq, scheduledMs: due, sentMs: monoMs() }, plan.chatBytes);
    push(u, MessageId.FriendChatRequest, { FromUserID: u.spec.name, ToUserID: to.spec.name, Content: content });
  };

  const changeStatus = (u: ImUser, due: number): void => {
    const choices = [UserStatus.QMe, UserStatus.Online, UserStatus.Away, UserStatus.Busy, UserStatus.DoNotDisturb].filter((s) => s !== u.status);
    u.status = choices[u.random.below(choices.length)]!;
    if (ctx.inWindow(due)) recorder.count('status', 'sent');
    statusSent.set(u.spec.index, { status: u.status, scheduledMs: due, sentMs: monoMs() });
    push(u, MessageId.ChangeStatusRequest, { UserID: u.spec.name, Status: u.status });
  };

  const onReply = (u: ImUser, id: number, body: Uint8Array, now: number): void => {
    const op = REPLY_OPS[id]!;
    if (!u.pending.take(id, taken)) return;
    liveness.replied(now);
    // Only the Result matters here: a user list of a thousand users is not decoded a thousand times.
    const code = resultCodeOf(body) ?? ResultCode.Failure;
    // A first login answered UserNotExists is the probe before registering, not a failed login.
    const probe = id === MessageId.LoginResponse && code === ResultCode.UserNotExists && !u.registered;
    const record = !taken.timedOut && measured(op, taken.scheduledMs);
    if (record && probe) {
      recorder.retractSent(op);
    } else if (record) {
      if (code === ResultCode.Success) recorder.latency(op, now - taken.scheduledMs, now - taken.sentMs);
      else recorder.failed(op, CODE_NAMES.get(code) ?? `code ${code}`);
    }
    switch (id) {
      case MessageId.LoginResponse:
        if (code === ResultCode.Success) {
          u.phase = 'friends';
          u.loggedIn = true;
          ctx.status.loggedIn++;
          startHeartbeats(u);
          settle(u);
        } else if (code === ResultCode.UserNotExists && !u.registered) {
          u.phase = 'register';
          u.registered = true;
          request(u, MessageId.RegisterRequest, { UserID: u.spec.name, Password: u.spec.password, NickName: `user ${u.spec.index}` }, now);
        } else {
          fail(u, `login: ${CODE_NAMES.get(code)}`);
        }
        break;
      case MessageId.RegisterResponse:
        if (code === ResultCode.Success || code === ResultCode.UserExists) {
          u.phase = 'login';
          request(u, MessageId.LoginRequest, { UserID: u.spec.name, Password: u.spec.password, Status: UserStatus.Online }, now);
        } else {
          fail(u, `register: ${CODE_NAMES.get(code)}`);
        }
        break;
      case MessageId.AddFriendsResponse: {
        const group = groups.get(u.spec.group)!;
        if (--group.befriending === 0) for (const m of group.members) if (m.phase === 'friends') fetchLists(m);
        break;
      }
      case MessageId.GetFriendsResponse:
      case MessageId.GetUserListResponse:
        if (--u.listsAwaited === 0 && u.phase === 'friends' && !ending) becomeReady(u);
        break;
    }
  };

  const onNotice = (u: ImUser, id: number, body: Uint8Array, now: number): void => {
    if (id === MessageId.FriendChatNotice) {
      if (ending) return;   // settled: a chat arriving now was counted lost and stays so
      const stamp = decodeStamp(decodeMessage(MessageId.FriendChatNotice, body).Content);
      if (!stamp || stamp.run !== runTag || stamp.to !== u.spec.index || stamp.seq === 0) return;
      if (ledger.received(stamp.from, stamp.to, stamp.seq)) recorder.latency('chat.e2e', now - stamp.scheduledMs, now - stamp.sentMs);
    } else if (id === MessageId.ChangeStatusNotice) {
      const notice = decodeMessage(MessageId.ChangeStatusNotice, body);
      const sender = byName.get(notice.UserID);
      const sent = sender && statusSent.get(sender.spec.index);
      if (sent && sent.status === notice.Status && ctx.inWindow(sent.scheduledMs)) recorder.latency('status', now - sent.scheduledMs, now - sent.sentMs);
    }
  };

  const start = (u: ImUser, due: number): void => {
    const target = task.targets[u.spec.target]!;
    const localAddress = task.sourceAddresses.length > 0 ? task.sourceAddresses[u.spec.index % task.sourceAddresses.length] : undefined;
    u.phase = 'connecting';
    const started = monoMs();
    ImLink.open({ ...target, localAddress, layout: task.layout, maxBodyBytes: task.maxBodyBytes, connectTimeoutMs: task.timeoutMs }).then((link) => {
      const now = monoMs();
      recorder.latency('connect', now - due, now - started);
      u.link = link;
      liveness.opened();
      ctx.status.connected++;
      // Actions that came due while the replies were handled go out now, not at the next timer tick.
      link.onFramesDone = () => scheduler.pump();
      link.onFrame = (id, body) => {
        const t = monoMs();
        if (REPLY_OPS[id] !== undefined) onReply(u, id, body, t);
        else onNotice(u, id, body, t);
      };
      link.onClose = (reason) => {
        ctx.status.connected--;
        if (u.loggedIn) ctx.status.loggedIn--;
        u.loggedIn = false;
        const expected = u.phase === 'leaving' || u.phase === 'failed' || ending;
        liveness.closed(reason, expected);
        if (!expected) fail(u, reason);
      };
      // Connected after the end of the run (a slow connect): nothing left to do.
      if (ctx.stopping || ending || now >= timeline.measureEndMs) { u.phase = 'leaving'; link.close(); return; }
      u.phase = 'login';
      request(u, MessageId.LoginRequest, { UserID: u.spec.name, Password: u.spec.password, Status: UserStatus.Online }, now);
    }, (err: NodeJS.ErrnoException) => {
      ctx.status.connectFailures++;
      recorder.failed('connect', err.code ?? 'error');
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
    let oldest: number | null = null;
    for (const u of users) {
      u.pending.expire(now - task.timeoutMs, (replyId, scheduledMs) => {
        const op = REPLY_OPS[replyId]!;
        if (measured(op, scheduledMs)) recorder.count(op, 'timeouts');
        if (u.phase !== 'ready') fail(u, `${op} timed out`);
      });
      const sent = u.pending.oldestOutstandingSentMs();
      if (sent !== null && (oldest === null || sent < oldest)) oldest = sent;
    }
    if (!ending) liveness.check(oldest, task.timeoutMs);
  }, TIMEOUT_SWEEP_MS);

  await scheduler.run(timeline.measureEndMs, () => ctx.stopping);
  // Grace: no new actions; replies and deliveries still count.
  await ctx.sleepUntil(timeline.graceEndMs);
  ending = true;
  clearInterval(sweep);
  ledger.settle();
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

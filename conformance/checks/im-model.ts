// The model-based IM check: fast-check generates sequences of commands (register, log in, add a
// friend, chat, change status, list friends, heartbeat, log out) over a few users, each on its own
// connection, and runs them against the server and against a plain model of what the server must do.
// After every command, barriers on every open connection prove that each push the model expects has
// arrived and that nothing else has ([IM-NOTICE-1], [IM-NOTICE-5]). A failure shrinks to the shortest
// sequence of commands that shows it. Only MUST behaviour is modelled: chats go to online friends
// alone, so a server that does not store offline chats (a SHOULD, [IM-CHAT-3]) does not fail here.
import fc from 'fast-check';
import { MessageId, ResultCode, UserStatus, decodeMessage } from '../../proto/index.js';
import type { CheckDefinition } from '../catalogue/check.js';
import type { CheckContext } from '../harness/context.js';
import type { ImPeer } from '../harness/im-peer.js';
import { CheckFailed, expectThat } from '../harness/verdicts.js';
import { AVATAR, resultText } from './im-accounts.js';

const USERS = 4;
const OFFLINE = UserStatus.Offline;

interface ModelUser {
  registered: boolean;
  online: boolean;
  /** The status chosen at login or by ChangeStatus (1-5) while online. */
  status: number;
  friends: Set<number>;
}

interface Model {
  users: ModelUser[];
}

interface Real {
  ctx: CheckContext;
  names: string[];
  peers: (ImPeer | null)[];
  heartbeats: boolean;
}

const password = (name: string): string => `pw-${name}`;

/** Pushes the model expects after a command: who gets which id about whom, with which status. */
interface Push { to: number; id: 8 | 10 | 14; about: number; status?: number; content?: string }

async function expectPushes(m: Model, r: Real, actor: number | null, pushes: readonly Push[]): Promise<void> {
  // The actor's requests are handled (and their pushes written) before the reply to its barrier
  // [IM-FRAME-5]; each receiver's own barrier then comes after anything written to it before.
  if (actor !== null && r.peers[actor]) await r.peers[actor]!.barrier();
  for (const [i, peer] of r.peers.entries()) {
    if (peer === null) continue;
    await peer.barrier();
    const mine = pushes.filter((p) => p.to === i);
    for (const p of mine) {
      const frame = peer.inbox.find((f) => f.id === p.id);
      if (frame === undefined) throw new CheckFailed(`${r.names[i]} to get ${p.id} about ${r.names[p.about]} (model: ${describeModel(m, r)})`, `nothing; ${peer.gotInstead()}`);
      peer.inbox.splice(peer.inbox.indexOf(frame), 1);
      const body = decodeMessage(p.id, frame.body) as { UserID?: string; FromUserID?: string; Status?: number; Content?: Uint8Array };
      const who = p.id === 14 ? body.FromUserID : body.UserID;
      expectThat(who === r.names[p.about], `${p.id} about ${r.names[p.about]} to ${r.names[i]}`, () => peer.describe(frame));
      if (p.status !== undefined) expectThat(body.Status === p.status, `${p.id} about ${r.names[p.about]} with Status ${p.status}`, () => peer.describe(frame));
      if (p.content !== undefined) expectThat(Buffer.from(body.Content ?? []).toString() === p.content, `14 with Content "${p.content}"`, () => peer.describe(frame));
    }
    const extra = peer.pending(8, 10, 14);
    if (extra.length > 0) throw new CheckFailed(`no other notice to ${r.names[i]} [IM-NOTICE-1, IM-NOTICE-5] (model: ${describeModel(m, r)})`, extra.map((f) => peer.describe(f)).join('; '));
  }
}

function describeModel(m: Model, r: Real): string {
  return m.users.map((u, i) => `${r.names[i]}: ${!u.registered ? 'unregistered' : u.online ? `online ${u.status}` : 'offline'}${u.friends.size ? ` friends ${[...u.friends].map((f) => r.names[f]).join(',')}` : ''}`).join('; ');
}

const onlineFriends = (m: Model, i: number): number[] => [...m.users[i]!.friends].filter((f) => m.users[f]!.online);

type Command = fc.AsyncCommand<Model, Real>;

class Register implements Command {
  constructor(readonly i: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const peer = r.peers[this.i] ?? r.peers.find((p) => p !== null) ?? await r.ctx.im(`reg-${r.names[this.i]}`);
    const name = r.names[this.i]!;
    peer.send(MessageId.RegisterRequest, { UserID: name, Password: password(name), NickName: `u${this.i}`, Signature: 'model', HeadImageData: AVATAR });
    const reply = await peer.expect(MessageId.RegisterResponse, { what: `4 (RegisterResponse) to the registration of ${name}` });
    const expected = m.users[this.i]!.registered ? ResultCode.UserExists : ResultCode.Success;
    expectThat((reply.Result?.Code ?? 0) === expected, `RegisterResponse ${expected === ResultCode.Success ? 'Success' : 'UserExists (2)'} [IM-REG-1, IM-REG-3]`, () => resultText(reply.Result));
    m.users[this.i]!.registered = true;
    await expectPushes(m, r, null, []);
  }
  toString = (): string => `register(${this.i})`;
}

class Login implements Command {
  constructor(readonly i: number, readonly status: number) {}
  check = (m: Readonly<Model>): boolean => m.users[this.i]!.registered && !m.users[this.i]!.online;
  async run(m: Model, r: Real): Promise<void> {
    const name = r.names[this.i]!;
    const peer = await r.ctx.im(name);
    peer.send(MessageId.LoginRequest, { UserID: name, Password: password(name), Status: this.status });
    const reply = await peer.expect(MessageId.LoginResponse, { what: `2 (LoginResponse) to the login of ${name}` });
    expectThat(reply.Result?.Code === ResultCode.Success && reply.User?.UserID === name, `LoginResponse Success with User ${name} [IM-LOGIN-1]`, () => `${resultText(reply.Result)}, User ${reply.User?.UserID ?? 'none'}`);
    r.peers[this.i] = peer;
    m.users[this.i]!.online = true;
    m.users[this.i]!.status = this.status;
    await expectPushes(m, r, this.i, onlineFriends(m, this.i).map((f) => ({ to: f, id: 10, about: this.i, status: this.status })));
  }
  toString = (): string => `login(${this.i}, status ${this.status})`;
}

class Logout implements Command {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>): boolean => m.users[this.i]!.online;
  async run(m: Model, r: Real): Promise<void> {
    const peer = r.peers[this.i]!;
    peer.send(MessageId.UserOfflineRequest, { UserID: r.names[this.i]! });
    await peer.closedWithin(`the connection of ${r.names[this.i]} closed after its logout [IM-LOGOUT-1]`);
    r.peers[this.i] = null;
    m.users[this.i]!.online = false;
    await expectPushes(m, r, null, onlineFriends(m, this.i).map((f) => ({ to: f, id: 8, about: this.i, status: OFFLINE })));
  }
  toString = (): string => `logout(${this.i})`;
}

class AddFriend implements Command {
  constructor(readonly i: number, readonly j: number) {}
  check = (m: Readonly<Model>): boolean => this.i !== this.j && m.users[this.i]!.online && m.users[this.j]!.registered;
  async run(m: Model, r: Real): Promise<void> {
    const peer = r.peers[this.i]!;
    peer.send(MessageId.AddFriendsRequest, { UserID: r.names[this.i]!, UserIDList: [r.names[this.j]!] });
    const reply = await peer.expect(MessageId.AddFriendsResponse);
    expectThat(reply.Result?.Code === ResultCode.Success, `AddFriendsResponse Success [IM-FRIENDS-2]`, () => resultText(reply.Result));
    m.users[this.i]!.friends.add(this.j);
    m.users[this.j]!.friends.add(this.i);
    await expectPushes(m, r, this.i, []);
  }
  toString = (): string => `addFriend(${this.i}, ${this.j})`;
}

class Chat implements Command {
  constructor(readonly i: number, readonly j: number, readonly text: string) {}
  check = (m: Readonly<Model>): boolean => m.users[this.i]!.online && m.users[this.i]!.friends.has(this.j) && m.users[this.j]!.online;
  async run(m: Model, r: Real): Promise<void> {
    r.peers[this.i]!.send(MessageId.FriendChatRequest, { FromUserID: r.names[this.i]!, ToUserID: r.names[this.j]!, Content: Buffer.from(this.text) });
    await expectPushes(m, r, this.i, [{ to: this.j, id: 14, about: this.i, content: this.text }]);
  }
  toString = (): string => `chat(${this.i} -> ${this.j}, ${JSON.stringify(this.text)})`;
}

class ChangeStatus implements Command {
  constructor(readonly i: number, readonly status: number) {}
  check = (m: Readonly<Model>): boolean => m.users[this.i]!.online;
  async run(m: Model, r: Real): Promise<void> {
    r.peers[this.i]!.send(MessageId.ChangeStatusRequest, { UserID: r.names[this.i]!, Status: this.status });
    m.users[this.i]!.status = this.status;
    await expectPushes(m, r, this.i, onlineFriends(m, this.i).map((f) => ({ to: f, id: 10, about: this.i, status: this.status })));
  }
  toString = (): string => `changeStatus(${this.i}, ${this.status})`;
}

class ListFriends implements Command {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>): boolean => m.users[this.i]!.online;
  async run(m: Model, r: Real): Promise<void> {
    const peer = r.peers[this.i]!;
    peer.send(MessageId.GetFriendsRequest, { UserID: r.names[this.i]! });
    const reply = await peer.expect(MessageId.GetFriendsResponse);
    const expected = [...m.users[this.i]!.friends].map((f) => ({ id: r.names[f]!, status: m.users[f]!.online ? m.users[f]!.status : OFFLINE })).sort((a, b) => (a.id < b.id ? -1 : 1));
    const got = (reply.Friends ?? []).map((f) => ({ id: f.UserID ?? '', status: f.Status ?? 0 }));
    expectThat(reply.Result?.Code === ResultCode.Success && JSON.stringify(got) === JSON.stringify(expected),
      `GetFriendsResponse Success with ${JSON.stringify(expected)}, ordered by UserID, each with its status [IM-FRIENDS-1, IM-NOTICE-4]`, () => `${resultText(reply.Result)} ${JSON.stringify(got)}`);
    await expectPushes(m, r, this.i, []);
  }
  toString = (): string => `listFriends(${this.i})`;
}

class Heartbeat implements Command {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>): boolean => m.users[this.i]!.online;
  async run(m: Model, r: Real): Promise<void> {
    if (!r.heartbeats) return;
    const peer = r.peers[this.i]!;
    peer.send(MessageId.HeartbeatRequest, { UserID: r.names[this.i]! });
    const reply = await peer.expect(MessageId.HeartbeatResponse);
    expectThat(reply.Result?.Code === ResultCode.Success, 'HeartbeatResponse Success [IM-HEARTBEAT-1]', () => resultText(reply.Result));
    await expectPushes(m, r, this.i, []);
  }
  toString = (): string => `heartbeat(${this.i})`;
}

const user = fc.integer({ min: 0, max: USERS - 1 });
const status = fc.integer({ min: 1, max: 5 });
const COMMANDS = [
  user.map((i) => new Register(i)),
  fc.tuple(user, status).map(([i, s]) => new Login(i, s)),
  user.map((i) => new Logout(i)),
  fc.tuple(user, user).map(([i, j]) => new AddFriend(i, j)),
  fc.tuple(user, user, fc.string({ minLength: 0, maxLength: 12 })).map(([i, j, t]) => new Chat(i, j, t)),
  fc.tuple(user, status).map(([i, s]) => new ChangeStatus(i, s)),
  user.map((i) => new ListFriends(i)),
  user.map((i) => new Heartbeat(i)),
];

/**
 * Four fresh users, all registered first (on one connection): most commands need a registered user,
 * and sequences of mostly skipped commands would test little.
 */
function setupFor(ex: CheckContext): () => Promise<{ model: Model; real: Real }> {
  return async () => {
    const names = Array.from({ length: USERS }, (_, i) => ex.name(`m${i}`));
    const peer = await ex.im('setup');
    for (const name of names) {
      peer.send(MessageId.RegisterRequest, { UserID: name, Password: password(name), NickName: name.slice(-4), Signature: 'model', HeadImageData: AVATAR });
      const reply = await peer.expect(MessageId.RegisterResponse, { what: `4 (RegisterResponse) to the registration of ${name} (setup)` });
      expectThat(reply.Result?.Code === ResultCode.Success, `RegisterResponse Success for ${name} (setup) [IM-REG-1]`, () => resultText(reply.Result));
    }
    peer.close();
    return {
      model: { users: names.map(() => ({ registered: true, online: false, status: OFFLINE, friends: new Set<number>() })) },
      real: { ctx: ex, names, peers: names.map(() => null), heartbeats: !ex.profile.unanswered.includes('heartbeat') },
    };
  };
}

/**
 * Logins with statuses, friendships, chats both ways, a status change, lists before and after a
 * logout, a return. Each command's precondition holds where it stands (one that did not would be
 * skipped without a word).
 */
const SCRIPTED: Command[] = [
  new Login(0, 2), new Login(1, 3), new Login(2, 4), new AddFriend(0, 1), new AddFriend(0, 2),
  new Chat(0, 1, 'first'), new Chat(0, 1, 'second'), new Chat(1, 0, 'back'), new ChangeStatus(0, 5), new ListFriends(0),
  new Logout(2), new ListFriends(0), new Login(3, 1), new AddFriend(3, 1), new ListFriends(1), new Login(2, 3), new ChangeStatus(1, 4),
  new Heartbeat(0), new Register(1), new Logout(0), new ListFriends(1), new Login(0, 1),
];

const modelCheck: CheckDefinition = {
  id: 'im.model.commands',
  level: 'MUST',
  requirements: ['IM-FRAME-5', 'IM-LOGIN-1', 'IM-LOGOUT-1', 'IM-NOTICE-1', 'IM-NOTICE-2', 'IM-NOTICE-4', 'IM-FRIENDS-1', 'IM-FRIENDS-2', 'IM-CHAT-1'],
  requirement: 'Notices 8 and 10 about a user go to every friend of that user that is online at that moment, one copy each, and to no one else; chats reach the receiver; lists show the current state.',
  description: `random sequences of register, login, add friend, chat, status change, friend list, heartbeat and logout over ${USERS} users on their own connections, against a model; failures shrink to the shortest sequence`,
  budgetMs: 120_000,
  async run(ctx) {
    // A fixed sequence first, which reaches every kind of push and list with few examples; then
    // random ones.
    await fc.asyncModelRun(setupFor(ctx), SCRIPTED);
    await ctx.property(fc.commands(COMMANDS, { maxCommands: 30, size: '+1' }), async (ex, commands) => {
      await fc.asyncModelRun(setupFor(ex), commands);
    });
  },
};

export const IM_MODEL_CHECKS: readonly CheckDefinition[] = [modelCheck];

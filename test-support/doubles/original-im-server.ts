// An in-process IM server that behaves as docs/ORIGINALS.md says the ORIGINAL Go server (zinx up to
// v1.1.2) does, quirks included, so the load generator and conformance tests can meet those quirks
// without the original. Each quirk is switchable (`quirks`), all on by default; with a quirk off the
// server does the plain thing instead (the behaviour talkbench's own PROTOCOL.md asks for, roughly).
// Comments quoted "like this" are lines of docs/ORIGINALS.md.
//
// Deliberately not the reference server: state is in memory, there is no login check beyond what the
// original's behaviour implies, and identity fields are trusted ("the original trusts identity fields
// from requests"): a request acts for the UserID it names, or for the session's user when it names
// none; a request that ends up with no user at all gets nothing ("reports some failures silently").
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import {
  FrameDecoder, FrameHeaderError, MessageId, ResultCode, UserStatus, decodeMessage, encodeMessageFrame, isMessageId, messageName,
  type DecodedMessage, type MessageFields, type MessageIdNumber,
} from '../../proto/index.js';
import { startResourceHttpServer } from './resource-http-server.js';
import { listenOnLoopback } from './listen.js';

export interface OriginalImQuirks {
  /** "Register fails (`Result.Msg` "注册失败！") without an avatar": 4 {Code 0}. Off: registers with an empty HeadImageUrl. */
  registerNeedsAvatar: boolean;
  /** "AddFriends needs `UserID` (the requester) filled": without it 18 {Code 0}. Off: the session's user is the requester. */
  addFriendsNeedsUserId: boolean;
  /** "GetFriends for a user with no friends is answered with id 4 ... "没有朋友！"". Off: 6 Success with no friends. */
  noFriendsAnsweredAsRegister: boolean;
  /** "an empty user list gets no reply at all". Off: 16 Success with an empty list. */
  emptyUserListUnanswered: boolean;
  /** "The original never answers Heartbeat (20)". Off: 20 Success. */
  heartbeatUnanswered: boolean;
  /** "... or UpdateUserInfo (12)"; and "UpdateUserInfo likewise carries `User.UserID`": applied only when it is filled. Off: 12 Success, the session's user when User.UserID is empty. */
  updateUserInfoUnanswered: boolean;
  /** "A user whose heartbeats stop for about 10 s is logged out by the server (friends get 8) while its connection stays open". Off: no such timer. */
  silentLogout: boolean;
  /** "chat to an offline user is dropped". Off: stored and pushed (14) at the receiver's next login. */
  offlineChatDropped: boolean;
  /** "Uploads are de-duplicated by the MD5 of their content: a second upload of the same bytes fails ("文件已存在")". Off: every upload is stored. */
  uploadDedupByMd5: boolean;
}

export const ORIGINAL_IM_QUIRKS: Readonly<OriginalImQuirks> = {
  registerNeedsAvatar: true,
  addFriendsNeedsUserId: true,
  noFriendsAnsweredAsRegister: true,
  emptyUserListUnanswered: true,
  heartbeatUnanswered: true,
  updateUserInfoUnanswered: true,
  silentLogout: true,
  offlineChatDropped: true,
  uploadDedupByMd5: true,
};

export interface OriginalImServerOptions {
  /** Quirks to switch off (or on); every one omitted is on. */
  quirks?: Partial<OriginalImQuirks>;
  /** Silence after which a logged-in user is logged out (quirk silentLogout). Default 10,000 ms ("about 10 s"). */
  silentLogoutMs?: number;
  /**
   * What keeps a user logged in. docs/ORIGINALS.md says "heartbeats stop": by default ('heartbeat') only a
   * HeartbeatRequest (19) resets the timer, so a client busy with other requests but sending no
   * heartbeats is still logged out; 'any-frame' resets it on every frame received from the connection
   * (what zinx's own connection activity check would do). Default 'heartbeat'.
   */
  silentLogoutResetBy?: 'heartbeat' | 'any-frame';
  /** At the first UserOfflineRequest (7) the server crashes: every socket destroyed, listeners closed. Default false. */
  dieInLogoutPhase?: boolean;
  /** zinx's MaxPacketSize: a larger frame closes the connection. Default 500 MiB (the original's). */
  maxBodyBytes?: number;
  /**
   * Connections past this count are closed at once ("at 2048 connections in total (its MaxConn) every
   * new connection is closed at once"). Counts open connections, or every connection ever accepted
   * when deadlockOnDisconnect is on ("Its connection count never falls"). Default Infinity (off); the original's is 2048.
   */
  maxConn?: number;
  /**
   * "On every disconnect the server deadlocks on its own connection lock: the socket is never closed,
   * the user stays "online", and a chat or status notice to that user blocks one of its 8 worker
   * threads for good." Emulated: a peer's disconnect leaves its user online; a push (8, 10, 14) to
   * such a user blocks the worker handling the request that caused it, and zinx assigns each
   * connection to worker (connection number % workerPoolSize), so every later frame of a connection
   * on a blocked worker is never handled. Default false (it would stall every other test).
   */
  deadlockOnDisconnect?: boolean;
  /** zinx's WorkerPoolSize, used by deadlockOnDisconnect. Default 8. */
  workerPoolSize?: number;
}

export interface OriginalImStats {
  connectionsAccepted: number;
  connectionsOpen: number;
  /** Closed at once because of maxConn. */
  connectionsRefused: number;
  /** Frames received, by message id (ids never seen are absent). */
  framesReceived: Record<number, number>;
  /** Frames sent, by message id. */
  framesSent: Record<number, number>;
  /** Requests that got no reply although their id has one (quirks, no user to act for, undecodable). */
  unanswered: number;
  /** Bodies that did not decode (logged and ignored, as zinx handlers do). */
  undecodable: number;
  /** Frames with an id that is not a request (zinx logs "api msgID = N is not FOUND!" and goes on). */
  unknownIds: number;
  /** Connections closed for a frame over maxBodyBytes. */
  oversized: number;
  silentLogouts: number;
  /** FriendChat to an offline user, dropped. */
  chatsDropped: number;
  /** Workers blocked for good (deadlockOnDisconnect). */
  blockedWorkers: number;
  /** Frames never handled because their connection's worker is blocked. */
  framesStuck: number;
  /** The server died (dieInLogoutPhase). */
  crashed: boolean;
}

export interface OriginalImServer {
  /** IM (frame) port on 127.0.0.1. */
  port: number;
  /** HTTP port on 127.0.0.1 serving `/res/avatars/...` and `/res/files/...`. */
  httpPort: number;
  stats: OriginalImStats;
  /** One line per notable event (logins, logouts, refusals, drops), oldest first, the last 10,000 kept. */
  log: string[];
  /** UserIDs online now, in login order. */
  onlineUsers(): string[];
  /** UserIDs registered, in registration order. */
  registeredUsers(): string[];
  /** Friends of a user (empty for an unknown user). */
  friendsOf(userId: string): string[];
  /** Stops both listeners and destroys every connection. Safe after a crash and when called twice. */
  close(): Promise<void>;
}

interface User {
  userId: string;
  password: string;
  nickName: string;
  signature: string;
  headImageUrl: string;
  createTime: number;
  status: number;
  friends: Set<string>;
}

interface Connection {
  /** Connection number, from 0, as zinx's ConnID: picks the worker (deadlockOnDisconnect). */
  number: number;
  socket: Socket;
  decoder: FrameDecoder;
  userId: string | null;
  silence: NodeJS.Timeout | null;
  /** The peer is gone but the server "never closed" it (deadlockOnDisconnect). */
  gone: boolean;
}

interface StoredFile {
  uploader: string;
  to: string;
  fileName: string;
  path: string;
  size: number;
}

/** Thrown inside a handler when its worker blocks for good: nothing after it happens. */
class WorkerBlocked extends Error {}

const LOG_LIMIT = 10_000;

export async function startOriginalImServer(options: OriginalImServerOptions = {}): Promise<OriginalImServer> {
  const quirks: OriginalImQuirks = { ...ORIGINAL_IM_QUIRKS, ...options.quirks };
  const silentLogoutMs = options.silentLogoutMs ?? 10_000;
  const resetByAnyFrame = options.silentLogoutResetBy === 'any-frame';
  const maxConn = options.maxConn ?? Infinity;
  const deadlock = options.deadlockOnDisconnect ?? false;
  const poolSize = options.workerPoolSize ?? 8;
  const maxBodyBytes = options.maxBodyBytes ?? 500 * 1024 * 1024;

  const stats: OriginalImStats = {
    connectionsAccepted: 0, connectionsOpen: 0, connectionsRefused: 0, framesReceived: {}, framesSent: {},
    unanswered: 0, undecodable: 0, unknownIds: 0, oversized: 0, silentLogouts: 0, chatsDropped: 0,
    blockedWorkers: 0, framesStuck: 0, crashed: false,
  };
  const log: string[] = [];
  const note = (line: string): void => {
    log.push(line);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  };

  const users = new Map<string, User>();
  const online = new Map<string, Connection>();
  const connections = new Set<Connection>();
  const files: StoredFile[] = [];
  const uploadedMd5 = new Set<string>();
  const offlineChats = new Map<string, MessageFields<14>[]>();
  const blocked = new Set<number>();
  let avatarCount = 0;
  let uploadCount = 0;
  /** The worker of the frame being handled (deadlockOnDisconnect). */
  let currentWorker = 0;

  const http = await startResourceHttpServer();

  // --- writing -------------------------------------------------------------------------------------

  /** One write per frame, as the original's SendMsg does. */
  const send = <K extends MessageIdNumber>(conn: Connection, id: K, fields: MessageFields<K>): void => {
    if (conn.socket.destroyed || conn.socket.writableEnded) return;
    stats.framesSent[id] = (stats.framesSent[id] ?? 0) + 1;
    conn.socket.write(encodeMessageFrame(id, fields));
  };

  /** A push (8, 10, 14) to a user online now; false when the user is not online. */
  const push = <K extends MessageIdNumber>(userId: string, id: K, fields: MessageFields<K>): boolean => {
    const target = online.get(userId);
    if (target === undefined) return false;
    if (target.gone) {
      // The disconnected user is still "online": writing to it takes the lock the disconnect holds.
      if (!blocked.has(currentWorker)) {
        blocked.add(currentWorker);
        stats.blockedWorkers = blocked.size;
        note(`worker ${currentWorker} blocked for good pushing ${messageName(id)} to disconnected ${userId}`);
      }
      throw new WorkerBlocked();
    }
    send(target, id, fields);
    return true;
  };

  const pushToOnlineFriends = <K extends MessageIdNumber>(user: User, id: K, fields: MessageFields<K>): void => {
    for (const friend of user.friends) push(friend, id, fields);
  };

  const result = (code: number, msg = ''): { Code: number; Msg: string } => ({ Code: code, Msg: msg });
  const unanswered = (why: string): void => { stats.unanswered += 1; note(`no reply: ${why}`); };
  const infoOf = (user: User): NonNullable<MessageFields<2>['User']> => ({
    UserID: user.userId, NickName: user.nickName, Signature: user.signature, HeadImageUrl: user.headImageUrl,
    CreateTime: user.createTime, Status: online.has(user.userId) ? user.status : UserStatus.Offline,
  });

  // --- sessions ------------------------------------------------------------------------------------

  const armSilence = (conn: Connection): void => {
    if (!quirks.silentLogout) return;
    conn.silence = setTimeout(() => silentLogout(conn), silentLogoutMs);
    conn.silence.unref();
  };
  const disarmSilence = (conn: Connection): void => {
    if (conn.silence !== null) clearTimeout(conn.silence);
    conn.silence = null;
  };

  /** Takes a user offline and tells its online friends (8 {UserID, Status 6}). */
  const goOffline = (conn: Connection, why: string): void => {
    const userId = conn.userId;
    disarmSilence(conn);
    conn.userId = null;
    if (userId === null || online.get(userId) !== conn) return;
    online.delete(userId);
    const user = users.get(userId);
    note(`${userId} offline: ${why}`);
    if (user) {
      user.status = UserStatus.Offline;
      pushToOnlineFriends(user, MessageId.UserOfflineNotice, { UserID: userId, Status: UserStatus.Offline });
    }
  };

  const silentLogout = (conn: Connection): void => {
    if (conn.userId === null || stats.crashed) return;
    stats.silentLogouts += 1;
    currentWorker = conn.number % poolSize;
    // The connection stays open ("while its connection stays open").
    try { goOffline(conn, `no heartbeat for ${silentLogoutMs} ms`); } catch (err) { if (!(err instanceof WorkerBlocked)) throw err; }
  };

  /** The user a request acts for: the identity field it carries, else the session's user. */
  const actingUser = (field: string | null | undefined, conn: Connection): string | null => field || conn.userId;

  // --- handlers, one per request id ----------------------------------------------------------------

  const handlers: { [K in MessageIdNumber]?: (conn: Connection, req: DecodedMessage<K>) => void } = {
    [MessageId.RegisterRequest]: (conn, req: DecodedMessage<3>) => {
      const failed = (): void => send(conn, MessageId.RegisterResponse, { Result: result(ResultCode.Failure, '注册失败！') });
      // The avatar is stored first; without one the whole registration fails with the generic message.
      if (quirks.registerNeedsAvatar && req.HeadImageData.length === 0) { note(`register ${req.UserID}: no HeadImageData`); failed(); return; }
      if (!req.UserID) { failed(); return; }
      if (users.has(req.UserID)) {
        send(conn, MessageId.RegisterResponse, { Result: result(ResultCode.UserExists, 'user already exists') });
        return;
      }
      let headImageUrl = '';
      if (req.HeadImageData.length > 0) {
        const path = `avatars/${++avatarCount}.png`;
        http.put(path, Buffer.from(req.HeadImageData)); // a copy: the decoded field is a view into the frame
        headImageUrl = http.urlOf(path);
      }
      users.set(req.UserID, {
        userId: req.UserID, password: req.Password, nickName: req.NickName, signature: req.Signature,
        headImageUrl, createTime: Math.floor(Date.now() / 1000), status: UserStatus.Offline, friends: new Set(),
      });
      send(conn, MessageId.RegisterResponse, { Result: result(ResultCode.Success) });
    },

    [MessageId.LoginRequest]: (conn, req: DecodedMessage<1>) => {
      const user = users.get(req.UserID);
      const refuse = (code: number, msg: string): void => send(conn, MessageId.LoginResponse, { Result: result(code, msg) });
      if (user === undefined) { refuse(ResultCode.UserNotExists, 'user does not exist'); return; }
      if (user.password !== req.Password) { refuse(ResultCode.WrongPassword, 'wrong password'); return; }
      if (online.has(user.userId) || conn.userId !== null) { refuse(ResultCode.RepeatLogin, 'user already online'); return; }
      user.status = req.Status >= UserStatus.QMe && req.Status <= UserStatus.DoNotDisturb ? req.Status : UserStatus.Online;
      online.set(user.userId, conn);
      conn.userId = user.userId;
      armSilence(conn);
      note(`${user.userId} logged in on connection ${conn.number}`);
      send(conn, MessageId.LoginResponse, { Result: result(ResultCode.Success), User: infoOf(user) });
      pushToOnlineFriends(user, MessageId.ChangeStatusNotice, { UserID: user.userId, Status: user.status });
      for (const chat of offlineChats.get(user.userId)?.splice(0) ?? []) send(conn, MessageId.FriendChatNotice, chat);
    },

    [MessageId.GetFriendsRequest]: (conn, req: DecodedMessage<5>) => {
      const userId = actingUser(req.UserID, conn);
      if (userId === null) { unanswered('GetFriends with no UserID before login'); return; }
      const friends = [...(users.get(userId)?.friends ?? [])].map((id) => users.get(id)).filter((u): u is User => u !== undefined);
      if (friends.length === 0 && quirks.noFriendsAnsweredAsRegister) {
        // The original answers "no friends" under the register reply's id.
        send(conn, MessageId.RegisterResponse, { Result: result(ResultCode.Failure, '没有朋友！') });
        return;
      }
      send(conn, MessageId.GetFriendsResponse, { Result: result(ResultCode.Success), Friends: friends.map(infoOf) });
    },

    [MessageId.UserOfflineRequest]: (conn, req: DecodedMessage<7>) => {
      const userId = actingUser(req.UserID, conn);
      const named = userId === null ? undefined : online.get(userId);
      if (named !== undefined) goOffline(named, 'logout');
      // "LOGOUT ends the session": the server closes the connection, after the replies queued so far.
      conn.socket.end();
    },

    [MessageId.ChangeStatusRequest]: (conn, req: DecodedMessage<9>) => {
      const user = users.get(actingUser(req.UserID, conn) ?? '');
      if (user === undefined) return;
      user.status = req.Status;
      pushToOnlineFriends(user, MessageId.ChangeStatusNotice, { UserID: user.userId, Status: req.Status });
    },

    [MessageId.UpdateUserInfoRequest]: (conn, req: DecodedMessage<11>) => {
      const fields = req.User ?? {};
      const userId = quirks.updateUserInfoUnanswered ? fields.UserID || null : actingUser(fields.UserID, conn);
      const user = users.get(userId ?? '');
      if (user !== undefined) {
        // proto3 cannot tell an empty string from an absent one: only filled fields change.
        if (fields.NickName) user.nickName = fields.NickName;
        if (fields.Signature) user.signature = fields.Signature;
        if (fields.HeadImageUrl) user.headImageUrl = fields.HeadImageUrl;
      }
      if (quirks.updateUserInfoUnanswered) { unanswered(`UpdateUserInfo (${user ? 'applied' : 'no User.UserID'})`); return; }
      send(conn, MessageId.UpdateUserInfoResponse, { Result: user ? result(ResultCode.Success) : result(ResultCode.UserNotExists, 'no such user') });
    },

    [MessageId.FriendChatRequest]: (conn, req: DecodedMessage<13>) => {
      const from = actingUser(req.FromUserID, conn);
      if (from === null) return;
      // "pushed to the receiver as id 14 with the same fields"; no acknowledgement either way.
      const notice = { FromUserID: from, ToUserID: req.ToUserID, Content: Buffer.from(req.Content) };
      if (push(req.ToUserID, MessageId.FriendChatNotice, notice)) return;
      if (quirks.offlineChatDropped || !users.has(req.ToUserID)) {
        stats.chatsDropped += 1;
        note(`chat ${from} -> ${req.ToUserID} dropped: receiver offline`);
        return;
      }
      const queue = offlineChats.get(req.ToUserID) ?? [];
      queue.push(notice);
      offlineChats.set(req.ToUserID, queue);
    },

    [MessageId.GetUserListRequest]: (conn) => {
      // Every registered user, no cap: 1,000 users make a reply of about 124 KB.
      const list = [...users.values()].map(infoOf);
      if (list.length === 0 && quirks.emptyUserListUnanswered) { unanswered('GetUserList with an empty list'); return; }
      send(conn, MessageId.GetUserListResponse, { Result: result(ResultCode.Success), UserList: list });
    },

    [MessageId.AddFriendsRequest]: (conn, req: DecodedMessage<17>) => {
      const reply = (code: number, msg = ''): void => send(conn, MessageId.AddFriendsResponse, { Result: result(code, msg) });
      const requesterId = quirks.addFriendsNeedsUserId ? req.UserID || null : actingUser(req.UserID, conn);
      if (requesterId === null) { note('AddFriends without UserID refused'); reply(ResultCode.Failure, '添加好友失败！'); return; }
      const requester = users.get(requesterId);
      if (requester === undefined) { reply(ResultCode.UserNotExists, `unknown user ${requesterId}`); return; }
      const others = req.UserIDList.filter((id) => id !== requesterId);
      const unknown = others.find((id) => !users.has(id));
      if (unknown !== undefined) { reply(ResultCode.UserNotExists, `unknown user ${unknown}`); return; }
      if (others.length === 0) { reply(ResultCode.Failure, 'no user to add'); return; }
      for (const id of others) {
        requester.friends.add(id);
        users.get(id)!.friends.add(requesterId);
      }
      reply(ResultCode.Success);
    },

    [MessageId.HeartbeatRequest]: (conn, req: DecodedMessage<19>) => {
      const beating = online.get(actingUser(req.UserID, conn) ?? '');
      if (beating?.silence) beating.silence.refresh();
      if (quirks.heartbeatUnanswered) { stats.unanswered += 1; return; } // not logged: one per heartbeat would flood the log
      send(conn, MessageId.HeartbeatResponse, { Result: result(ResultCode.Success) });
    },

    [MessageId.UploadFileRequest]: (conn, req: DecodedMessage<21>) => {
      const uploader = actingUser(req.FromUserID, conn);
      if (uploader === null) { unanswered('UploadFile with no FromUserID before login'); return; }
      const md5 = createHash('md5').update(req.Data).digest('hex');
      if (quirks.uploadDedupByMd5 && uploadedMd5.has(md5)) {
        send(conn, MessageId.UploadFileResponse, { Result: result(ResultCode.Failure, '文件已存在') });
        return;
      }
      uploadedMd5.add(md5);
      const ext = /\.([A-Za-z0-9]{1,10})$/.exec(req.fileName)?.[1]?.toLowerCase();
      const path = `files/${md5}${quirks.uploadDedupByMd5 ? '' : `-${++uploadCount}`}${ext ? `.${ext}` : ''}`;
      http.put(path, Buffer.from(req.Data));
      files.push({ uploader, to: req.ToUserID, fileName: req.fileName, path, size: req.Data.length });
      send(conn, MessageId.UploadFileResponse, { Result: result(ResultCode.Success), FileName: req.fileName, DownUrl: http.urlOf(path) });
    },

    [MessageId.GetFileListRequest]: (conn, req: DecodedMessage<23>) => {
      const userId = actingUser(req.UserID, conn);
      if (userId === null) { unanswered('GetFileList with no UserID before login'); return; }
      const list = files
        .filter((f) => f.uploader === userId || f.to === userId)
        .map((f) => ({ UserID: f.uploader, FileSize: f.size, FileName: f.fileName, DownUrl: http.urlOf(f.path) }));
      send(conn, MessageId.GetFileListResponse, { Result: result(ResultCode.Success), FileList: list });
    },
  };

  // --- connections ---------------------------------------------------------------------------------

  const crash = (): void => {
    stats.crashed = true;
    note('crashed in the logout phase');
    for (const conn of connections) { disarmSilence(conn); conn.socket.destroy(); }
    server.close();
    void http.close();
  };

  const handleFrame = (conn: Connection, id: number, body: Uint8Array): void => {
    stats.framesReceived[id] = (stats.framesReceived[id] ?? 0) + 1;
    currentWorker = conn.number % poolSize;
    if (blocked.has(currentWorker)) { stats.framesStuck += 1; return; }
    if (id === MessageId.UserOfflineRequest && options.dieInLogoutPhase) { crash(); return; }
    const handler = isMessageId(id) ? (handlers[id] as ((c: Connection, r: unknown) => void) | undefined) : undefined;
    if (handler === undefined) { stats.unknownIds += 1; note(`api msgID = ${id} is not FOUND!`); return; }
    let req: unknown;
    try {
      req = decodeMessage(id, body);
    } catch {
      stats.undecodable += 1;
      unanswered(`${messageName(id)} body does not decode`);
      return;
    }
    if (resetByAnyFrame) conn.silence?.refresh();
    try {
      handler(conn, req);
    } catch (err) {
      if (!(err instanceof WorkerBlocked)) throw err;
    }
  };

  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const counted = deadlock ? stats.connectionsAccepted : stats.connectionsOpen;
    socket.on('error', () => undefined);
    if (counted >= maxConn || stats.crashed) {
      stats.connectionsRefused += 1;
      socket.destroy();
      return;
    }
    const conn: Connection = {
      number: stats.connectionsAccepted++, socket, decoder: new FrameDecoder({ maxBodyBytes }), userId: null, silence: null, gone: false,
    };
    stats.connectionsOpen += 1;
    connections.add(conn);
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = conn.decoder.push(chunk);
      } catch (err) {
        if (!(err instanceof FrameHeaderError)) throw err;
        // zinx refuses a frame over MaxPacketSize and stops the connection; the frames before it are handled.
        for (const f of err.framesBefore) if (!stats.crashed) handleFrame(conn, f.id, f.body);
        stats.oversized += 1;
        note(`connection ${conn.number}: ${err.message}`);
        socket.destroy();
        return;
      }
      for (const f of frames) {
        // After a logout the server has ended the connection: what follows is not handled.
        if (stats.crashed || socket.destroyed || socket.writableEnded) break;
        handleFrame(conn, f.id, f.body);
      }
    });
    const peerGone = (): void => {
      if (conn.gone || stats.crashed) return;
      if (deadlock && conn.userId !== null) {
        // The server never closes its side and the user stays "online".
        conn.gone = true;
        disarmSilence(conn);
        note(`${conn.userId} disconnected; its connection is stuck`);
        return;
      }
      currentWorker = conn.number % poolSize;
      try { goOffline(conn, 'disconnected'); } catch (err) { if (!(err instanceof WorkerBlocked)) throw err; }
      if (!socket.destroyed && !socket.writableEnded) socket.end();
    };
    socket.on('end', peerGone);
    socket.on('close', () => {
      peerGone();
      disarmSilence(conn);
      connections.delete(conn);
      stats.connectionsOpen -= 1;
    });
  });
  const addressPort = await listenOnLoopback(server, 'IM server');

  let closing: Promise<void> | null = null;
  return {
    port: addressPort,
    httpPort: http.port,
    stats,
    log,
    onlineUsers: () => [...online.keys()],
    registeredUsers: () => [...users.keys()],
    friendsOf: (userId) => [...(users.get(userId)?.friends ?? [])],
    close: () => {
      closing ??= (async () => {
        for (const conn of connections) { disarmSilence(conn); conn.socket.destroy(); }
        await Promise.all([
          new Promise<void>((resolve) => { if (server.listening) server.close(() => resolve()); else resolve(); }),
          http.close(),
        ]);
      })();
      return closing;
    },
  };
}

// What IM handlers share: the store, the online sessions, and the ways to reach other users.
import { MessageId, UserStatus, type MessageFields, type MessageIdNumber, im } from '../../proto/index.js';
import type { Logger } from '../log.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FileKind, Store, StoredUser } from '../storage/store.js';
import type { ImConfig } from './im-config.js';
import type { ImConnection } from './im-connection.js';

/** Stored chats are delivered after login in batches of this many, waiting for the socket between. */
const PENDING_BATCH = 256;

export class ImHub {
  /** Logged-in users and their connection: one connection per user [IM-LOGIN-4]. */
  readonly online = new Map<string, ImConnection>();
  /** Set once every connection is being closed: nobody is left to notify. */
  shuttingDown = false;
  /** Requests still being handled asynchronously; shutdown waits for them before closing the store. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly store: Store,
    readonly blobs: BlobStore,
    readonly config: ImConfig,
    readonly log: Logger,
  ) {}

  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = (): void => { this.inFlight.delete(work); };
    work.then(forget, forget);
    return work;
  }

  /** Resolves when every tracked request has finished, or after `ms`. */
  async settle(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => { timer = setTimeout(resolve, ms); }),
    ]);
    clearTimeout(timer);
  }

  /** The status others see: the chosen presence while online, Offline otherwise. */
  currentStatus(userId: string): number {
    return this.online.get(userId)?.status ?? UserStatus.Offline;
  }

  userInfo(user: StoredUser): im.IUserInfo {
    return {
      UserID: user.userId,
      NickName: user.nickName,
      Signature: user.signature,
      HeadImageUrl: user.headImageUrl.startsWith('/res/') ? this.config.publicUrl + user.headImageUrl : user.headImageUrl,
      CreateTime: user.createTime,
      Status: this.currentStatus(user.userId),
    };
  }

  resourcePath(kind: FileKind, storedName: string): string {
    return `/res/${kind === 'file' ? 'files' : 'avatars'}/${storedName}`;
  }

  downloadUrl(kind: FileKind, storedName: string): string {
    return this.config.publicUrl + this.resourcePath(kind, storedName);
  }

  /** Pushes a notice to every online friend of `userId` [IM-NOTICE-1]. */
  pushToOnlineFriends<K extends MessageIdNumber>(userId: string, id: K, fields: MessageFields<K>): void {
    for (const friendId of this.store.friendIds(userId)) {
      this.online.get(friendId)?.send(id, fields);
    }
  }

  /**
   * Delivers a friend chat now if the receiver is online and reachable, otherwise stores it for the
   * receiver's next login [IM-CHAT-3]. Behind a delivery of stored chats, it is stored too, so the
   * receiver sees chats in the order they were sent.
   */
  deliverChat(fromUser: string, toUser: string, content: Uint8Array): 'delivered' | 'stored' {
    const receiver = this.online.get(toUser);
    if (receiver && !receiver.drainingPending &&
        receiver.send(MessageId.FriendChatNotice, { FromUserID: fromUser, ToUserID: toUser, Content: content })) {
      return 'delivered';
    }
    this.store.enqueueChat({ fromUser, toUser, content });
    return 'stored';
  }

  /**
   * Sends a freshly logged-in user the chats stored while it was away, oldest first. Each is deleted
   * once written to the socket; a connection lost midway keeps the rest for the next login.
   */
  async deliverPending(connection: ImConnection): Promise<void> {
    const userId = connection.userId!;
    connection.drainingPending = true;
    let afterSeq = 0;
    let delivered = 0;
    try {
      for (;;) {
        const batch = this.store.pendingChats(userId, afterSeq, PENDING_BATCH);
        if (batch.length === 0 || connection.peer.closing) break;
        for (const chat of batch) {
          const sent = connection.send(
            MessageId.FriendChatNotice,
            { FromUserID: chat.fromUser, ToUserID: chat.toUser, Content: chat.content },
            (err) => { if (!err) this.store.deleteChat(chat.seq); },
          );
          if (!sent) return;
          afterSeq = chat.seq;
          delivered++;
        }
        await connection.peer.drained();
      }
    } finally {
      connection.drainingPending = false;
      if (delivered > 0) connection.peer.log.debug(`delivered ${delivered} stored chat(s)`);
    }
  }

  /**
   * `connection` logged in as `user` with `status` (1-5): it becomes the user's one session
   * [IM-LOGIN-4], and the chosen status is stored. Friends and stored chats are the login's to tell.
   */
  wentOnline(connection: ImConnection, user: StoredUser, status: number): void {
    connection.userId = user.userId;
    connection.status = status;
    this.online.set(user.userId, connection);
    if (status !== user.status) this.store.setStatus(user.userId, status);
  }

  /** A logged-in connection is gone (logout, idle, error): friends learn it [IM-LOGOUT-2]. */
  wentOffline(connection: ImConnection, reason: string): void {
    const userId = connection.userId;
    if (userId === null || this.online.get(userId) !== connection) return;
    this.online.delete(userId);
    if (this.shuttingDown) return;
    this.pushToOnlineFriends(userId, MessageId.UserOfflineNotice, { UserID: userId, Status: UserStatus.Offline });
    connection.peer.log.info(`${userId} offline: ${reason}`);
  }
}

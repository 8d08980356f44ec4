// What the server keeps: users, friendships, undelivered chats and file metadata. Synchronous on
// purpose: both implementations (SQLite through better-sqlite3, and memory) answer in microseconds, and
// a synchronous store keeps every handler free of interleavings between a check and its write.

export interface StoredUser {
  userId: string;
  passwordHash: string;
  nickName: string;
  signature: string;
  headImageUrl: string;
  /** Unix seconds. */
  createTime: number;
  /** The presence the user last chose (1-5); shown while online. */
  status: number;
}

export interface ProfileUpdate {
  nickName: string;
  signature: string;
  headImageUrl: string;
}

export interface PendingChat {
  seq: number;
  fromUser: string;
  toUser: string;
  content: Uint8Array;
}

export type FileKind = 'file' | 'avatar';

export interface StoredFile {
  /** The name the server chose; the only name used on disk and in URLs. */
  storedName: string;
  kind: FileKind;
  owner: string;
  toUser: string;
  userType: number;
  /** The client's name for it, sanitised; shown in lists, never used as a path. */
  fileName: string;
  size: number;
  createdAt: number;
}

export interface Store {
  getUser(userId: string): StoredUser | undefined;
  /** False when the user exists already. */
  insertUser(user: StoredUser): boolean;
  updateProfile(userId: string, profile: ProfileUpdate): void;
  setStatus(userId: string, status: number): void;
  /** Up to `limit` users, ordered by id. */
  listUsers(limit: number): StoredUser[];

  friendIds(userId: string): string[];
  friends(userId: string): StoredUser[];
  areFriends(a: string, b: string): boolean;
  /** Adds each friendship both ways, in one transaction; existing ones are kept. */
  addFriendships(userId: string, friendIds: readonly string[]): void;

  enqueueChat(chat: Omit<PendingChat, 'seq'>): number;
  /** The oldest `limit` undelivered chats to `toUser` after `afterSeq`, in the order they were sent. */
  pendingChats(toUser: string, afterSeq: number, limit: number): PendingChat[];
  deleteChat(seq: number): void;

  insertFile(file: StoredFile): void;
  getFile(storedName: string): StoredFile | undefined;
  /** Files `userId` uploaded or was sent, newest first. */
  filesFor(userId: string): StoredFile[];

  close(): void;
}

// The default store: one SQLite file in WAL mode. synchronous=NORMAL keeps every committed transaction
// across a process crash (kill -9): a commit is in the WAL, in the OS page cache, before the server
// answers. Only a power loss can take the last transactions, which FULL would also cover at a cost.
import Database from 'better-sqlite3';
import type { PendingChat, ProfileUpdate, Store, StoredFile, StoredUser } from './store.js';
import { UsageError } from '../../util/errors.js';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  nick_name TEXT NOT NULL,
  signature TEXT NOT NULL,
  head_image_url TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  status INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS friends (
  user_id TEXT NOT NULL,
  friend_id TEXT NOT NULL,
  PRIMARY KEY (user_id, friend_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_chats (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  to_user TEXT NOT NULL,
  from_user TEXT NOT NULL,
  content BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_chats_to ON pending_chats (to_user, seq);
CREATE TABLE IF NOT EXISTS files (
  stored_name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL,
  to_user TEXT NOT NULL,
  user_type INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS files_owner ON files (owner, created_at);
CREATE INDEX IF NOT EXISTS files_to ON files (to_user, created_at);
`;

interface UserRow {
  user_id: string; password_hash: string; nick_name: string; signature: string;
  head_image_url: string; create_time: number; status: number;
}
interface FileRow {
  stored_name: string; kind: 'file' | 'avatar'; owner: string; to_user: string; user_type: number;
  file_name: string; size: number; created_at: number;
}

const toUser = (r: UserRow): StoredUser => ({
  userId: r.user_id, passwordHash: r.password_hash, nickName: r.nick_name, signature: r.signature,
  headImageUrl: r.head_image_url, createTime: r.create_time, status: r.status,
});
const toFile = (r: FileRow): StoredFile => ({
  storedName: r.stored_name, kind: r.kind, owner: r.owner, toUser: r.to_user, userType: r.user_type,
  fileName: r.file_name, size: r.size, createdAt: r.created_at,
});

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = OFF');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new UsageError(`database ${path} has schema version ${version}; this talkbench knows up to ${SCHEMA_VERSION}`);
    }
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    const db = this.db;
    this.stmt = {
      getUser: db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?'),
      insertUser: db.prepare('INSERT OR IGNORE INTO users VALUES (@userId, @passwordHash, @nickName, @signature, @headImageUrl, @createTime, @status)'),
      updateProfile: db.prepare('UPDATE users SET nick_name = @nickName, signature = @signature, head_image_url = @headImageUrl WHERE user_id = @userId'),
      setStatus: db.prepare('UPDATE users SET status = ? WHERE user_id = ?'),
      listUsers: db.prepare<[number], UserRow>('SELECT * FROM users ORDER BY user_id LIMIT ?'),
      friendIds: db.prepare<[string], { friend_id: string }>('SELECT friend_id FROM friends WHERE user_id = ?'),
      friends: db.prepare<[string], UserRow>('SELECT u.* FROM friends f JOIN users u ON u.user_id = f.friend_id WHERE f.user_id = ? ORDER BY u.user_id'),
      areFriends: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM friends WHERE user_id = ? AND friend_id = ?'),
      addFriend: db.prepare('INSERT OR IGNORE INTO friends VALUES (?, ?)'),
      enqueueChat: db.prepare('INSERT INTO pending_chats (to_user, from_user, content) VALUES (?, ?, ?)'),
      pendingChats: db.prepare<[string, number, number], { seq: number; to_user: string; from_user: string; content: Buffer }>(
        'SELECT seq, to_user, from_user, content FROM pending_chats WHERE to_user = ? AND seq > ? ORDER BY seq LIMIT ?'),
      deleteChat: db.prepare('DELETE FROM pending_chats WHERE seq = ?'),
      insertFile: db.prepare('INSERT INTO files VALUES (@storedName, @kind, @owner, @toUser, @userType, @fileName, @size, @createdAt)'),
      getFile: db.prepare<[string], FileRow>('SELECT * FROM files WHERE stored_name = ?'),
      filesFor: db.prepare<[string, string], FileRow>(
        "SELECT * FROM files WHERE kind = 'file' AND (owner = ? OR to_user = ?) ORDER BY created_at DESC, stored_name"),
    };
  }

  getUser(userId: string): StoredUser | undefined {
    const row = this.stmt.getUser.get(userId);
    return row && toUser(row);
  }

  insertUser(user: StoredUser): boolean {
    return this.stmt.insertUser.run(user).changes === 1;
  }

  updateProfile(userId: string, profile: ProfileUpdate): void {
    this.stmt.updateProfile.run({ userId, ...profile });
  }

  setStatus(userId: string, status: number): void {
    this.stmt.setStatus.run(status, userId);
  }

  listUsers(limit: number): StoredUser[] {
    return this.stmt.listUsers.all(limit).map(toUser);
  }

  friendIds(userId: string): string[] {
    return this.stmt.friendIds.all(userId).map((r) => r.friend_id);
  }

  friends(userId: string): StoredUser[] {
    return this.stmt.friends.all(userId).map(toUser);
  }

  areFriends(a: string, b: string): boolean {
    return this.stmt.areFriends.get(a, b) !== undefined;
  }

  addFriendships(userId: string, friendIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const f of friendIds) {
        this.stmt.addFriend.run(userId, f);
        this.stmt.addFriend.run(f, userId);
      }
    })();
  }

  enqueueChat(chat: Omit<PendingChat, 'seq'>): number {
    return Number(this.stmt.enqueueChat.run(chat.toUser, chat.fromUser, chat.content).lastInsertRowid);
  }

  pendingChats(toUser: string, afterSeq: number, limit: number): PendingChat[] {
    return this.stmt.pendingChats.all(toUser, afterSeq, limit).map((r) => ({
      seq: r.seq, toUser: r.to_user, fromUser: r.from_user, content: r.content,
    }));
  }

  deleteChat(seq: number): void {
    this.stmt.deleteChat.run(seq);
  }

  insertFile(file: StoredFile): void {
    this.stmt.insertFile.run(file);
  }

  getFile(storedName: string): StoredFile | undefined {
    const row = this.stmt.getFile.get(storedName);
    return row && toFile(row);
  }

  filesFor(userId: string): StoredFile[] {
    return this.stmt.filesFor.all(userId, userId).map(toFile);
  }

  close(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

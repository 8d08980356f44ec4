// The in-memory store (`serve --memory`): the same contract as SqliteStore, nothing on disk.
import type { PendingChat, ProfileUpdate, Store, StoredFile, StoredUser } from './store.js';

export class MemoryStore implements Store {
  private readonly users = new Map<string, StoredUser>();
  private readonly friendSets = new Map<string, Set<string>>();
  /** Per receiver, in send order. */
  private readonly pending = new Map<string, PendingChat[]>();
  private readonly pendingBySeq = new Map<number, PendingChat>();
  private readonly files = new Map<string, StoredFile>();
  /** Every user id in sorted order, kept on insert, so a user list costs its length, not a sort. */
  private readonly sortedIds: string[] = [];
  private nextSeq = 1;

  getUser(userId: string): StoredUser | undefined {
    const user = this.users.get(userId);
    return user && { ...user };
  }

  insertUser(user: StoredUser): boolean {
    if (this.users.has(user.userId)) return false;
    this.users.set(user.userId, { ...user });
    this.sortedIds.splice(insertionPoint(this.sortedIds, user.userId), 0, user.userId);
    return true;
  }

  updateProfile(userId: string, profile: ProfileUpdate): void {
    const user = this.users.get(userId);
    if (user) Object.assign(user, profile);
  }

  setStatus(userId: string, status: number): void {
    const user = this.users.get(userId);
    if (user) user.status = status;
  }

  listUsers(limit: number): StoredUser[] {
    return this.sortedIds.slice(0, limit).map((id) => ({ ...this.users.get(id)! }));
  }

  friendIds(userId: string): string[] {
    return [...(this.friendSets.get(userId) ?? [])];
  }

  friends(userId: string): StoredUser[] {
    return this.friendIds(userId).sort(byCodePoint).flatMap((id) => {
      const user = this.users.get(id);
      return user ? [{ ...user }] : [];
    });
  }

  areFriends(a: string, b: string): boolean {
    return this.friendSets.get(a)?.has(b) ?? false;
  }

  addFriendships(userId: string, friendIds: readonly string[]): void {
    for (const f of friendIds) {
      this.link(userId, f);
      this.link(f, userId);
    }
  }

  private link(from: string, to: string): void {
    let set = this.friendSets.get(from);
    if (!set) this.friendSets.set(from, (set = new Set()));
    set.add(to);
  }

  enqueueChat(chat: Omit<PendingChat, 'seq'>): number {
    const stored: PendingChat = { ...chat, content: Uint8Array.from(chat.content), seq: this.nextSeq++ };
    let queue = this.pending.get(chat.toUser);
    if (!queue) this.pending.set(chat.toUser, (queue = []));
    queue.push(stored);
    this.pendingBySeq.set(stored.seq, stored);
    return stored.seq;
  }

  pendingChats(toUser: string, afterSeq: number, limit: number): PendingChat[] {
    // Copies, as every other read gives: the stored chat is not the caller's to change.
    return (this.pending.get(toUser) ?? []).filter((c) => c.seq > afterSeq).slice(0, limit)
      .map((c) => ({ ...c, content: Uint8Array.from(c.content) }));
  }

  deleteChat(seq: number): void {
    const chat = this.pendingBySeq.get(seq);
    if (!chat) return;
    this.pendingBySeq.delete(seq);
    const queue = this.pending.get(chat.toUser)!;
    queue.splice(queue.indexOf(chat), 1);
    if (queue.length === 0) this.pending.delete(chat.toUser);
  }

  insertFile(file: StoredFile): void {
    this.files.set(file.storedName, { ...file });
  }

  getFile(storedName: string): StoredFile | undefined {
    const file = this.files.get(storedName);
    return file && { ...file };
  }

  filesFor(userId: string): StoredFile[] {
    return [...this.files.values()]
      .filter((f) => f.kind === 'file' && (f.owner === userId || f.toUser === userId))
      .sort((a, b) => b.createdAt - a.createdAt || a.storedName.localeCompare(b.storedName))
      .map((f) => ({ ...f }));
  }

  close(): void {}
}

/** Where `id` goes in the sorted `ids` (binary search, in byCodePoint order). */
function insertionPoint(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (byCodePoint(ids[mid]!, id) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Code-point order, as SQLite orders its UTF-8 text: sort()'s UTF-16 code units would put characters
 * past U+FFFF (emoji) before U+E000-U+FFFF (fullwidth forms), and "ordered by id" would differ
 * between the two stores. At the first code unit that differs, surrogates move above U+FFFF.
 */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

// The Store contract (reference-server/storage/store.ts), one suite for every implementation: SQLite,
// the default, and memory, which keeps "the same contract as SqliteStore". What the interface's doc
// comments say is checked by examples, then the core operations by a fast-check model against plain
// maps and arrays. Persistence across close and reopen only where the factory can reopen.
// What the interface leaves open is not checked: the order of friendIds(), the order of files with
// the same createdAt, a second insertFile of one storedName, negative limits.
import { afterAll, afterEach, describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { FileKind, PendingChat, Store, StoredFile, StoredUser } from '../storage/store.js';

export interface StoreFactory {
  /** A new, empty store. */
  open(): Store;
  /** The same data after `store.close()`, opened again; only for stores that persist. */
  reopen?(store: Store): Store;
  /** After the suite: remove what open() left (files on disk). */
  cleanup?(): void;
}

/**
 * Code-point order: how SQLite's BINARY collation orders UTF-8 text, and the only order of ids that
 * does not depend on an encoding (UTF-16 code units put U+10000 and up before U+E000-U+FFFF).
 */
export function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

const user = (userId: string, over: Partial<StoredUser> = {}): StoredUser => ({
  userId, passwordHash: `scrypt$1024$8$1$salt$${userId}`, nickName: `nick ${userId}`, signature: '', headImageUrl: '',
  createTime: 1_764_000_000, status: 1, ...over,
});

const file = (storedName: string, over: Partial<StoredFile> = {}): StoredFile => ({
  storedName, kind: 'file', owner: 'alice', toUser: 'bob', userType: 0, fileName: 'notes.txt', size: 9,
  createdAt: 1_764_000_000_000, ...over,
});

/** A chat as plain data: SQLite gives Buffers, memory Uint8Arrays; the bytes are what count. */
const plainChat = (c: PendingChat) => ({ seq: c.seq, fromUser: c.fromUser, toUser: c.toUser, content: [...c.content] });

const ids = (users: readonly StoredUser[]): string[] => users.map((u) => u.userId);

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const open = (): Store => {
      const store = factory.open();
      opened.push(store);
      return store;
    };
    const reopen = (store: Store): Store => {
      const again = factory.reopen!(store);
      opened.push(again);
      return again;
    };
    afterEach(() => {
      for (const s of opened.splice(0)) s.close();
    });
    afterAll(() => factory.cleanup?.());

    describe('users', () => {
      test('an unknown user is undefined; one inserted comes back field for field', () => {
        const s = open();
        expect(s.getUser('alice')).toBeUndefined();
        const alice = user('alice', { nickName: 'Alice Ä', signature: 'sig 😀', headImageUrl: '/res/avatars/ab12', status: 4 });
        expect(s.insertUser(alice)).toBe(true);
        expect(s.getUser('alice')).toEqual(alice);
      });

      test('a second insert of the same id is refused (false) and keeps the first', () => {
        const s = open();
        expect(s.insertUser(user('alice', { nickName: 'first' }))).toBe(true);
        expect(s.insertUser(user('alice', { nickName: 'second', passwordHash: 'other' }))).toBe(false);
        expect(s.getUser('alice')).toEqual(user('alice', { nickName: 'first' }));
        expect(s.listUsers(10)).toHaveLength(1);
      });

      test('ids are exact: case, inner spaces and other scripts make other users', () => {
        const s = open();
        for (const id of ['alice', 'Alice', 'ali ce', 'alicé', '爱丽丝']) expect(s.insertUser(user(id))).toBe(true);
        expect(s.getUser('ALICE')).toBeUndefined();
        expect(ids(s.listUsers(10))).toHaveLength(5);
      });

      test('updateProfile changes the nick, signature and avatar, nothing else; an unknown user stays unknown', () => {
        const s = open();
        s.insertUser(user('alice', { status: 3 }));
        s.updateProfile('alice', { nickName: 'A', signature: 'hello', headImageUrl: '/res/avatars/x' });
        expect(s.getUser('alice')).toEqual(user('alice', { status: 3, nickName: 'A', signature: 'hello', headImageUrl: '/res/avatars/x' }));
        s.updateProfile('nobody', { nickName: 'N', signature: '', headImageUrl: '' });
        s.setStatus('nobody', 2);
        expect(s.getUser('nobody')).toBeUndefined();
        expect(ids(s.listUsers(10))).toEqual(['alice']);
      });

      test('setStatus keeps the presence last chosen', () => {
        const s = open();
        s.insertUser(user('alice'));
        s.setStatus('alice', 5);
        s.setStatus('alice', 2);
        expect(s.getUser('alice')?.status).toBe(2);
      });

      test('listUsers: up to limit users, ordered by id (code points, as SQLite orders text)', () => {
        const s = open();
        const all = ['bob', 'Bob', 'alice', 'a', 'ab', 'zoe', 'é', '！', '😀', '中'];
        for (const id of all) s.insertUser(user(id));
        const sorted = [...all].sort(byCodePoint);
        expect(ids(s.listUsers(100))).toEqual(sorted);
        expect(ids(s.listUsers(3))).toEqual(sorted.slice(0, 3));
        expect(s.listUsers(0)).toEqual([]);
      });
    });

    describe('friends', () => {
      test('addFriendships adds each friendship both ways; existing ones are kept, none twice', () => {
        const s = open();
        for (const id of ['alice', 'bob', 'carol', 'dave']) s.insertUser(user(id));
        s.addFriendships('alice', ['bob', 'carol']);
        s.addFriendships('dave', ['alice']);
        s.addFriendships('alice', ['bob']);   // again
        expect([...s.friendIds('alice')].sort()).toEqual(['bob', 'carol', 'dave']);
        expect(s.friendIds('bob')).toEqual(['alice']);
        expect(s.friendIds('dave')).toEqual(['alice']);
        for (const [a, b] of [['alice', 'bob'], ['bob', 'alice'], ['carol', 'alice'], ['alice', 'dave']] as const) expect(s.areFriends(a, b)).toBe(true);
        for (const [a, b] of [['bob', 'carol'], ['carol', 'dave'], ['alice', 'alice']] as const) expect(s.areFriends(a, b)).toBe(false);
      });

      test('friends() gives the friends as users, ordered by id', () => {
        const s = open();
        for (const id of ['alice', 'zoe', 'Bob', '😀', '！']) s.insertUser(user(id, { status: 2 }));
        s.addFriendships('alice', ['zoe', '😀', 'Bob', '！']);
        expect(s.friends('alice')).toEqual(['Bob', 'zoe', '！', '😀'].map((id) => user(id, { status: 2 })));
        expect(s.friends('nobody')).toEqual([]);
        expect(s.friendIds('nobody')).toEqual([]);
      });

      test('an empty list adds nothing', () => {
        const s = open();
        s.insertUser(user('alice'));
        s.addFriendships('alice', []);
        expect(s.friendIds('alice')).toEqual([]);
      });
    });

    describe('offline chats', () => {
      test('stored per receiver in the order sent, each taken once', () => {
        const s = open();
        const sent = ['one', 'two', 'three'].map((text) => s.enqueueChat({ fromUser: 'alice', toUser: 'bob', content: new TextEncoder().encode(text) }));
        const other = s.enqueueChat({ fromUser: 'bob', toUser: 'carol', content: new Uint8Array([1]) });
        expect(sent[0]! < sent[1]! && sent[1]! < sent[2]! && sent[2]! < other).toBe(true);
        // Taken as deliverPending takes them: a batch after the last seen, each deleted once written.
        let afterSeq = 0;
        const got: string[] = [];
        for (;;) {
          const batch = s.pendingChats('bob', afterSeq, 2);
          if (batch.length === 0) break;
          for (const c of batch) {
            expect([c.fromUser, c.toUser]).toEqual(['alice', 'bob']);
            got.push(new TextDecoder().decode(c.content));
            s.deleteChat(c.seq);
            afterSeq = c.seq;
          }
        }
        expect(got).toEqual(['one', 'two', 'three']);
        expect(s.pendingChats('bob', 0, 10)).toEqual([]);
        expect(s.pendingChats('carol', 0, 10).map(plainChat)).toEqual([{ seq: other, fromUser: 'bob', toUser: 'carol', content: [1] }]);
      });

      test('the oldest limit after afterSeq; deleting an unknown or deleted seq does nothing', () => {
        const s = open();
        const seqs = [0, 1, 2, 3, 4].map((i) => s.enqueueChat({ fromUser: 'a', toUser: 'b', content: new Uint8Array([i]) }));
        expect(s.pendingChats('b', seqs[1]!, 2).map((c) => c.seq)).toEqual([seqs[2], seqs[3]]);
        s.deleteChat(seqs[2]!);
        s.deleteChat(seqs[2]!);
        s.deleteChat(seqs[4]! + 1000);
        expect(s.pendingChats('b', 0, 10).map((c) => c.content[0])).toEqual([0, 1, 3, 4]);
      });

      test('the bytes are kept exactly, empty and binary, whatever the caller does to its buffer afterwards', () => {
        const s = open();
        const bytes = Uint8Array.from([0, 255, 10, 13, 0xe4, 0xb8]);
        s.enqueueChat({ fromUser: 'a', toUser: 'b', content: bytes });
        s.enqueueChat({ fromUser: 'a', toUser: 'b', content: new Uint8Array(0) });
        bytes.fill(7);   // the read buffer reused, as the server's is
        expect(s.pendingChats('b', 0, 10).map((c) => [...c.content])).toEqual([[0, 255, 10, 13, 0xe4, 0xb8], []]);
      });
    });

    describe('files', () => {
      test('getFile by stored name, avatars too; filesFor the files a user uploaded or was sent, newest first', () => {
        const s = open();
        s.insertFile(file('f1', { owner: 'alice', toUser: 'bob', createdAt: 1 }));
        s.insertFile(file('f2', { owner: 'bob', toUser: 'alice', createdAt: 3 }));
        s.insertFile(file('f3', { owner: 'carol', toUser: 'dave', createdAt: 2 }));
        s.insertFile(file('f4', { owner: 'alice', toUser: '', createdAt: 2 }));
        s.insertFile(file('av', { kind: 'avatar', owner: 'alice', toUser: '', createdAt: 9 }));
        expect(s.getFile('av')).toEqual(file('av', { kind: 'avatar', owner: 'alice', toUser: '', createdAt: 9 }));
        expect(s.getFile('nope')).toBeUndefined();
        expect(s.filesFor('alice').map((f) => f.storedName)).toEqual(['f2', 'f4', 'f1']);
        expect(s.filesFor('bob').map((f) => f.storedName)).toEqual(['f2', 'f1']);
        expect(s.filesFor('nobody')).toEqual([]);
        expect(s.filesFor('alice')[0]).toEqual(file('f2', { owner: 'bob', toUser: 'alice', createdAt: 3 }));
      });
    });

    test('what a call returns is the caller\'s: changing it changes nothing stored', () => {
      const s = open();
      s.insertUser(user('alice'));
      s.insertUser(user('bob'));
      s.addFriendships('alice', ['bob']);
      s.insertFile(file('f1'));
      s.enqueueChat({ fromUser: 'alice', toUser: 'bob', content: Uint8Array.from([1, 2, 3]) });
      s.getUser('alice')!.nickName = 'changed';
      s.listUsers(10)[0]!.status = 6;
      s.friends('alice')[0]!.nickName = 'changed';
      s.friendIds('alice').push('mallory');
      s.getFile('f1')!.size = 0;
      s.filesFor('alice')[0]!.fileName = 'changed';
      const [chat] = s.pendingChats('bob', 0, 10);
      chat!.content[0] = 9;
      chat!.seq += 100;
      expect(s.getUser('alice')).toEqual(user('alice'));
      expect(s.listUsers(10)).toEqual([user('alice'), user('bob')]);
      expect(s.friends('alice')).toEqual([user('bob')]);
      expect(s.friendIds('alice')).toEqual(['bob']);
      expect(s.getFile('f1')).toEqual(file('f1'));
      expect(s.filesFor('alice')).toEqual([file('f1')]);
      expect(s.pendingChats('bob', 0, 10).map((c) => [...c.content])).toEqual([[1, 2, 3]]);
      expect(s.pendingChats('bob', 0, 10)[0]!.seq).toBe(chat!.seq - 100);
    });

    test('users given to insertUser are copied: changing one after changes nothing stored', () => {
      const s = open();
      const alice = user('alice');
      s.insertUser(alice);
      alice.nickName = 'changed';
      const f = file('f1');
      s.insertFile(f);
      f.size = 0;
      expect(s.getUser('alice')).toEqual(user('alice'));
      expect(s.getFile('f1')).toEqual(file('f1'));
    });

    if (factory.reopen) {
      test('everything survives close and reopen; sequence numbers are never reused', () => {
        const s = open();
        s.insertUser(user('alice'));
        s.insertUser(user('bob'));
        s.setStatus('alice', 3);
        s.updateProfile('bob', { nickName: 'B', signature: 's', headImageUrl: '/h' });
        s.addFriendships('alice', ['bob']);
        const first = s.enqueueChat({ fromUser: 'alice', toUser: 'bob', content: Uint8Array.from([1]) });
        const last = s.enqueueChat({ fromUser: 'alice', toUser: 'bob', content: Uint8Array.from([2]) });
        s.deleteChat(last);
        s.insertFile(file('f1'));
        s.close();
        const again = reopen(s);
        expect(again.getUser('alice')).toEqual(user('alice', { status: 3 }));
        expect(again.getUser('bob')).toEqual(user('bob', { nickName: 'B', signature: 's', headImageUrl: '/h' }));
        expect(again.areFriends('bob', 'alice')).toBe(true);
        expect(again.pendingChats('bob', 0, 10).map(plainChat)).toEqual([{ seq: first, fromUser: 'alice', toUser: 'bob', content: [1] }]);
        expect(again.filesFor('bob')).toEqual([file('f1')]);
        // A chat stored after the restart comes after every chat before it, the deleted last one too:
        // a receiver paging with afterSeq never skips it.
        expect(again.enqueueChat({ fromUser: 'bob', toUser: 'alice', content: new Uint8Array(0) })).toBeGreaterThan(last);
      });
    }

    describeStoreModel(factory, open, factory.reopen ? reopen : null);
  });
}

// ---- the model ------------------------------------------------------------------------------------

/** The reference: what the store should hold, in maps and an array. */
interface Model {
  users: Map<string, StoredUser>;
  friends: Map<string, Set<string>>;
  /** Undelivered chats in the order sent, with the seq the store gave each. */
  chats: { seq: number; fromUser: string; toUser: string; content: number[] }[];
  /** Every seq the store ever gave: a new one must be larger. */
  lastSeq: number;
  files: Map<string, StoredFile>;
  nextFile: number;
}
interface Real { store: Store }
type Cmd = fc.Command<Model, Real>;

// Few ids, so that commands meet: case, scripts, and characters past U+FFFF beside U+FF01.
const ID_POOL = ['alice', 'Alice', 'bob', 'b', 'ba', 'zoe', 'é', '！', '😀', '中文', 'a b'];
const arbId = fc.constantFrom(...ID_POOL);
const arbText = fc.string({ unit: 'binary', maxLength: 12 });
const arbStatus = fc.integer({ min: 1, max: 6 });

function friendsOf(model: Model, id: string): Set<string> {
  let set = model.friends.get(id);
  if (!set) model.friends.set(id, (set = new Set()));
  return set;
}

function describeStoreModel(factory: StoreFactory, open: () => Store, reopen: ((s: Store) => Store) | null): void {
  const commands: fc.Arbitrary<Cmd>[] = [
    fc.record({ id: arbId, nickName: arbText, passwordHash: arbText, createTime: fc.integer({ min: 0, max: 2 ** 31 }), status: arbStatus }).map((u): Cmd => ({
      check: () => true,
      run(m, r) {
        const stored = user(u.id, { nickName: u.nickName, passwordHash: u.passwordHash, createTime: u.createTime, status: u.status });
        const fresh = !m.users.has(u.id);
        expect(r.store.insertUser(stored)).toBe(fresh);
        if (fresh) m.users.set(u.id, stored);
        expect(r.store.getUser(u.id)).toEqual(m.users.get(u.id));
      },
      toString: () => `insertUser(${JSON.stringify(u)})`,
    })),
    fc.tuple(arbId, arbText, arbText, arbText).map(([id, nickName, signature, headImageUrl]): Cmd => ({
      check: () => true,
      run(m, r) {
        r.store.updateProfile(id, { nickName, signature, headImageUrl });
        const u = m.users.get(id);
        if (u) m.users.set(id, { ...u, nickName, signature, headImageUrl });
        expect(r.store.getUser(id)).toEqual(m.users.get(id));
      },
      toString: () => `updateProfile(${JSON.stringify([id, nickName, signature, headImageUrl])})`,
    })),
    fc.tuple(arbId, arbStatus).map(([id, status]): Cmd => ({
      check: () => true,
      run(m, r) {
        r.store.setStatus(id, status);
        const u = m.users.get(id);
        if (u) m.users.set(id, { ...u, status });
        expect(r.store.getUser(id)).toEqual(m.users.get(id));
      },
      toString: () => `setStatus(${JSON.stringify(id)}, ${status})`,
    })),
    fc.integer({ min: 0, max: ID_POOL.length + 1 }).map((limit): Cmd => ({
      check: () => true,
      run(m, r) {
        const expected = [...m.users.values()].sort((a, b) => byCodePoint(a.userId, b.userId)).slice(0, limit);
        expect(r.store.listUsers(limit)).toEqual(expected);
      },
      toString: () => `listUsers(${limit})`,
    })),
    fc.tuple(arbId, fc.array(arbId, { maxLength: 4 })).map(([id, friendIds]): Cmd => ({
      check: () => true,
      run(m, r) {
        r.store.addFriendships(id, friendIds);
        for (const f of friendIds) {
          friendsOf(m, id).add(f);
          friendsOf(m, f).add(id);
        }
      },
      toString: () => `addFriendships(${JSON.stringify(id)}, ${JSON.stringify(friendIds)})`,
    })),
    arbId.map((id): Cmd => ({
      check: () => true,
      run(m, r) {
        const mine = [...(m.friends.get(id) ?? [])];
        expect([...r.store.friendIds(id)].sort(byCodePoint)).toEqual(mine.sort(byCodePoint));
        expect(r.store.friends(id)).toEqual(mine.filter((f) => m.users.has(f)).map((f) => m.users.get(f)));
        for (const other of ID_POOL) expect(r.store.areFriends(id, other)).toBe(mine.includes(other));
      },
      toString: () => `friends of ${JSON.stringify(id)}`,
    })),
    fc.tuple(arbId, arbId, fc.uint8Array({ maxLength: 12 })).map(([fromUser, toUser, content]): Cmd => ({
      check: () => true,
      run(m, r) {
        const seq = r.store.enqueueChat({ fromUser, toUser, content: Uint8Array.from(content) });
        expect(Number.isSafeInteger(seq)).toBe(true);
        expect(seq).toBeGreaterThan(m.lastSeq);
        m.lastSeq = seq;
        m.chats.push({ seq, fromUser, toUser, content: [...content] });
      },
      toString: () => `enqueueChat(${JSON.stringify(fromUser)} > ${JSON.stringify(toUser)}, ${content.length} bytes)`,
    })),
    fc.tuple(arbId, fc.nat(), fc.integer({ min: 0, max: 5 })).map(([toUser, pick, limit]): Cmd => ({
      check: () => true,
      run(m, r) {
        // After 0, or after one of the seqs given so far (deleted or not).
        const mine = m.chats.filter((c) => c.toUser === toUser);
        const afterSeq = pick % 3 === 0 || mine.length === 0 ? 0 : mine[pick % mine.length]!.seq;
        const expected = mine.filter((c) => c.seq > afterSeq).slice(0, limit);
        expect(r.store.pendingChats(toUser, afterSeq, limit).map(plainChat)).toEqual(expected);
      },
      toString: () => `pendingChats(${JSON.stringify(toUser)}, pick ${pick}, ${limit})`,
    })),
    fc.nat().map((pick): Cmd => ({
      check: () => true,
      run(m, r) {
        // One stored, or a seq never given.
        const at = m.chats.length === 0 || pick % 4 === 0 ? -1 : pick % m.chats.length;
        const seq = at < 0 ? m.lastSeq + 1 + (pick % 3) : m.chats[at]!.seq;
        r.store.deleteChat(seq);
        if (at >= 0) m.chats.splice(at, 1);
      },
      toString: () => `deleteChat(pick ${pick})`,
    })),
    fc.record({
      kind: fc.constantFrom<FileKind>('file', 'file', 'avatar'), owner: arbId, toUser: fc.oneof(arbId, fc.constant('')),
      fileName: arbText, size: fc.nat(), createdAt: fc.integer({ min: 0, max: 5 }), userType: fc.integer({ min: 0, max: 3 }),
    }).map((f): Cmd => ({
      check: () => true,
      run(m, r) {
        // Names as the server draws them: unique, hex, maybe a short extension.
        const stored: StoredFile = { ...f, storedName: `${(m.nextFile++).toString(16).padStart(8, '0')}${f.size % 2 ? '.txt' : ''}` };
        r.store.insertFile(stored);
        m.files.set(stored.storedName, stored);
        expect(r.store.getFile(stored.storedName)).toEqual(stored);
      },
      toString: () => `insertFile(${JSON.stringify(f)})`,
    })),
    arbId.map((id): Cmd => ({
      check: () => true,
      run(m, r) {
        const got = r.store.filesFor(id);
        const expected = [...m.files.values()].filter((f) => f.kind === 'file' && (f.owner === id || f.toUser === id));
        // Newest first; files of the same time in any order (the interface does not say).
        for (let i = 1; i < got.length; i++) expect(got[i - 1]!.createdAt).toBeGreaterThanOrEqual(got[i]!.createdAt);
        const byName = (a: StoredFile, b: StoredFile): number => byCodePoint(a.storedName, b.storedName);
        expect([...got].sort(byName)).toEqual(expected.sort(byName));
      },
      toString: () => `filesFor(${JSON.stringify(id)})`,
    })),
  ];
  if (reopen) {
    commands.push(fc.constant<Cmd>({
      check: () => true,
      run(_m, r) {
        r.store.close();
        r.store = reopen(r.store);
      },
      toString: () => 'close and reopen',
    }));
  }

  test.prop([fc.commands(commands, { size: 'medium', maxCommands: 80 })], { numRuns: factory.reopen ? 100 : 200 })(
    'the core operations against maps and an array (fast-check model)',
    (cmds) => {
      const real: Real = { store: open() };
      try {
        const model: Model = { users: new Map(), friends: new Map(), chats: [], lastSeq: 0, files: new Map(), nextFile: 1 };
        fc.modelRun(() => ({ model, real }), cmds);
        // The end state, whole.
        expect(real.store.listUsers(1000)).toEqual([...model.users.values()].sort((a, b) => byCodePoint(a.userId, b.userId)));
        for (const id of ID_POOL) {
          expect(real.store.pendingChats(id, 0, 1000).map(plainChat)).toEqual(model.chats.filter((c) => c.toUser === id));
        }
      } finally {
        real.store.close();
      }
    },
  );
}

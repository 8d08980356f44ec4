// Both stores keep the Store contract (store-contract.ts): SQLite on a file of its own per store,
// reopened from that file; memory, which has nothing to reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../storage/memory-store.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('MemoryStore', { open: () => new MemoryStore() });

const dir = { path: null as string | null, next: 0 };
const paths = new WeakMap<Store, string>();
const sqliteAt = (path: string): Store => {
  const store = new SqliteStore(path);
  paths.set(store, path);
  return store;
};

describeStoreContract('SqliteStore', {
  open() {
    dir.path ??= mkdtempSync(join(tmpdir(), 'tb-store-'));
    return sqliteAt(join(dir.path, `store-${dir.next++}.db`));
  },
  reopen: (store) => sqliteAt(paths.get(store)!),
  cleanup() {
    if (dir.path) rmSync(dir.path, { recursive: true, force: true });
  },
});

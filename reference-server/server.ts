// The reference server: IM over TCP, CHAT/1.0 over TCP and file downloads over HTTP, on one store.
import { mkdir } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import type { Endpoint } from '../client/target.js';
import { checkScryptCost } from './auth/password.js';
import { createChatListener } from './chat/chat-server.js';
import { createFileHttpServer } from './http/file-http-server.js';
import { ImHub } from './im/im-hub.js';
import { createImListener } from './im/im-server.js';
import { Logger } from './log.js';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './options.js';
import { DiskBlobStore, MemoryBlobStore, type BlobStore } from './storage/blob-store.js';
import { MemoryStore } from './storage/memory-store.js';
import { SqliteStore } from './storage/sqlite-store.js';
import type { Store } from './storage/store.js';
import { ConnectionBudget } from './transport/connection-budget.js';
import type { Listener, ManagedConnection } from './transport/listener.js';


export interface RunningServer {
  im: Endpoint | null;
  chat: Endpoint | null;
  http: Endpoint | null;
  /** Where data lives: the SQLite file, or null with --memory. */
  database: string | null;
  /** Stops accepting, closes every connection, waits for requests in progress, flushes the store. */
  close(): Promise<void>;
}

/** How long shutdown waits for requests in progress (a password hash, a file write). */
const SHUTDOWN_GRACE_MS = 5000;

async function openStorage(options: ServerOptions): Promise<{ store: Store; blobs: BlobStore; database: string | null }> {
  if (options.memory) return { store: new MemoryStore(), blobs: new MemoryBlobStore(), database: null };
  await mkdir(options.dataDir, { recursive: true });
  const database = join(options.dataDir, 'talkbench.db');
  const blobs = new DiskBlobStore(options.dataDir);
  await blobs.init();
  return { store: new SqliteStore(database), blobs, database };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(overrides: Partial<ServerOptions> = {}, logger?: Logger): Promise<RunningServer> {
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...overrides };
  checkScryptCost(options.scryptCost);
  const log = logger ?? new Logger(options.logLevel);
  const { store, blobs, database } = await openStorage(options);
  const listeners: Listener<ManagedConnection>[] = [];
  // One budget for every protocol's connections: they share the process's descriptors.
  const budget = ConnectionBudget.forThisProcess(log);
  let httpServer: HttpServer | null = null;
  let hub: ImHub | null = null;

  const close = async (): Promise<void> => {
    for (const listener of listeners) listener.stopAccepting();
    for (const listener of listeners) {
      for (const connection of listener.connections) connection.peer.close('server shutting down', 'debug');
    }
    if (hub) await hub.settle(SHUTDOWN_GRACE_MS);
    if (hub) hub.shuttingDown = true;
    for (const listener of listeners) {
      for (const connection of listener.connections) connection.peer.destroy('server shut down', 'debug');
    }
    // Close events arrive on a later tick; the store must outlive every handler they run.
    await Promise.all(listeners.map((l) => l.allClosed()));
    if (httpServer) {
      const server = httpServer;
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    }
    store.close();
  };

  try {
    let http: Endpoint | null = null;
    if (options.httpPort !== null) {
      const server = createFileHttpServer(store, blobs, log.child('http'));
      httpServer = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: options.host, port: options.httpPort }, () => { server.off('error', reject); resolve(); });
      });
      const address = server.address();
      if (address && typeof address === 'object') http = { host: address.address, port: address.port };
    }
    const publicUrl = (options.publicUrl ?? `http://${urlHost(options.host)}:${http?.port ?? 0}`).replace(/\/+$/, '');
    hub = new ImHub(store, blobs, { ...options, publicUrl }, log.child('im'));

    let im: Endpoint | null = null;
    if (options.imPort !== null) {
      const listener = createImListener(hub, log.child('im'), budget);
      listeners.push(listener);
      im = await listener.listen(options.host, options.imPort);
    }
    let chat: Endpoint | null = null;
    if (options.chatPort !== null) {
      const listener = createChatListener(options, log.child('chat'), budget);
      listeners.push(listener);
      chat = await listener.listen(options.host, options.chatPort);
    }
    return { im, chat, http, database, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

// CHAT/1.0 test steps that the chat-*.test.ts files share: a server per test with its clients closed
// afterwards, logging in, round trips that prove earlier lines were handled, and per-connection logs.
import { afterEach, beforeEach, expect } from 'vitest';
import { ChatClient } from '../../client/chat-client.js';
import type { ChatCommand } from '../../proto/index.js';
import type { ServerOptions } from '../options.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

/** A connection and the name it logged in under. */
export interface ChatUser {
  client: ChatClient;
  name: string;
}

export interface ChatBench {
  readonly server: TestServer;
  /** A new connection, not logged in, closed after the test. */
  connect(): Promise<ChatClient>;
  /** A new connection logged in as `name`; resolves once the server has handled the LOGIN. */
  login(name: string): Promise<ChatUser>;
}

/** Registers hooks that start a fresh server (and close it and every client) around each test. */
export function chatServerPerTest(options: Partial<ServerOptions> = {}): ChatBench {
  let server: TestServer | null = null;
  let clients: ChatClient[] = [];
  beforeEach(async () => {
    server = await startTestServer({ imPort: null, httpPort: null, ...options });
  });
  afterEach(async () => {
    for (const c of clients) c.close();
    clients = [];
    await server?.close();
    server = null;
  });
  const bench: ChatBench = {
    get server(): TestServer {
      if (!server) throw new Error('no test server running');
      return server;
    },
    async connect() {
      const client = await ChatClient.connect(bench.server.chatPort);
      remember(client);
      clients.push(client);
      return client;
    },
    async login(name) {
      const client = await bench.connect();
      await loginOn(bench.server, client, name);
      return { client, name };
    },
  };
  return bench;
}

/** Sends LOGIN on `client` and waits for the server's log line saying it took effect. */
export async function loginOn(server: TestServer, client: ChatClient, name: string): Promise<ChatUser> {
  const before = connectionLogs(server, client).length;
  client.send({ command: 'LOGIN', name });
  const deadline = Date.now() + 5000;
  while (!connectionLogs(server, client).slice(before).some((l) => l.endsWith(`logged in as ${name}`))) {
    if (Date.now() > deadline) throw new Error(`LOGIN ${name} not logged within 5 s; log:\n${server.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { client, name };
}

let nextToken = 1;

/**
 * `from` SENDs a fresh token to `to` and waits until it arrives. Lines on one connection are handled
 * in order, so afterwards every line `from` wrote before has been handled, and whatever those lines
 * delivered to `to` has arrived. Returns the token's data.
 */
export async function roundTrip(from: ChatUser, to: ChatUser): Promise<string> {
  const token = `round-trip-${nextToken++}`;
  from.client.send({ command: 'SEND', name: to.name, data: token });
  await to.client.until((c) => c.received.some((m) => m.command === 'RECEIVE' && m.data === token));
  return token;
}

/** What a client received, as `from: data` strings (easy to compare and to read in a failure). */
export function inbox(client: ChatClient): string[] {
  return client.received.map((m: ChatCommand) => (m.command === 'RECEIVE' ? `${m.from}: ${m.data}` : `unexpected ${m.command}`));
}

const localPorts = new WeakMap<ChatClient, number>();

/** Notes the client's local port while its socket is open: a closed socket no longer says it. */
export function remember(client: ChatClient): ChatClient {
  if (client.socket.localPort !== undefined) localPorts.set(client, client.socket.localPort);
  return client;
}

/** The tag the server's log lines carry for the connection whose peer is `client`. */
export function connectionTag(client: ChatClient): string {
  const port = localPorts.get(client) ?? client.socket.localPort;
  if (port === undefined) throw new Error('connectionTag: client closed before its port was remembered');
  return `127.0.0.1:${port}]`;
}

/** Every log line of the server-side connection whose peer is `client`. */
export function connectionLogs(server: TestServer, client: ChatClient): string[] {
  const tag = connectionTag(client);
  return server.logs.filter((l) => l.includes(tag));
}

/** Waits for a log line of `client`'s server-side connection containing `text`. */
export function connectionLogged(server: TestServer, client: ChatClient, text: string): Promise<string> {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return server.logged(new RegExp(`${escape(connectionTag(client))}.*${escape(text)}`));
}

/** Waits until the server closed `client` (its socket saw the close). */
export async function closedByServer(client: ChatClient, timeoutMs = 5000): Promise<void> {
  await client.until((c) => c.closed, timeoutMs);
  expect(client.closed).toBe(true);
}

/** Writes `bytes` in pieces of `size`, waiting for each write to be taken. */
export async function writeInPieces(client: ChatClient, bytes: Uint8Array, size: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += size) {
    await write(client, bytes.subarray(at, at + size));
  }
}

/** One socket write, resolved once it has been handed to the kernel. */
export function write(client: ChatClient, bytes: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => client.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
}

export const line = (text: string): string => `${text}\n`;

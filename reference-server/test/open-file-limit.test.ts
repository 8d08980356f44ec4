// At its open-file limit the server keeps serving the connections it has, logs the condition once,
// and accepts again when descriptors free up [SRV-CONN-1].
import { afterEach, expect, test } from 'vitest';
import { ImClient } from '../../client/im-client.js';
import { serve, type ServeProcess } from '../../test-support/cli-process.js';
import { roundTrip } from './im-users.js';

let server: ServeProcess | null = null;
const clients: ImClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  server?.child.kill('SIGKILL');
  await server?.exited;
});

/** Connects and completes a heartbeat round trip, or returns null when the server could not take it. */
async function served(port: number): Promise<ImClient | null> {
  const c = await ImClient.connect(port, '127.0.0.1', { timeoutMs: 1500 }).catch(() => null);
  if (!c) return null;
  try {
    await roundTrip(c);
    return c;
  } catch {
    c.close();
    return null;
  }
}

test('EMFILE on accept: existing users keep being served, one log line, accepting again later', async () => {
  // 128 descriptors: the start-up (tsx, then zod and its locale files, loaded concurrently) once
  // passed 96 on a cold cache and failed with EMFILE before listening. 160 attempts keep the limit
  // well exceeded.
  server = await serve(['--memory', '--log-level', 'warn'], 15_000, 128);
  const port = server.imPort;
  let refused = 0;
  for (let i = 0; i < 160; i++) {
    const c = await served(port);
    if (c) clients.push(c);
    else refused++;
  }
  expect(clients.length).toBeGreaterThan(20);
  expect(refused).toBeGreaterThan(10);
  // Everyone accepted is still served.
  for (const c of clients) await roundTrip(c);
  const warnings = server.stderr.filter((l) => l.includes('open-file limit reached'));
  expect(warnings).toHaveLength(1);
  // Free some descriptors: new connections are accepted again, and the recovery is logged.
  for (const c of clients.splice(0, 10)) c.close();
  await new Promise((r) => setTimeout(r, 300));
  const again = await served(port);
  expect(again).not.toBeNull();
  clients.push(again!);
  expect(server.stderr.some((l) => /accepting again; \d+ connection attempt\(s\) failed at the open-file limit/.test(l))).toBe(true);
}, 60_000);

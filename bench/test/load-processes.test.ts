// One process cannot hold every socket: several generator processes split a run and their results
// are merged exactly; a run the machine cannot hold is refused before anything connects.
import { spawn } from 'node:child_process';
import { TALKBENCH_BIN } from '../../util/talkbench-cli.js';
import { afterEach, describe, expect, test } from 'vitest';
import { decodeHistogram, initHistograms } from '../metrics/histogram.js';
import { startTestServer, type TestServer } from '../../reference-server/test/test-server.js';
import { load, expectPassed } from './cli-run.js';

let server: TestServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

describe('--processes', () => {
  test('three processes: exact counts, histograms and delivery, one timeline', async () => {
    await initHistograms();
    server = await startTestServer({ logLevel: 'warn' });
    const { code, result } = await load(['--target', `127.0.0.1:${server.imPort}`, '--users', '45', '--processes', '3', '--workers', '3',
      '--duration', '3s', '--chat-rate', '2', '--heartbeat-interval', '500ms', '--grace', '1s', '--seed', 'procs']);
    expectPassed(code, result);
    expect(result.config.processes).toBe(3);
    expect(result.generator.workers).toHaveLength(3);
    for (const op of ['connect', 'login', 'friends', 'userlist']) expect(result.ops[op]?.ok, op).toBe(45);
    const chat = result.delivery.chat!;
    expect(chat).toEqual({ delivered: result.ops['chat.e2e']!.sent, lost: 0, duplicated: 0, reordered: 0 });
    for (const [name, op] of Object.entries(result.ops)) {
      const h = decodeHistogram(op.corrected);
      expect(h.totalCount, name).toBe(op.ok);
      h.destroy();
    }
    // Every measured second appears once, with every process's share in it.
    const seconds = result.timeSeries.map((s) => s.second);
    expect(seconds).toEqual([...new Set(seconds)]);
    expect(seconds).toEqual([1, 2, 3]);
  });
});

describe('capacity', () => {
  test('more sockets than the open-file limit allows in the processes asked for: exit 2 naming the limit', async () => {
    const child = spawn('sh', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, TALKBENCH_BIN, 'load', '--target', '127.0.0.1:1',
      '--users', '5000', '--processes', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/5000 connections in 1 process\(es\) is over the open-file limit of 1024 per process \(824 usable\): use --processes 7 or more/);
  });
});

// One process cannot hold every socket: several generator processes split a run and their results
// are merged exactly; a run the machine cannot hold is refused before anything is spawned or connects.
import { spawn } from 'node:child_process';
import { TALKBENCH_BIN } from '../../test-support/talkbench-cli.js';
import { afterEach, describe, expect, test } from 'vitest';
import { decodeHistogram, initHistograms } from '../../reports/schema/histogram.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { talkbenchLoadRun } from '../../benchmarks/perf/processes.js';
import { load, expectPassed, startCli } from '../../test-support/cli-run.js';

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
    expect(chat).toEqual({ delivered: result.ops['chat.e2e']!.sent, lost: 0, duplicated: 0, reordered: 0, corrupted: 0 });
    for (const [name, op] of Object.entries(result.ops)) {
      const h = decodeHistogram(op.corrected);
      expect(h.totalCount, name).toBe(op.ok);
      h.destroy();
    }
    // Every second appears once, with every process's share in it; the measured ones are 1 to 3.
    const seconds = result.timeSeries.map((s) => s.second);
    expect(seconds).toEqual([...new Set(seconds)]);
    expect(result.timeSeries.filter((s) => s.phase === 'measured').map((s) => s.second)).toEqual([1, 2, 3]);
  });
});

// Concurrent: none of these starts a run; each is refused before anything connects.
describe('capacity [D-CAPACITY]', () => {
  test.concurrent('more sockets than the open-file limit allows in the processes asked for: exit 2 naming the limit', async () => {
    const child = spawn('sh', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, TALKBENCH_BIN, 'load', '--target', '127.0.0.1:1',
      '--users', '5000', '--processes', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/open files per process: 5000 users in 1 process\(es\) need 5200 descriptors in the busiest, over the open-file limit of 1024 \(200 kept for the process itself\): 824 users fit; use --processes 7 or more/);
  });

  test.concurrent('5,000,000 users against a closed port: refused before anything starts, exit 2 naming the limits and the users that fit', async () => {
    const start = Date.now();
    const { code, stderr } = await startCli(['load', '--target', '127.0.0.1:1', '--users', '5000000']).done;
    const ms = Date.now() - start;
    console.log(`refused in ${ms} ms (the CLI's start included):\n${stderr}`);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/^talkbench load: refused before starting: this machine cannot hold 5000000 users \[D-CAPACITY\]; at most \d+ fit with these settings:$/m);
    expect(stderr).toMatch(/^ {2}- generator processes: 5000000 users need \d+ processes .*over the bound of \d+ generator processes on this machine .*: \d+ users fit; run slices on other machines with --shard i\/N$/m);
    expect(stderr).not.toMatch(/generator process \d+ exited|at .*\.ts:\d+/);   // nothing started, no stack trace
    expect(ms).toBeLessThan(10_000);   // generous: the check itself takes milliseconds (capacity.test.ts)
  });

  test.concurrent('a benchmark whose load run leaves no result file reports a failed run (exit code, stderr tail) instead of crashing', async () => {
    const run = await talkbenchLoadRun(['--target', '127.0.0.1:1', '--users', '5000000']);
    expect(run.ok).toBe(false);
    if (run.ok) return;
    expect(run.exitCode).toBe(2);
    expect(run.failure).toMatch(/^talkbench load exited 2 without a readable result/);
    expect(run.stderrTail.join('\n')).toMatch(/refused before starting/);
  });
});

// Generator processes (--processes N) never outlive the `talkbench load` that started them, SIGTERM
// ends them, and one that ends without its result is reported as a bug (exit 70) naming it and what
// it last said [D-CAPACITY] [D-EXIT]. Children are found through /proc: their parent's pid and the
// child entry point on their command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, type TestContext } from 'vitest';
import { FAULT_ENV } from '../run/process-messages.js';
import type { LoadResult } from '../run/result.js';
import { startTestServer } from '../../test-support/test-server.js';
import { TSX_EXEC_ARGV } from '../run/tsx-loader.js';
import { removeTempFiles, startCli, tempFile } from '../../test-support/cli-run.js';
import { keeper } from '../../test-support/cleanup.js';

// The tests of each describe run concurrently: each has its own server, processes and result file,
// killed, closed and removed when it ends.

/** `child`, SIGKILLed when the test ends if it is still running. */
function started(ctx: TestContext, child: ChildProcess): ChildProcess {
  ctx.onTestFinished(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  return child;
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, ...]; null once the process is gone. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A zombie has ended; only its parent (or init, for an orphan) has yet to reap it. */
function alive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

function generatorChildren(parentPid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    if (Number(statFields(e)?.[1]) !== parentPid) return false;
    try {
      return readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('child-entry');
    } catch {
      return false;
    }
  }).map(Number);
}

async function waitFor<T>(what: string, probe: () => T | null | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Milliseconds until none of `pids` is alive. */
async function allEnd(pids: readonly number[], timeoutMs: number): Promise<number> {
  const start = Date.now();
  await waitFor(`generator processes ${pids.join(', ')} ending`, () => pids.every((p) => !alive(p)), timeoutMs);
  return Date.now() - start;
}

/**
 * A two-process run against a reference server of its own, with a test hook for the children
 * (FAULT_ENV) if given; resolves with its generator children once they are forked, or (`running`)
 * once the run is under way: its first progress line (so no --quiet) and every user logged in at the
 * server (the plain progress line of a run without a terminal comes every 5 s, and its first may be
 * the 'starting' one).
 */
async function startRun(ctx: TestContext, extra: readonly string[], fault?: string, until: 'forked' | 'running' = 'running') {
  const server = keeper(ctx)(await startTestServer({ logLevel: 'info' }));
  const out = await tempFile('result.json');
  ctx.onTestFinished(() => removeTempFiles([out]));
  // Set and cleared around the spawn, with no await between: a concurrent test's run never sees it.
  if (fault) process.env[FAULT_ENV] = fault;
  const run = startCli(['load', '--target', `127.0.0.1:${server.imPort}`, '--users', '20', '--processes', '2', '--workers', '2',
    '--heartbeat-interval', '500ms', '--out', out, ...extra]);
  delete process.env[FAULT_ENV];
  started(ctx, run.child);
  let stderr = '';
  run.child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const children = await waitFor('two generator processes', () => {
    const found = generatorChildren(run.child.pid!);
    return found.length === 2 && found;
  }, 20_000);
  if (until === 'running') {
    await waitFor('the first progress line', () => /\d+s (starting|ramp-up|warm-up|measuring|grace)/.test(stderr), 25_000);
    await waitFor('the 20 users logged in', () => server.logs.filter((l) => / logged in$/.test(l)).length >= 20, 25_000);
  }
  expect(generatorChildren(run.child.pid!).sort()).toEqual([...children].sort());
  return { run, out, children, stderr: () => stderr };
}

describe('generator processes never outlive their parent', () => {
  test.concurrent('the parent SIGKILLed mid-run: no generator process is alive a few seconds later', async (ctx) => {
    const { run, children } = await startRun(ctx, ['--duration', '60s']);
    run.child.kill('SIGKILL');
    const ms = await allEnd(children, 5000);
    console.log(`generator processes ended ${ms} ms after their parent was SIGKILLed`);
    expect((await run.done).code).toBeNull();
  }, 40_000);

  test.concurrent('the parent SIGKILLed while its children start up: none is alive a few seconds later', async (ctx) => {
    const { run, children } = await startRun(ctx, ['--duration', '60s'], undefined, 'forked');
    run.child.kill('SIGKILL');
    const ms = await allEnd(children, 5000);
    console.log(`generator processes ended ${ms} ms after their parent was SIGKILLed in their start-up`);
  }, 40_000);

  test.concurrent('a child started without a parent (no IPC channel) exits at once', async (ctx) => {
    const entry = fileURLToPath(new URL('../run/child-entry.ts', import.meta.url));
    const child = started(ctx, spawn(process.execPath, [...TSX_EXEC_ARGV, entry], { stdio: 'ignore' }));
    const start = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    console.log(`an orphan child exited ${code} in ${Date.now() - start} ms`);
    expect(code).toBe(130);
  }, 20_000);
});

describe('a generator process that ends without its result', () => {
  test.concurrent('a child sent SIGTERM ends at once; the parent exits 70 naming it, and kills the other', async (ctx) => {
    const { run, children } = await startRun(ctx, ['--duration', '60s']);
    const victim = children[0]!;
    process.kill(victim, 'SIGTERM');
    console.log(`the SIGTERMed child ended in ${await allEnd([victim], 5000)} ms`);
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(70);
    expect(stderr).toMatch(new RegExp(`generator process [12] of 2 \\(pid ${victim}\\) ended without its result: killed by SIGTERM; the last it said over IPC was "\\w+"`));
    expect(stderr).toMatch(/unless something outside talkbench sent it SIGTERM, this is a bug of talkbench/);
    await allEnd(children, 5000);
  }, 60_000);

  test.concurrent('a lost result (test hook: exit before sending) exits 70 naming the process and what it last said', async (ctx) => {
    const { run, children } = await startRun(ctx, ['--duration', '1s', '--grace', '500ms'], '2:exit-before-result', 'forked');
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(70);
    expect(stderr).toMatch(/generator process 2 of 2 \(pid \d+\) ended without its result: exited with code 0; the last it said over IPC was "(progress|ready|target-failed)", [\d.]+ s before it ended; it wrote nothing on stderr/);
    expect(stderr).toMatch(/this is a bug of talkbench; please report it/);
    await allEnd(children, 5000);
  }, 60_000);

  test.concurrent('the parent interrupted: a child that does not report in time is killed, and the rest is written (exit 130)', async (ctx) => {
    const { run, out, children } = await startRun(ctx, ['--duration', '60s', '--grace', '500ms', '--timeout', '1s'], '2:ignore-stop');
    run.child.kill('SIGTERM');
    const start = Date.now();
    const { code, stderr } = await run.done;
    console.log(`the interrupted run ended ${Date.now() - start} ms after SIGTERM`);
    expect(code, stderr).toBe(130);
    const result = JSON.parse(await readFile(out, 'utf8')) as LoadResult;
    expect(result.status).toBe('interrupted');
    expect(result.reasons).toContain('generator process 2 of 2 ended without its result (killed: it did not report within the allowed time after the stop): its part of the run is missing');
    expect(result.ops.login?.ok).toBeGreaterThan(0);
    await allEnd(children, 5000);
  }, 60_000);
});

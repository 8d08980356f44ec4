// Child processes for benchmarks: the C anchors (outside the repository: see ANCHOR) and the
// talkbench CLI, each started, read and stopped the way a person would from a shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findListening } from '../../cli/listening-line.js';
import { spawnTalkbench, TALKBENCH_BIN } from '../../test-support/talkbench-cli.js';
import { TailLines } from '../../bench/run/processes.js';
import type { LoadResult } from '../../bench/run/result.js';
import { readLoadResult } from '../../reports/schema/read-result.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The physical-limit anchor: a C epoll client and responder kept outside this repository (on the
 * project's machines beside the checkout). TALKBENCH_ANCHORS names another folder holding anchor.sh.
 */
export const ANCHOR = resolve(process.env.TALKBENCH_ANCHORS ?? resolve(ROOT, '../shared/perf'), 'anchor.sh');

export function anchorsAvailable(): boolean {
  return existsSync(ANCHOR);
}

/** Starts a long-running process and resolves once `ready` finds what it waits for in its stdout so far. */
export function startUntil<T>(command: string, args: string[], ready: (out: string) => T | null): Promise<{ child: ChildProcess; match: T }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = ready(out);
      if (match !== null) done({ child, match });
    });
    child.on('exit', (code) => fail(new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready:\n${out}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => { child.on('exit', () => done()); child.kill('SIGTERM'); });
}

/** Runs to completion and returns stdout. */
export function run(command: string, args: string[]): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((done, fail) => child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`${command} exited ${code}`)))));
}

/** The C client's one line of key=value figures. */
export async function cClient(port: number, args: string[]): Promise<Record<string, number>> {
  const line = (await run('bash', [ANCHOR, String(port), ...args])).trim().split('\n').pop() ?? '';
  return Object.fromEntries(line.split(' ').map((kv) => kv.split('=')).filter((kv) => kv.length === 2).map(([k, v]) => [k!, Number(v)]));
}

export function talkbenchServe(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  // Whole lines only: a port cut at a chunk's end must not be read as a shorter one.
  return startUntil(process.execPath, [TALKBENCH_BIN, 'serve', ...args], (out) => findListening(out.split('\n').slice(0, -1), 'im'))
    .then(({ child, match }) => ({ child, port: match.port }));
}

/** A benchmark's load run: its result, or why there is none (it never crashes the benchmark). */
export type LoadRun =
  | { ok: true; exitCode: number | null; result: LoadResult }
  | { ok: false; exitCode: number | null; signal: NodeJS.Signals | null; failure: string; stderrTail: string[] };

/** `talkbench load ... --out FILE --quiet`: stderr is forwarded, and its last lines kept for a failure. */
export async function talkbenchLoadRun(args: string[]): Promise<LoadRun> {
  const dir = await mkdtemp(join(tmpdir(), 'tb-bench-'));
  const out = join(dir, 'result.json');
  const child = spawnTalkbench(['load', ...args, '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tail = new TailLines(20);
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => { process.stderr.write(chunk); tail.add(chunk); });
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => {
    child.on('error', () => done([null, null]));
    child.on('close', (code, sig) => done([code, sig]));
  });
  try {
    return { ok: true, exitCode, result: readLoadResult(await readFile(out, 'utf8'), out) };
  } catch (err) {
    // No result file, or a torn one: the run failed, and its stderr says how.
    const ending = signal ? `was killed by ${signal}` : `exited ${exitCode}`;
    return { ok: false, exitCode, signal, failure: `talkbench load ${ending} without a readable result (${(err as Error).message})`, stderrTail: tail.get() };
  } finally {
    // The result is read (or known missing): the folder is the benchmark's scratch, nothing to keep.
    await rm(dir, { recursive: true, force: true });
  }
}

/** As talkbenchLoadRun, for callers that cannot go on without a result: a failure is an error naming its cause. */
export async function talkbenchLoad(args: string[]): Promise<LoadResult> {
  const run = await talkbenchLoadRun(args);
  if (run.ok) return run.result;
  throw new Error(`${run.failure}; its last lines on stderr:\n${run.stderrTail.map((l) => `    ${l}`).join('\n')}`);
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

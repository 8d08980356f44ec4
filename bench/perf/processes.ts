// Child processes for benchmarks: the C anchors (../shared/perf) and the talkbench CLI, each started,
// read and stopped the way a person would from a shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTalkbench, TALKBENCH_BIN } from '../../util/talkbench-cli.js';
import type { LoadResult } from '../run/result.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ANCHOR = resolve(ROOT, '../shared/perf/anchor.sh');

export function anchorsAvailable(): boolean {
  return existsSync(ANCHOR);
}

/** Starts a long-running process and resolves once a stdout line matches `ready`, with the match. */
export function startUntil(command: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) done({ child, match });
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
  return startUntil(process.execPath, [TALKBENCH_BIN, 'serve', ...args], /^im listening on [^:]+:(\d+)/m)
    .then(({ child, match }) => ({ child, port: Number(match[1]) }));
}

export async function talkbenchLoad(args: string[]): Promise<LoadResult> {
  const out = join(await mkdtemp(join(tmpdir(), 'tb-bench-')), 'result.json');
  const child = spawnTalkbench(['load', ...args, '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((done) => child.on('exit', done));
  return JSON.parse(await readFile(out, 'utf8')) as LoadResult;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

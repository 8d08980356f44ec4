// The `talkbench` command as a child process: one place that knows where the entry point is and how
// to start it, for the main job, the benchmarks and the tests that drive the real CLI as a user would.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TALKBENCH_BIN = fileURLToPath(new URL('../bin/talkbench.js', import.meta.url));

export interface CliOptions {
  cwd?: string;
  /** Default: stdin ignored, stdout and stderr piped. */
  stdio?: StdioOptions;
}

export function spawnTalkbench(args: readonly string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [TALKBENCH_BIN, ...args], { cwd: options.cwd, stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'] });
}

/** Runs to the end; resolves with the exit code and everything printed. */
export function runTalkbench(args: readonly string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawnTalkbench(args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

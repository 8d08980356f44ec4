// Runs `talkbench serve` as a real child process, as a user would, and reads the ports it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { findListening, type ListenerName } from '../cli/listening-line.js';
import { TALKBENCH_BIN as BIN } from './talkbench-cli.js';


export interface ServeProcess {
  child: ChildProcess;
  imPort: number;
  chatPort: number;
  httpPort: number;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `openFiles` lowers the server's open-file limit (through the shell's ulimit) to test EMFILE. */
export function serve(args: string[], timeoutMs = 15_000, openFiles?: number): Promise<ServeProcess> {
  const argv = [BIN, 'serve', '--im-port', '0', '--chat-port', '0', '--http-port', '0', '--scrypt-cost', '1024', ...args];
  const child = openFiles === undefined
    ? spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(...d.toString().split('\n').filter(Boolean)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not print its ports within ${timeoutMs} ms:\n${stderr.join('\n')}`)); }, timeoutMs);
    const port = (name: ListenerName) => findListening(stdout, name)?.port ?? NaN;
    child.stdout!.on('data', (d: Buffer) => {
      stdout.push(...d.toString().split('\n').filter(Boolean));
      if (stdout.some((l) => l.startsWith('storage:'))) {
        clearTimeout(timer);
        resolve({ child, imPort: port('im'), chatPort: port('chat'), httpPort: port('http'), stdout, stderr, exited });
      }
    });
    void exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`serve exited with ${code} before listening:\n${stderr.join('\n')}`)); });
  });
}

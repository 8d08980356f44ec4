// A generator child process (--processes N): runs its slice of the run with its own worker pool,
// starts when the parent says so, forwards progress, and hands its result back over IPC.
import { initHistograms } from '../metrics/histogram.js';
import type { ToChild, ToParent } from './process-messages.js';
import { runLoad } from './run-load.js';

const send = (message: ToParent): void => { process.send?.(message); };
let onGo: (startMs: number) => void = () => undefined;
let onInterrupt: (reason: string) => void = () => undefined;
let onHalt: (reason: string) => void = () => undefined;
const go = new Promise<number>((resolve) => { onGo = resolve; });
const interrupt = new Promise<string>((resolve) => { onInterrupt = resolve; });
const halt = new Promise<string>((resolve) => { onHalt = resolve; });

// The parent coordinates stopping: a Ctrl-C reaches the whole process group, and the parent relays it.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => onInterrupt('the parent process went away'));

process.on('message', (message: ToChild) => {
  if (message.kind === 'go') onGo(message.startMs);
  else if (message.kind === 'stop') (message.signal ? onInterrupt : onHalt)(message.reason);
  else if (message.kind === 'run') void run(message);
});

async function run(message: Extract<ToChild, { kind: 'run' }>): Promise<void> {
  await initHistograms();
  const result = await runLoad(message.config, {
    version: message.version,
    interrupt,
    halt,
    onTargetFailure: (reason) => send({ kind: 'target-failed', reason }),
    startGate: () => { send({ kind: 'ready' }); return go; },
    onWorkerProgress: (progress) => send({ kind: 'progress', message: { ...progress, worker: progress.worker + message.workerOffset } }),
  });
  send({ kind: 'result', result });
  process.disconnect();
}

// A generator child process (--processes N): runs its slice of the run with its own worker pool,
// starts when the parent says so, forwards progress, and hands its result back over IPC.
//
// It never outlives its parent [D-CAPACITY]: the IPC channel closing (the parent's end is closed by
// the kernel however the parent died, SIGKILL included) or its parent pid changing (an orphan is
// reparented) ends it at once, without waiting for a graceful end of the run; nobody would read it.
import { EXIT } from '../../util/exit-codes.js';
import { initHistograms } from '../../reports/schema/histogram.js';
import { FAULT_ENV, PARENT_PID_ENV, faultFor, type GeneratorFault, type ToChild, type ToParent } from './process-messages.js';
import { runLoad } from './run-load.js';

/** How often the parent pid is looked at: well inside the 2 s an orphan may live. */
const PARENT_WATCH_MS = 250;

const parentPid = Number(process.env[PARENT_PID_ENV]) || process.ppid;
let resultSent = false;
let fault: GeneratorFault | null = null;

let onGo: (startMs: number) => void = () => undefined;
let onInterrupt: (reason: string) => void = () => undefined;
let onHalt: (reason: string) => void = () => undefined;
const go = new Promise<number>((resolve) => { onGo = resolve; });
const interrupt = new Promise<string>((resolve) => { onInterrupt = resolve; });
const halt = new Promise<string>((resolve) => { onHalt = resolve; });

/** The parent is gone: stop now. Writing to stderr could fail too (its reader is gone), so exit silently. */
function parentGone(): never {
  process.exit(EXIT.interrupted);
}

function watchParent(): void {
  if (!process.connected || process.ppid !== parentPid) parentGone();   // gone before we started
  process.on('disconnect', () => { if (!resultSent) parentGone(); });
  setInterval(() => { if (process.ppid !== parentPid) parentGone(); }, PARENT_WATCH_MS).unref();
}

/** Progress and the like: dropped when the channel is already closed (the watch above ends us). */
const send = (message: ToParent): void => { if (process.connected) process.send?.(message); };

/**
 * The result can be megabytes: disconnecting or exiting before the send completes drops it (the
 * pipe's pending writes are cancelled), so exit only from the send's callback.
 */
function sendResultAndExit(message: ToParent): void {
  if (fault === 'exit-before-result') process.exit(0);
  resultSent = true;
  process.send!(message, (err: Error | null) => {
    if (err) {
      process.stderr.write(`generator process: sending the result to the parent failed: ${err.message}\n`);
      process.exit(EXIT.internal);
    }
    process.exit(EXIT.ok);
  });
}

async function run(message: Extract<ToChild, { kind: 'run' }>): Promise<void> {
  fault = faultFor(message.config.slice.index, process.env[FAULT_ENV]);
  await initHistograms();
  const result = await runLoad(message.config, {
    version: message.version,
    interrupt,
    halt,
    onTargetFailure: (reason) => send({ kind: 'target-failed', reason }),
    startGate: () => { send({ kind: 'ready' }); return go; },
    onWorkerProgress: (progress) => send({ kind: 'progress', message: { ...progress, worker: progress.worker + message.workerOffset } }),
  });
  sendResultAndExit({ kind: 'result', result });
}

function onMessage(message: ToChild): void {
  if (message.kind === 'go') onGo(message.startMs);
  else if (message.kind === 'stop' && !(message.signal && fault === 'ignore-stop')) (message.signal ? onInterrupt : onHalt)(message.reason);
  else if (message.kind === 'run') {
    run(message).catch((err: unknown) => {
      process.stderr.write(`generator process ${message.config.slice.index}: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(EXIT.internal);
    });
  }
}

watchParent();
// A Ctrl-C reaches the whole process group: the parent relays it as a graceful stop, so the run
// still ends with its result. SIGTERM keeps its default and ends this process at once.
process.on('SIGINT', () => undefined);
process.on('message', onMessage);

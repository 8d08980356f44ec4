// Several generator processes for one run (--processes N): one process cannot hold more sockets than
// its open-file limit, and all its threads share that limit. Each child runs a slice of this shard's
// friend groups with its own worker pool; all start on one timeline (the machine's monotonic clock
// is shared by its processes); their results are merged exactly, as `talkbench merge` does.
//
// A child that ends without its result is a bug of talkbench (exit 70), reported with what the child
// last said, unless this process was interrupted: then the missing part is noted and the run is
// "interrupted" (130). Children never outlive this process (see child-entry.ts), and it kills them
// whenever it gives up on them.
import { TalkbenchError } from '../../util/errors.js';
import { fork, type ChildProcess } from 'node:child_process';
import { workersPerProcess } from '../config/capacity.js';
import type { LoadConfig } from '../config/load-config.js';
import { monoMs } from '../../util/clock.js';
import { EXIT } from '../../util/exit-codes.js';
import { mergeProcessResults } from './merge.js';
import { withFailures } from './outcome.js';
import { PARENT_PID_ENV, type ToChild, type ToParent } from './process-messages.js';
import type { Failure, LoadResult } from './result.js';
import { timelineFrom, unusableResult, type RunHooks } from './run-load.js';
import { RunProgress } from './run-progress.js';
import { TSX_EXEC_ARGV } from './tsx-loader.js';

const CHILD = new URL('./child-entry.ts', import.meta.url);
/** Between the last child being ready and the first connection. */
const START_DELAY_MS = 100;
/**
 * After a relayed stop a child waits out the grace window, logs out and sends its result; one that
 * has not ended this long after the grace window and a request timeout is killed.
 */
const STOP_ALLOWANCE_MS = 10_000;
/**
 * A child killed by the same signal that interrupts us (a SIGTERM to the process group) can be seen
 * ending just before our own handler runs: wait this long for it before calling its end a bug.
 */
const SIGNAL_SETTLE_MS = 300;
/** Lines of each child's stderr kept for the message when it ends without its result. */
const STDERR_TAIL_LINES = 12;

/** The last lines of a stream, kept as it is forwarded. */
export class TailLines {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly keep: number, private readonly maxLineLength = 500) {}

  add(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.lines.push(line.slice(0, this.maxLineLength));
    if (this.lines.length > this.keep) this.lines = this.lines.slice(-this.keep);
    if (this.partial.length > this.maxLineLength) this.partial = this.partial.slice(-this.maxLineLength);
  }

  get(): string[] {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-this.keep);
  }
}

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The child could not be started at all. */
  error: Error | null;
  /** On the monotonic clock. */
  atMs: number;
}

interface Child {
  /** From 1, as in config.slice and in every message. */
  index: number;
  process: ChildProcess;
  result: LoadResult | null;
  lastSaid: { kind: ToParent['kind']; atMs: number } | null;
  stderr: TailLines;
  /** Killed by us after a stop it did not answer in time. */
  killedAfterStop: boolean;
  /** Resolves once the child exited and its IPC channel and stderr are closed (every message read). */
  ended: Promise<Ending>;
}

/** A generator process ended without its result: a bug of talkbench [D-EXIT 70]. */
export class GeneratorProcessError extends TalkbenchError {
  constructor(readonly processIndex: number, readonly processes: number, readonly pid: number | undefined, readonly ending: Ending, description: string) {
    super('GENERATOR_PROCESS', description, EXIT.internal);
  }
}

/** What the CLI prints and exits with when runProcesses throws. */
export function processesFailure(err: unknown): { exitCode: number; message: string } {
  if (err instanceof GeneratorProcessError) {
    const bug = err.ending.signal && err.ending.signal !== 'SIGABRT' && err.ending.signal !== 'SIGSEGV'
      ? `unless something outside talkbench sent it ${err.ending.signal}${err.ending.signal === 'SIGKILL' ? ' (the kernel\'s out-of-memory killer does)' : ''}, this is a bug of talkbench`
      : 'this is a bug of talkbench';
    return { exitCode: EXIT.internal, message: `${err.message}\n${bug}; please report it with this message (exit ${EXIT.internal})` };
  }
  return { exitCode: EXIT.internal, message: `an internal error, a bug of talkbench (exit ${EXIT.internal}): ${(err as Error).stack ?? String(err)}` };
}

export async function runProcesses(config: LoadConfig, processes: number, hooks: RunHooks): Promise<LoadResult> {
  const workersEach = workersPerProcess(config.workers, processes);
  // For the live view only: the result's time series is the children's, merged exactly.
  const progress = new RunProgress(processes, processes * workersEach, config, hooks.onProgress, { keepSeries: false });
  let interrupted = false;

  const onMessage = (child: Child, message: ToParent): void => {
    child.lastSaid = { kind: message.kind, atMs: monoMs() };
    if (message.kind === 'ready') {
      progress.partReady();
    } else if (message.kind === 'progress') {
      progress.progress(message.message);
    } else if (message.kind === 'target-failed') {
      tell(children, { kind: 'stop', reason: `target failed in process ${child.index}: ${message.reason}`, signal: false });
    } else if (message.kind === 'result') {
      child.result = message.result;
    }
  };

  const children = Array.from({ length: processes }, (_, p) => startChild(p + 1, onMessage));
  const killAll = (): void => { for (const c of children) kill(c); };
  // However this process ends (an exception, process.exit on a second Ctrl-C), its children end too.
  process.on('exit', killAll);
  let stopTimer: NodeJS.Timeout | undefined;
  let finished = false;
  void hooks.interrupt?.then((reason) => {
    if (finished) return;
    interrupted = true;
    tell(children, { kind: 'stop', reason, signal: true });
    stopTimer = setTimeout(() => killUnreported(children), config.graceMs + config.timeoutMs + STOP_ALLOWANCE_MS);
  });

  const missing: (string | undefined)[] = [];   // by process index
  const judged = children.map((child) => judgeEnd(child, processes, () => interrupted, (note) => { missing[child.index - 1] = note; }));

  try {
    children.forEach((child, p) => {
      const slice: LoadConfig = { ...config, workers: workersEach, slice: { index: p + 1, count: processes } };
      tell([child], { kind: 'run', config: slice, workerOffset: p * workersEach, version: hooks.version });
    });
    // All ready, or all ended (an unreachable target ends each child before its start gate).
    await Promise.race([progress.allReady, Promise.all(judged)]);
    const startMs = monoMs() + START_DELAY_MS;
    tell(children, { kind: 'go', startMs });
    progress.started(timelineFrom(config, startMs));
    await Promise.all(judged);
  } catch (err) {
    killAll();
    throw err;
  } finally {
    finished = true;
    progress.stop();
    clearTimeout(stopTimer);
    process.off('exit', killAll);
  }
  return withMissingParts(children.flatMap((c) => (c.result ? [c.result] : [])), config, hooks, missing.filter((m): m is string => m !== undefined));
}

/**
 * Resolves once the child ended with its result; rejects with a GeneratorProcessError when it ended
 * without one, unless this process was interrupted: then `note` records the missing part.
 */
async function judgeEnd(child: Child, processes: number, interrupted: () => boolean, note: (text: string) => void): Promise<void> {
  const ending = await child.ended;
  if (child.result) return;
  if (!interrupted()) await new Promise((resolve) => setTimeout(resolve, SIGNAL_SETTLE_MS));
  if (!interrupted()) throw new GeneratorProcessError(child.index, processes, child.process.pid, ending, describeLoss(child, processes, ending));
  note(`generator process ${child.index} of ${processes} ended without its result (${endingText(child, ending)}): its part of the run is missing`);
}

function startChild(index: number, onMessage: (child: Child, message: ToParent) => void): Child {
  const proc = fork(CHILD, [], {
    execArgv: [...TSX_EXEC_ARGV],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, [PARENT_PID_ENV]: String(process.pid) },
  });
  const ended = new Promise<Ending>((resolve) => {
    proc.on('error', (error) => resolve({ code: null, signal: null, error, atMs: monoMs() }));
    // 'close', not 'exit': 'exit' can come while the last messages (a result of megabytes) are still
    // being read from the channel, and the child would be judged to have ended without them.
    proc.once('close', (code, signal) => resolve({ code, signal, error: null, atMs: monoMs() }));
  });
  const child: Child = { index, process: proc, result: null, lastSaid: null, stderr: new TailLines(STDERR_TAIL_LINES), killedAfterStop: false, ended };
  // Forwarded as it comes, and its tail kept to say what a child that died last said.
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => { process.stderr.write(chunk); child.stderr.add(chunk); });
  proc.on('message', (message: ToParent) => onMessage(child, message));
  return child;
}

/** A child that is gone cannot be told anything; its end is reported by its 'close'. */
function tell(children: readonly Child[], message: ToChild): void {
  for (const c of children) if (c.process.connected) c.process.send(message, () => undefined);
}

function kill(child: Child): void {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
}

/** The relayed stop went unanswered: take what the others returned. */
function killUnreported(children: readonly Child[]): void {
  for (const c of children) {
    if (c.result) continue;
    c.killedAfterStop = true;
    kill(c);
  }
}

function endingText(child: Child, ending: Ending): string {
  if (ending.error) return `it could not be started: ${ending.error.message}`;
  if (child.killedAfterStop) return 'killed: it did not report within the allowed time after the stop';
  return ending.signal ? `killed by ${ending.signal}` : `exited with code ${ending.code}`;
}

/** Which process, how it ended, and what it last said over IPC and on stderr. */
function describeLoss(child: Child, processes: number, ending: Ending): string {
  const said = child.lastSaid
    ? `the last it said over IPC was "${child.lastSaid.kind}", ${((ending.atMs - child.lastSaid.atMs) / 1000).toFixed(1)} s before it ended`
    : 'it said nothing over IPC';
  const tail = child.stderr.get();
  const stderr = tail.length > 0 ? `its last lines on stderr:\n${tail.map((l) => `    ${l}`).join('\n')}` : 'it wrote nothing on stderr';
  return `generator process ${child.index} of ${processes} (pid ${child.process.pid ?? 'none'}) ended without its result: ${endingText(child, ending)}; ${said}; ${stderr}`;
}

/**
 * The merged result. Parts are missing only after an interrupt: the run is then "interrupted" and says
 * which parts are missing; with none returned at all, it is an empty result of this run, so the file
 * is still written [D-EXIT 130].
 */
function withMissingParts(results: readonly LoadResult[], config: LoadConfig, hooks: RunHooks, missing: readonly string[]): LoadResult {
  if (missing.length === 0) return mergeProcessResults(results, config);
  const failures: Failure[] = [{ code: 'interrupted', message: 'interrupted by a signal' }, ...missing.map((message): Failure => ({ code: 'part-missing', message }))];
  return results.length > 0 ? withFailures(mergeProcessResults(results, config), failures) : unusableResult(config, hooks, failures);
}

// Several generator processes for one run (--processes N): one process cannot hold more sockets than
// its open-file limit, and all its threads share that limit. Each child runs a slice of this shard's
// friend groups with its own worker pool; all start on one timeline (the machine's monotonic clock
// is shared by its processes); their results are merged exactly, as `talkbench merge` does.
import { fork, type ChildProcess } from 'node:child_process';
import type { LoadConfig } from '../config/load-config.js';
import { monoMs } from '../engine/clock.js';
import { mergeProcessResults } from './merge.js';
import type { ToChild, ToParent } from './process-messages.js';
import type { LoadResult } from './result.js';
import { liveView, timelineFrom, type RunHooks } from './run-load.js';
import { TimeSeriesCollector } from './time-series.js';
import { TSX_EXEC_ARGV } from './tsx-loader.js';
import type { Timeline, WorkerStatus } from '../worker/task.js';

const CHILD = new URL('./child-entry.ts', import.meta.url);
/** Between the last child being ready and the first connection. */
const START_DELAY_MS = 100;

export async function runProcesses(config: LoadConfig, processes: number, hooks: RunHooks): Promise<LoadResult> {
  const workersEach = Math.max(1, Math.floor(config.workers / processes));
  const children: ChildProcess[] = [];
  const results: (LoadResult | null)[] = Array.from({ length: processes }, () => null);
  const statuses = new Map<number, WorkerStatus>();
  const series = new TimeSeriesCollector(processes * workersEach);
  let timeline: Timeline | null = null;
  let errors = 0;
  let lastSecond: ReturnType<TimeSeriesCollector['add']> = null;
  let ready = 0;
  let onAllReady: () => void = () => undefined;
  const allReady = new Promise<void>((resolve) => { onAllReady = resolve; });
  const tell = (message: ToChild): void => { for (const c of children) if (c.connected) c.send(message); };

  const exits = Array.from({ length: processes }, (_, p) => new Promise<void>((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: [...TSX_EXEC_ARGV], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    child.on('message', (message: ToParent) => {
      if (message.kind === 'ready') {
        if (++ready === processes) onAllReady();
      } else if (message.kind === 'progress') {
        const m = message.message;
        statuses.set(m.worker, m.status);
        for (const op of Object.values(m.ops)) errors += op.failed + op.timeouts;
        lastSecond = series.add(m) ?? lastSecond;
        if (timeline) hooks.onProgress?.(liveView(timeline, [...statuses.values()], lastSecond, errors));
      } else if (message.kind === 'target-failed') {
        tell({ kind: 'stop', reason: `target failed in process ${p + 1}: ${message.reason}`, signal: false });
      } else if (message.kind === 'result') {
        results[p] = message.result;
      }
    });
    child.on('exit', (code) => (results[p] ? resolve() : reject(new Error(`generator process ${p + 1} exited (${code}) without a result`))));
    const slice: LoadConfig = { ...config, workers: workersEach, slice: { index: p + 1, count: processes } };
    child.send({ kind: 'run', config: slice, workerOffset: p * workersEach, version: hooks.version } satisfies ToChild);
  }));

  void hooks.interrupt?.then((reason) => tell({ kind: 'stop', reason, signal: true }));
  try {
    await Promise.race([allReady, Promise.all(exits)]);
    const startMs = monoMs() + START_DELAY_MS;
    timeline = timelineFrom(config, startMs);
    tell({ kind: 'go', startMs });
    await Promise.all(exits);
  } catch (err) {
    for (const c of children) c.kill('SIGKILL');
    throw err;
  }
  return mergeProcessResults(results as LoadResult[], config);
}

// Runs one load process: preflight, a piscina pool of workers, one timeline for all, progress, early
// stops (a signal, a failed target), then the result with everything merged exactly.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { LoadConfig } from '../config/load-config.js';
import { monoMs } from '../../util/clock.js';
import type { GoMessage, ProgressMessage, StopMessage, Timeline, WorkerMessage, WorkerResult, WorkerTask } from '../worker/task.js';
import { combineCounts, combineSnapshots } from './combine.js';
import { openFileLimit } from '../../util/open-file-limit.js';
import { pingPlans, processConnections, processGroups, usersPlans } from './plan.js';
import { assembleResult, onlyTarget, type Failure, type LoadResult, type SecondSample } from './result.js';
import { RunProgress, type LiveView } from './run-progress.js';
import { TSX_EXEC_ARGV } from './tsx-loader.js';
import { allWithin } from './watchdog.js';

export interface RunHooks {
  onProgress?(view: LiveView): void;
  /** Resolves when the run must stop early (SIGINT/SIGTERM); its value is the reason. */
  interrupt?: Promise<string>;
  /** Resolves when the run must stop early for another reason (another process saw the target fail). */
  halt?: Promise<string>;
  /** A worker saw the target fail (the parent of several processes stops the others). */
  onTargetFailure?: (reason: string) => void;
  /** The target's scrypt cost, when the caller started the target and knows it [D-HASH]. */
  targetScryptCost?: number | null;
  version: string;
  /**
   * Called once every worker is loaded; resolves to the run's start on the shared monotonic clock.
   * Several processes of one run wait here for each other (see processes.ts). Default: at once.
   */
  startGate?: () => Promise<number>;
  /** Every worker's progress message, as it arrives (a child process forwards them to its parent). */
  onWorkerProgress?: (message: ProgressMessage) => void;
}

/** How long workers get to load before the run starts without them is a failure. */
const READY_TIMEOUT_MS = 30_000;
/** How long past its end (the grace end or the stop, plus the request timeout) a worker may take to return. */
const WORKER_OVERDUE_MS = 60_000;
/** Between the last worker being ready and the first connection. */
const START_DELAY_MS = 50;

type RunBase = { runId: string; startedAt: string; loadStart: number[]; cpuStart: NodeJS.CpuUsage; wallStart: number };

function runBase(): RunBase {
  const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(4).toString('hex')}`;
  return { runId, startedAt: new Date().toISOString(), loadStart: loadavg(), cpuStart: process.cpuUsage(), wallStart: monoMs() };
}

/**
 * The result of a run that never started: the targets were unusable (the preflight's `unreachable`
 * failures say why, exit 3), or no generator process returned its part after an interrupt.
 */
export function unusableResult(config: LoadConfig, hooks: Pick<RunHooks, 'version' | 'targetScryptCost'>, failures: readonly Failure[]): LoadResult {
  return finish(config, hooks, runBase(), [], [], failures, false, 0);
}

/** Runs the load in this process. The preflight is the caller's (see cli/load-command.ts), once for every process. */
export async function runLoad(config: LoadConfig, hooks: RunHooks): Promise<LoadResult> {
  const base = runBase();
  const { runId } = base;

  const plans = config.scenario === 'ping'
    ? pingPlans(config, ...processConnections(config))
    : usersPlans(config, processGroups(config));
  const pool = new Piscina({
    filename: new URL('../worker/worker-entry.ts', import.meta.url).href,
    minThreads: plans.length,
    maxThreads: plans.length,
    idleTimeout: 60_000,
    execArgv: [...TSX_EXEC_ARGV],
  });

  const channels = plans.map(() => new MessageChannel());
  const progress = new RunProgress(plans.length, plans.length, config, hooks.onProgress);
  let interrupted = false;
  let stoppedAtMs = -Infinity;
  const stopAll = (reason: string): void => {
    stoppedAtMs = Math.max(stoppedAtMs, monoMs());
    const message: StopMessage = { kind: 'stop', reason };
    for (const c of channels) c.port1.postMessage(message);
  };

  for (const channel of channels) {
    channel.port1.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') {
        progress.partReady();
      } else if (message.kind === 'progress') {
        hooks.onWorkerProgress?.(message);
        progress.progress(message);
      } else if (message.kind === 'target-failed') {
        hooks.onTargetFailure?.(message.reason);
        stopAll(`target failed under worker ${message.worker}: ${message.reason}`);
      }
    });
  }

  void hooks.interrupt?.then((reason) => { interrupted = true; stopAll(reason); });
  void hooks.halt?.then((reason) => stopAll(reason));

  const running = plans.map((plan, w) => {
    const task: WorkerTask = {
      runId, worker: w, plan, targets: config.targets, sourceAddresses: config.sourceAddresses,
      layout: config.layout, maxBodyBytes: config.maxBodyBytes, timeoutMs: config.timeoutMs,
      timeline: { startMs: 0, rampUpMs: 0, measureStartMs: 0, measureEndMs: 0, graceEndMs: 0 },
      lateStartMs: config.overload.lateStartMs, port: channels[w]!.port2,
    };
    return pool.run(task, { transferList: [channels[w]!.port2] }) as Promise<WorkerResult>;
  });

  let readyTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    progress.allReady,
    new Promise((_, reject) => { readyTimer = setTimeout(() => reject(new Error(`workers not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS); }),
  ]);
  clearTimeout(readyTimer);
  const startMs = hooks.startGate ? await hooks.startGate() : monoMs() + START_DELAY_MS;
  const timeline = timelineFrom(config, startMs);
  const go: GoMessage = { kind: 'go', timeline };
  for (const c of channels) c.port1.postMessage(go);
  progress.started(timeline);

  let results: WorkerResult[];
  try {
    // Logouts and drains after the grace end are bounded (by timeoutMs and the logout wait) far below
    // the margin: a worker out past it is stuck (watchdog.ts).
    const endBy = (): number => Math.max(timeline.graceEndMs, stoppedAtMs) + config.timeoutMs + WORKER_OVERDUE_MS;
    results = await allWithin(running, endBy, 'worker');
  } finally {
    progress.stop();
    for (const c of channels) c.port1.close();
    await pool.destroy();
  }
  // Every worker has returned: a run stopped early measured only until now.
  const measuredMs = Math.max(0, Math.min(monoMs(), timeline.measureEndMs) - timeline.measureStartMs);
  const started = !results.every((r) => (r.snapshot.ops.connect?.ok ?? 0) === 0) || interrupted;
  const failures: Failure[] = [];
  if (interrupted) failures.push({ code: 'interrupted', message: 'interrupted by a signal' });
  if (!started) failures.push({ code: 'unreachable', ...onlyTarget(config), message: `no connection to the target could be opened${describeConnectFailures(results)}` });
  // The first worker to see a target fail stopped the others: its words say which target and how.
  const targetFailure = results.find((r) => r.targetFailure)?.targetFailure;
  if (targetFailure) failures.push({ code: 'target-failed-mid-run', ...onlyTarget(config), message: targetFailure });
  return finish(config, hooks, base, results, progress.series(), failures, started, measuredMs);
}

/** The run's phases from its start on the shared monotonic clock. */
export function timelineFrom(config: LoadConfig, startMs: number): Timeline {
  const measureStartMs = startMs + config.rampUpMs + config.warmupMs;
  return {
    startMs,
    rampUpMs: config.rampUpMs,
    measureStartMs,
    measureEndMs: measureStartMs + config.durationMs,
    graceEndMs: measureStartMs + config.durationMs + config.graceMs,
  };
}

/** Why connects failed, for a run in which none succeeded: ` (ECONNREFUSED 20)`. */
function describeConnectFailures(results: readonly WorkerResult[]): string {
  const ops = results.map((r) => r.snapshot.ops.connect);
  const by = combineCounts([...ops.map((op) => op?.failedBy ?? {}), ...ops.map((op) => ({ 'timed out': op?.timeouts ?? 0 }))]);
  if (by['timed out'] === 0) delete by['timed out'];
  const parts = Object.entries(by).map(([reason, n]) => `${reason} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function finish(
  config: LoadConfig,
  hooks: Pick<RunHooks, 'version' | 'targetScryptCost'>,
  base: RunBase,
  results: readonly WorkerResult[],
  timeSeries: SecondSample[],
  failures: readonly Failure[],
  started: boolean,
  measuredMs: number,
): LoadResult {
  const cpu = process.cpuUsage(base.cpuStart);
  return assembleResult({
    runId: base.runId,
    version: hooks.version,
    startedAt: base.startedAt,
    finishedAt: new Date().toISOString(),
    config,
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cpus: cpus().length,
      memoryBytes: totalmem(),
      loadAverage: { start: base.loadStart, end: loadavg() },
      openFileLimit: openFileLimit(),
    },
    targetScryptCost: hooks.targetScryptCost ?? null,
    measuredMs,
    measured: combineSnapshots(results.map((r) => r.snapshot)),
    timeSeries,
    workers: results.map((r) => r.health),
    cpu: { userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000), wallMs: Math.round(monoMs() - base.wallStart) },
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    started,
    failures,
    shards: [],
  });
}

// Everything a scenario running in a worker shares: the recorder, the timeline, progress to the main
// thread once a second, the stop signal, and the verdict that the target failed. Scenarios see it as
// the engine's ScenarioContext, never as this class [D-LAYOUT-REPO].
import { HealthMonitor } from '../engine/health.js';
import { lateSends } from '../metrics/late-sends.js';
import { monoMs } from '../../util/clock.js';
import type { ScenarioContext } from '../engine/scenario-context.js';
import { Recorder } from '../metrics/recorder.js';
import type { FailureMessage, ProgressMessage, StopMessage, WorkerResult, WorkerStatus, WorkerTask } from './task.js';

export class WorkerContext implements ScenarioContext {
  readonly recorder = new Recorder();
  readonly health: HealthMonitor;
  readonly status: WorkerStatus = { connected: 0, loggedIn: 0, connectFailures: 0 };
  stopReason: string | null = null;
  targetFailure: string | null = null;
  private readonly stopWaiters: (() => void)[] = [];
  private ticker: NodeJS.Timeout | null = null;
  private healthTimers: NodeJS.Timeout[] = [];
  /** The second the next progress message closes (see ProgressMessage.second). */
  private second = 0;

  constructor(readonly task: WorkerTask) {
    this.health = new HealthMonitor();
    task.port.on('message', (message: StopMessage) => {
      if (message.kind === 'stop') this.stop(message.reason);
    });
  }

  get timeline() {
    return this.task.timeline;
  }

  get stopping(): boolean {
    return this.stopReason !== null;
  }

  /** True when an action due (or sent) at `ms` belongs to the measured window. */
  inWindow(ms: number): boolean {
    return ms >= this.timeline.measureStartMs && ms < this.timeline.measureEndMs;
  }

  stop(reason: string): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    for (const wake of this.stopWaiters.splice(0)) wake();
  }

  /** The run cannot go on: tell the main thread at once, and stop. */
  failTarget(reason: string): void {
    if (this.targetFailure !== null) return;
    this.targetFailure = reason;
    const message: FailureMessage = { kind: 'target-failed', worker: this.task.worker, reason };
    this.task.port.postMessage(message);
    this.stop(`target failed: ${reason}`);
  }

  /** Resolves at `ms` on the shared clock, or as soon as the run is stopped. */
  sleepUntil(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms - monoMs()));
      const self = this;
      function done(): void {
        clearTimeout(timer);
        const at = self.stopWaiters.indexOf(done);
        if (at >= 0) self.stopWaiters.splice(at, 1);
        resolve();
      }
      this.stopWaiters.push(done);
    });
  }

  /** Starts progress ticks on whole seconds of the measured window, and the health monitor inside it. */
  start(): void {
    const { measureStartMs, measureEndMs } = this.timeline;
    const now = monoMs();
    this.healthTimers.push(setTimeout(() => this.health.start(), Math.max(0, measureStartMs - now)));
    this.healthTimers.push(setTimeout(() => this.health.stop(), Math.max(0, measureEndMs - now)));
    // Tick k falls at measureStart + k s and closes second k: 1 is the first measured second, 0 and
    // below come before the window, past its last the grace [D-RESULT] (every phase is kept, each
    // marked). Counting ticks, not reading the clock, keeps a timer firing a hair early from
    // reporting one second twice.
    this.second = Math.ceil((now - measureStartMs) / 1000);
    const tick = (): void => {
      this.postProgress(this.second);
      this.second++;
      this.ticker = setTimeout(tick, Math.max(0, measureStartMs + this.second * 1000 - monoMs()));
    };
    this.ticker = setTimeout(tick, Math.max(0, measureStartMs + this.second * 1000 - now));
  }

  finish(): WorkerResult {
    if (this.ticker) clearTimeout(this.ticker);
    for (const t of this.healthTimers) clearTimeout(t);
    this.health.stop();
    // What happened since the last tick closes the second in progress early.
    this.postProgress(this.second);
    const snapshot = this.recorder.snapshot();
    const result: WorkerResult = {
      worker: this.task.worker,
      snapshot,
      health: this.health.report(this.task.worker, lateSends(snapshot.ops, this.task.lateStartMs)),
      status: { ...this.status },
      targetFailure: this.targetFailure,
      stoppedEarly: this.stopReason,
    };
    this.recorder.destroy();
    return result;
  }

  private postProgress(second: number): void {
    const message: ProgressMessage = {
      kind: 'progress', worker: this.task.worker, status: { ...this.status }, second, ops: this.recorder.takeInterval(),
    };
    this.task.port.postMessage(message);
  }
}

// What one generator process and the parent of several do alike with the messages of their parts:
// count who is ready, keep each worker's latest status, count errors, collect the per-second time
// series, and show progress on the run's timeline once it has one. The parts differ (worker threads
// over MessagePorts, child processes over IPC); what is done with their messages does not.
import { monoMs } from '../../util/clock.js';
import { intervalErrors } from '../metrics/recorder.js';
import type { ProgressMessage, Timeline, WorkerStatus } from '../worker/task.js';
import type { SecondSample } from './result.js';
import { TimeSeriesCollector, type PhaseLengths } from './time-series.js';

export interface LiveView {
  elapsedMs: number;
  phase: 'starting' | 'ramp-up' | 'warm-up' | 'measuring' | 'grace';
  status: WorkerStatus;
  /** The latest second every worker has reported, of any phase, if any. */
  lastSecond: SecondSample | null;
  errors: number;
}

/** How often the view is shown between messages (a quiet second still moves the clock on screen). */
const REFRESH_MS = 250;

export class RunProgress {
  /** Resolves once every part said it is ready. */
  readonly allReady: Promise<void>;
  private onAllReady: () => void = () => undefined;
  private ready = 0;
  private readonly statuses = new Map<number, WorkerStatus>();
  /** Null when nobody reads the seconds: no series kept, no view shown (a quiet parent of processes). */
  private readonly collector: TimeSeriesCollector | null;
  private lastSecond: SecondSample | null = null;
  private errors = 0;
  private timeline: Timeline | null = null;
  private refresh: NodeJS.Timeout | undefined;

  /**
   * `parts` say ready (workers of one process, or child processes); `workers` report progress (all
   * the run's worker threads, numbered across processes).
   */
  constructor(
    private readonly parts: number,
    workers: number,
    lengths: PhaseLengths,
    private readonly show?: (view: LiveView) => void,
    options: { keepSeries: boolean } = { keepSeries: true },
  ) {
    // Combining a second's reports decodes and re-encodes its histograms: worth it only when the
    // series is kept or a view shown (the scale benchmark's quiet parent did it for 360 s of nothing).
    this.collector = options.keepSeries || show ? new TimeSeriesCollector(workers, lengths) : null;
    this.allReady = new Promise<void>((resolve) => { this.onAllReady = resolve; });
  }

  partReady(): void {
    if (++this.ready === this.parts) this.onAllReady();
  }

  progress(message: ProgressMessage): void {
    this.statuses.set(message.worker, message.status);
    this.errors += intervalErrors(message.ops);
    this.lastSecond = this.collector?.add(message) ?? this.lastSecond;
    this.update();
  }

  /** The run has its timeline: progress is shown from now on, until stop(). */
  started(timeline: Timeline): void {
    this.timeline = timeline;
    this.refresh = setInterval(() => this.update(), REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.refresh);
  }

  /** Every second of every phase, those some worker never reported included (a run stopped early). */
  series(): SecondSample[] {
    return this.collector?.series() ?? [];
  }

  private update(): void {
    if (this.timeline) this.show?.(liveView(this.timeline, [...this.statuses.values()], this.lastSecond, this.errors));
  }
}

export function liveView(timeline: Timeline, statuses: readonly WorkerStatus[], lastSecond: SecondSample | null, errors: number): LiveView {
  const now = monoMs();
  const phase: LiveView['phase'] = now < timeline.startMs ? 'starting'
    : now < timeline.startMs + timeline.rampUpMs ? 'ramp-up'
      : now < timeline.measureStartMs ? 'warm-up'
        : now < timeline.measureEndMs ? 'measuring' : 'grace';
  const status = statuses.reduce((a, s) => ({
    connected: a.connected + s.connected, loggedIn: a.loggedIn + s.loggedIn, connectFailures: a.connectFailures + s.connectFailures,
  }), { connected: 0, loggedIn: 0, connectFailures: 0 });
  return { elapsedMs: Math.max(0, now - timeline.startMs), phase, status, lastSecond, errors };
}

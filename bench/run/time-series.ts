// Collects the workers' per-second intervals into the run's time series. A second is complete once
// every worker has reported it; the latest complete second feeds the progress display.
import { combineIntervalOps } from './combine.js';
import type { SecondSample } from './result.js';
import type { ProgressMessage } from '../worker/task.js';
import type { IntervalOp } from '../metrics/recorder.js';

export class TimeSeriesCollector {
  private readonly pending = new Map<number, Record<string, IntervalOp>[]>();
  private readonly reported = new Map<number, Set<number>>();
  private readonly complete: SecondSample[] = [];

  constructor(private readonly workers: number) {}

  /** Returns the second this message completed, if any. */
  add(message: ProgressMessage): SecondSample | null {
    if (message.second < 1) return null;
    let parts = this.pending.get(message.second);
    if (!parts) this.pending.set(message.second, (parts = []));
    parts.push(message.ops);
    let workers = this.reported.get(message.second);
    if (!workers) this.reported.set(message.second, (workers = new Set()));
    workers.add(message.worker);
    if (workers.size < this.workers) return null;
    this.pending.delete(message.second);
    this.reported.delete(message.second);
    const sample = { second: message.second, ops: combineIntervalOps(parts) };
    this.complete.push(sample);
    return sample;
  }

  /** Every second, including those some worker never reported (a run stopped early). */
  series(): SecondSample[] {
    for (const [second, parts] of this.pending) this.complete.push({ second, ops: combineIntervalOps(parts) });
    this.pending.clear();
    return this.complete.sort((a, b) => a.second - b.second);
  }
}

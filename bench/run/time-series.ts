// Collects the workers' per-second intervals into the run's time series. A second is complete once
// every worker has reported it; the latest complete second feeds the progress display.
import { combineIntervalOps } from './combine.js';
import type { SecondSample } from './result.js';
import type { ProgressMessage } from '../worker/task.js';
import type { IntervalOp } from '../metrics/recorder.js';

export class TimeSeriesCollector {
  /** Seconds not yet complete: each worker's report so far, by worker. */
  private readonly pending = new Map<number, Map<number, Record<string, IntervalOp>[]>>();
  private readonly complete: SecondSample[] = [];

  constructor(private readonly workers: number) {}

  /** Returns the second this message completed, if any. */
  add(message: ProgressMessage): SecondSample | null {
    if (message.second < 1) return null;
    let parts = this.pending.get(message.second);
    if (!parts) this.pending.set(message.second, (parts = new Map()));
    // A worker reports each second once; were it to repeat one, both reports count.
    const mine = parts.get(message.worker);
    if (mine) mine.push(message.ops);
    else parts.set(message.worker, [message.ops]);
    if (parts.size < this.workers) return null;
    this.pending.delete(message.second);
    const sample = { second: message.second, ops: combineIntervalOps([...parts.values()].flat()) };
    this.complete.push(sample);
    return sample;
  }

  /** Every second, including those some worker never reported (a run stopped early). */
  series(): SecondSample[] {
    for (const [second, parts] of this.pending) this.complete.push({ second, ops: combineIntervalOps([...parts.values()].flat()) });
    this.pending.clear();
    return this.complete.sort((a, b) => a.second - b.second);
  }
}

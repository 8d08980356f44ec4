// Collects the workers' per-second intervals into the run's time series: every second of every phase
// (ramp-up, warm-up, measured, grace), each marked with its phase [D-RESULT]. A second is complete
// once every worker has reported it; the latest complete second feeds the progress display. The
// series only labels what the recorders counted: the totals are the recorders', never summed from it.
import { combineIntervalOps } from './combine.js';
import type { IntervalOp, Phase, SecondSample } from '../../reports/schema/load-result.js';
import type { ProgressMessage } from '../worker/task.js';

/** The lengths that place a second in its phase (a run's config has them). */
export interface PhaseLengths {
  rampUpMs: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * The phase of second `second`, numbered as ProgressMessage.second is: 1 to the last measured second
 * are measured, past it the grace window (and logout); before the window, a second that ends inside
 * the warm-up is the warm-up's, one that ends earlier the ramp-up's.
 */
export function phaseOf(second: number, lengths: PhaseLengths): Phase {
  if (second >= 1) return second <= Math.ceil(lengths.durationMs / 1000) ? 'measured' : 'grace';
  return second * 1000 > -lengths.warmupMs ? 'warmup' : 'ramp-up';
}

/**
 * The first second that ends after the run's start. The first tick can close a second that ended at
 * the start (the workers wait for it): whatever it caught happened at the start, in this second.
 */
export function firstSecond(lengths: PhaseLengths): number {
  return Math.floor(-(lengths.rampUpMs + lengths.warmupMs) / 1000) + 1;
}

interface Second {
  /** The reports so far; once complete, their sum first, then any that came later. */
  reports: Record<string, IntervalOp>[];
  /** The workers that reported this very second (not an earlier one folded into it). */
  workers: Set<number>;
  complete: boolean;
}

export class TimeSeriesCollector {
  private readonly seconds = new Map<number, Second>();
  private readonly first: number;

  constructor(private readonly workers: number, private readonly lengths: PhaseLengths) {
    this.first = firstSecond(lengths);
  }

  /** Returns the second this message completed, if any. */
  add(message: ProgressMessage): SecondSample | null {
    const reported = message.second || 0;   // -0, from the first tick's Math.ceil, is second 0
    const second = Math.max(reported, this.first);
    let entry = this.seconds.get(second);
    if (!entry) this.seconds.set(second, (entry = { reports: [], workers: new Set(), complete: false }));
    // A worker reports each second once; were it to repeat one, both reports count.
    entry.reports.push(message.ops);
    if (reported === second) entry.workers.add(message.worker);
    if (entry.complete || entry.workers.size < this.workers) return null;
    entry.complete = true;
    const sample = this.sample(second, entry);
    // Kept summed: a long run holds one record per second, not one per worker and second.
    entry.reports = [sample.ops];
    return sample;
  }

  /** Every second, sorted, including those some worker never reported (a run stopped early). */
  series(): SecondSample[] {
    return [...this.seconds].sort((a, b) => a[0] - b[0]).map(([second, entry]) => this.sample(second, entry));
  }

  private sample(second: number, entry: Second): SecondSample {
    return { second, phase: phaseOf(second, this.lengths), ops: combineIntervalOps(entry.reports) };
  }
}

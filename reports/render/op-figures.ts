// Each operation's figures as every renderer shows them: counts, rate, and the corrected and
// uncorrected latency summaries (null where nothing was timed), and the generator's send lag. An operation that is only sent (a
// status change, with no reply of its own, or a request the target is said not to answer) is marked,
// so no report shows its zero successes as failures.
import { decodeHistogram, summarize, type LatencySummary } from '../schema/histogram.js';
import type { EncodedOp, LoadResult } from '../schema/load-result.js';

export interface OpFigures {
  op: string;
  record: EncodedOp;
  sentOnly: boolean;
  /** Completions per second over the measured window (or the operation's own span), when known. */
  rate: number | null;
  corrected: LatencySummary | null;
  uncorrected: LatencySummary | null;
  /** The generator's send lag; null where nothing was sent, or the result predates it (schema version 3). */
  lag: LatencySummary | null;
}

function summary(encoded: string): LatencySummary | null {
  const h = decodeHistogram(encoded);
  const s = summarize(h);
  h.destroy();
  return s.count > 0 ? s : null;
}

/**
 * The generator's late sends in words. A closed model sends each request when the last reply frees
 * its slot, so lateness means nothing there [D-OVERLOAD]: said so, rather than "0 of N".
 */
export const isClosedModel = (result: LoadResult): boolean => result.config.scenario === 'ping' && result.config.inflight !== null;

export function lateSendsText(result: LoadResult, format: (n: number) => string): string {
  if (isClosedModel(result)) return 'late sends: none can be (closed model)';
  const g = result.generator;
  return `late sends ${format(g.lateStarts)} of ${format(g.actionsScheduled)}`;
}

export function opFigures(result: LoadResult): OpFigures[] {
  return Object.entries(result.ops).map(([op, record]) => ({
    op, record,
    sentOnly: op === 'status' || (result.config.unanswered as readonly string[]).includes(op),
    rate: result.metrics[`${op}.rate`] ?? null,
    corrected: summary(record.corrected),
    uncorrected: summary(record.uncorrected),
    lag: record.lag === undefined ? null : summary(record.lag),
  }));
}

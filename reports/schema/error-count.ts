// The `errors` metric [D-VERDICT], from what a run measured: failed, timed-out and unanswered
// requests of every operation, lost and corrupted deliveries, frames under an unexpected id, bad
// lines, and connections the target closed or reset while the run still used them. `attempts`: the
// requests and deliveries that could have failed, and those unasked-for events. Here, beside the
// metric names, so the generator that computes it and the reports that show it count alike.
import type { Measurements } from './load-result.js';

export type ErrorInputs = Pick<Measurements, 'ops' | 'delivery' | 'disconnects' | 'unexpectedFrames' | 'badLines'>;

const total = (tally: Readonly<Record<string, number>>): number => Object.values(tally).reduce((n, v) => n + v, 0);

export function errorCount(m: ErrorInputs): { errors: number; attempts: number } {
  // What the server did unasked (closing, frames and lines nobody awaited) is an error and an event of
  // its own, so the ratio stays a share: at most 1.
  const unasked = total(m.disconnects) + total(m.unexpectedFrames) + total(m.badLines);
  let errors = unasked;
  let attempts = unasked;
  for (const op of Object.values(m.ops)) {
    errors += op.failed + op.timeouts + op.unanswered;
    attempts += op.sent;
  }
  for (const d of Object.values(m.delivery)) errors += d.lost + d.corrupted;
  return { errors, attempts };
}

// A worker that never returns its part would leave a run waiting forever: one did, when a lost
// wake-up (since fixed, bench/engine/precise-wake.ts) left its schedule asleep, and a single Ctrl-C
// could not end the run. Every part of a run has a time by which it must have ended (the grace end,
// or the stop); past that and a margin, the parts still out are a bug of talkbench, said so (exit 70,
// cli/main.ts) instead of a run that never ends.
import { monoMs } from '../../util/clock.js';

export class PartsOverdueError extends Error {}

/**
 * All the parts' values, in order; or a PartsOverdueError naming the parts still out once the clock
 * (util/clock.ts) passes `deadlineMs()`, which may move (a stop sets it).
 */
export function allWithin<T>(parts: readonly Promise<T>[], deadlineMs: () => number, what: string, pollMs = 1000): Promise<T[]> {
  const returned = parts.map(() => false);
  parts.forEach((p, i) => { void p.then(() => { returned[i] = true; }, () => { returned[i] = true; }); });
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<never>((_, reject) => {
    const check = (): void => {
      if (monoMs() <= deadlineMs()) { timer = setTimeout(check, pollMs); return; }
      const out = returned.flatMap((r, i) => (r ? [] : [i]));
      reject(new PartsOverdueError(`${what} ${out.join(', ')} did not return by ${Math.round(monoMs() - deadlineMs())} ms past the time by which it had to have ended: this is a bug of talkbench`));
    };
    timer = setTimeout(check, pollMs);
  });
  return Promise.race([Promise.all(parts), overdue]).finally(() => clearTimeout(timer));
}

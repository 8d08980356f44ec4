// Live progress: on a terminal one line redrawn in place; otherwise a plain line every few seconds
// (CI logs). Fed by run-load's LiveView a few times a second.
import { decodeHistogram, summarize } from '../../reports/schema/histogram.js';
import type { LiveView } from './run-progress.js';

const PLAIN_EVERY_MS = 5000;

export class ProgressDisplay {
  private lastPlainAt = -Infinity;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream, private readonly tty = Boolean(out.isTTY)) {}

  update(view: LiveView): void {
    if (!this.tty && view.elapsedMs - this.lastPlainAt < PLAIN_EVERY_MS) return;
    const line = this.describe(view);
    if (this.tty) {
      this.out.write(`\r\x1b[K${line}`);
      this.drawn = true;
    } else {
      this.lastPlainAt = view.elapsedMs;
      this.out.write(`${line}\n`);
    }
  }

  /** Leaves the terminal on a fresh line before the summary. */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }

  private describe(view: LiveView): string {
    let rate = 0;
    let p50 = '-';
    let p99 = '-';
    const ops = view.lastSecond ? Object.values(view.lastSecond.ops) : [];
    for (const op of ops) rate += op.ok;
    // The busiest operation of the last second stands for the run's latency in one line.
    const busiest = ops.reduce<(typeof ops)[number] | null>((a, b) => (a === null || b.ok > a.ok ? b : a), null);
    if (busiest && busiest.ok > 0) {
      const h = decodeHistogram(busiest.histogram);
      const s = summarize(h);
      h.destroy();
      p50 = `${s.p50.toFixed(2)}ms`;
      p99 = `${s.p99.toFixed(2)}ms`;
    }
    const s = view.status;
    return `${(view.elapsedMs / 1000).toFixed(0).padStart(4)}s ${view.phase.padEnd(9)} connected ${s.connected} logged-in ${s.loggedIn}` +
      ` | ${rate.toLocaleString('en-US')} ok/s p50 ${p50} p99 ${p99} | errors ${view.errors}${s.connectFailures > 0 ? ` (connect failures ${s.connectFailures})` : ''}`;
  }
}

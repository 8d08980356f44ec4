// The generator's own health over the measured window: event-loop delay and utilization of this
// thread; how many sends left late is read from the recorder's lag histograms (late-sends.ts). A busy
// generator delays its own sends and reads, and then measures itself, not the server [D-EXIT 5].
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';

export class HealthMonitor {
  private delay: IntervalHistogram | null = null;
  private elu: EventLoopUtilization | null = null;
  private utilization = 0;
  private stopped = false;

  start(): void {
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
    this.elu = performance.eventLoopUtilization();
  }

  /**
   * At the end of the measured window; again (from finish()) only for a run stopped before it. The
   * first call decides: a second one would stretch utilization over the grace window and logout.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.delay?.disable();
    if (this.elu) this.utilization = performance.eventLoopUtilization(this.elu).utilization;
  }

  /** `sends`: the measured window's scheduled sends and the late ones among them. */
  report(worker: number, sends: { scheduled: number; late: number }) {
    const d = this.delay;
    // The histogram is in nanoseconds and counts the timer's own resolution (10 ms) as delay: remove it.
    const ms = (ns: number) => (d && d.count > 0 ? Math.max(0, Math.round((ns / 1e6 - 10) * 1000) / 1000) : 0);
    return {
      worker,
      eventLoopDelay: { p50: ms(d?.percentile(50) ?? 0), p99: ms(d?.percentile(99) ?? 0), max: ms(d?.max ?? 0) },
      utilization: Math.round(this.utilization * 1000) / 1000,
      actionsScheduled: sends.scheduled,
      lateStarts: sends.late,
    };
  }
}

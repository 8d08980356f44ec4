// The generator's health over the measured window only: a second stop (finish() after the window's
// own) must not stretch the utilization over the grace window and logout.
import { describe, expect, test } from 'vitest';
import { HealthMonitor } from '../../engine/health.js';

const busy = (ms: number): void => { const end = performance.now() + ms; while (performance.now() < end) { /* spin: this thread's own load */ } };
const idle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('HealthMonitor', () => {
  test('the first stop decides the utilization; a later stop changes nothing', async () => {
    const health = new HealthMonitor();
    health.start();
    busy(150);
    health.stop();
    const atWindowEnd = health.report(0, { scheduled: 0, late: 0 }).utilization;
    // A long idle spell after the window would pull utilization down if it were counted.
    await idle(300);
    health.stop();
    expect(health.report(0, { scheduled: 0, late: 0 }).utilization).toBe(atWindowEnd);
    expect(atWindowEnd).toBeGreaterThan(0.5);
  });
});

// What the figures were measured on. The machine is shared and noisy, so the load average is taken
// at the start and at the end: figures from a run whose load rose are not comparable to a quiet one.
import os from 'node:os';

export type LoadAverage = [oneMinute: number, fiveMinutes: number, fifteenMinutes: number];

export interface Environment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  /** CPUs this process may use (os.availableParallelism). */
  cpus: number;
  totalMemoryBytes: number;
  startedAt: string;
  loadavg: { start: LoadAverage; end: LoadAverage | null };
}

export function loadAverage(): LoadAverage {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return [one, five, fifteen];
}

export function captureEnvironment(): Environment {
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    startedAt: new Date().toISOString(),
    loadavg: { start: loadAverage(), end: null },
  };
}

export function formatLoad(load: LoadAverage): string {
  return `${load.map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`;
}

export function describeEnvironment(env: Environment): string[] {
  return [
    `node ${env.node} (V8 ${env.v8}), ${env.platform} ${env.arch}`,
    `CPU ${env.cpuModel}, ${env.cpus} available; ${(env.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB memory`,
    `load average ${formatLoad(env.loadavg.start)} at start`,
  ];
}

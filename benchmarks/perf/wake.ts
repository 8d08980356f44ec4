// How precisely the open model can wake for a due time, and at what CPU: a schedule of evenly spaced
// due times pumped for 3 s by (a) setTimeout, as the generator did before (libuv's millisecond timers,
// a millisecond early at most), and (b) the generator's PreciseWake (bench/engine/precise-wake.ts: a
// thread in Atomics.wait, on a 1 µs timer slack, posting a learnt lead early), (c) the same on the
// kernel's default slack (50 µs), (d) without the lead, and (e) not told the next due time (the thread
// asked for each). Each due time's lag is how late the pump saw it. Printed as medians of the
// rounds, alternating a to e.
import { PreciseWake } from '../../bench/engine/precise-wake.js';
import { monoMs } from '../../util/clock.js';
import { median } from './processes.js';

export interface WakeFigures { method: string; rate: number; lagP50Ms: number[]; lagP99Ms: number[]; cpuShare: number[] }

const DURATION_MS = 3000;

async function pumpFor(rate: number, sleepUntil: (atMs: number, thenMs: number) => Promise<void>): Promise<{ p50: number; p99: number; cpu: number }> {
  const spacing = 1000 / rate;
  const lags: number[] = [];
  const start = monoMs() + 20;
  const end = start + DURATION_MS;
  let due = start;
  const cpu0 = process.cpuUsage();
  while (due < end) {
    const now = monoMs();
    while (due <= now && due < end) { lags.push(now - due); due += spacing; }
    if (due < end) await sleepUntil(due, due + spacing);
  }
  const cpu = process.cpuUsage(cpu0);
  lags.sort((a, b) => a - b);
  return { p50: lags[Math.floor(lags.length / 2)]!, p99: lags[Math.floor(lags.length * 0.99)]!, cpu: (cpu.user + cpu.system) / 1000 / DURATION_MS };
}

const timer = (atMs: number): Promise<void> => new Promise((r) => { const wait = atMs - monoMs(); setTimeout(r, wait > 2 ? wait - 1 : 1); });

/** One way of waking: a fresh sleeper per run (null: setTimeout), and whether it is told the next due time. */
interface Method { name: string; options: ConstructorParameters<typeof PreciseWake>[0] | null; tellsNext: boolean }

const METHODS: readonly Method[] = [
  { name: 'setTimeout', options: null, tellsNext: false },
  { name: 'PreciseWake', options: {}, tellsNext: true },
  { name: 'PreciseWake, kernel slack', options: { slackNs: null }, tellsNext: true },
  { name: 'PreciseWake, no lead', options: { lead: false }, tellsNext: true },
  { name: 'PreciseWake, asked each time', options: {}, tellsNext: false },
];

export async function runWake(rounds: number, log: (line: string) => void): Promise<{ figures: WakeFigures[]; markdown: string }> {
  const figures: WakeFigures[] = [];
  for (const rate of [2_000, 10_000, 25_000]) {
    const byMethod = METHODS.map((m): WakeFigures => ({ method: m.name, rate, lagP50Ms: [], lagP99Ms: [], cpuShare: [] }));
    for (let i = 0; i < rounds; i++) {
      for (const [j, m] of METHODS.entries()) {
        const f = byMethod[j]!;
        const wake = m.options ? new PreciseWake(m.options) : null;
        const r = await pumpFor(rate, wake ? (at, then) => wake.sleepUntil(at, m.tellsNext ? then : Infinity) : timer);
        wake?.close();
        f.lagP50Ms.push(r.p50); f.lagP99Ms.push(r.p99); f.cpuShare.push(r.cpu);
        log(`${f.method} ${rate}/s round ${i + 1}: lag p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, CPU ${(r.cpu * 100).toFixed(1)}% of a core`);
      }
    }
    figures.push(...byMethod);
  }
  const rows = figures.map((f) => `| ${f.method} | ${f.rate.toLocaleString('en-US')}/s | ${median(f.lagP50Ms).toFixed(3)} | ${median(f.lagP99Ms).toFixed(3)} | ${(median(f.cpuShare) * 100).toFixed(1)}% |`);
  const markdown = ['| wake-up | due times | lag p50 ms | lag p99 ms | CPU (of a core) |', '|---|---|---|---|---|', ...rows].join('\n');
  return { figures, markdown };
}

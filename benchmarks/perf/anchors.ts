// The physical-limit comparisons, side by side in one run (the machine is shared and noisy, so only
// ratios of the same run mean much): talkbench's generator against the C client, both against the C
// responder, in the rows of issue 14's table (open model at 10,000/s and 50,000/s: corrected p50 and
// p99; closed 100 x 1 and 100 x 16: round trips/s); and the reference server against the C
// responder, both driven by the C client. Each pair alternates C, talkbench, C, talkbench... and
// medians are compared [D-TARGETS].
import { cpus, loadavg } from 'node:os';
import { cClient, median, startUntil, stop, talkbenchLoad, talkbenchServe, ANCHOR } from './processes.js';

export interface AnchorFigures {
  name: string;
  unit: string;
  anchor: number[];
  talkbench: number[];
  /** talkbench median / anchor median. */
  ratio: number;
  target: string;
  /** What else the talkbench runs measured, per run (the open model's send lag). */
  notes?: string[];
}

/** 5 s per run, as issue 14's table was measured. */
const SECONDS = 5;

function pingArgs(port: number, model: string[]): string[] {
  return ['--scenario', 'ping', '--target', `127.0.0.1:${port}`, '--users', '100', '--workers', '2', '--duration', `${SECONDS}s`, ...model];
}

const figure = (name: string, unit: string, target: string): AnchorFigures => ({ name, unit, anchor: [], talkbench: [], ratio: 0, target, notes: [] });

export async function runAnchors(rounds: number, log: (line: string) => void): Promise<{ figures: AnchorFigures[]; environment: Record<string, unknown> }> {
  const environment = { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadStart: loadavg(), node: process.version };
  const responder = await startUntil('bash', [ANCHOR, 'responder', '-p', '0'], (out) => /^listening [^:]+:(\d+)$/m.exec(out));
  const port = Number(responder.match[1]);
  const figures: AnchorFigures[] = [];
  try {
    for (const rate of [10_000, 50_000]) {
      const label = `${rate.toLocaleString('en-US')}/s`;
      const p50 = figure(`ping open ${label}: corrected p50 (ms)`, 'ms', '<= 2');
      const p99 = figure(`ping open ${label}: corrected p99 (ms)`, 'ms', '<= 2');
      for (let i = 0; i < rounds; i++) {
        const c = await cClient(port, ['-c', '100', '-R', String(rate), '-s', '0', '-d', String(SECONDS)]);
        p50.anchor.push(c.p50_us! / 1000);
        p99.anchor.push(c.p99_us! / 1000);
        const t = await talkbenchLoad(pingArgs(port, ['--rate', String(rate)]));
        p50.talkbench.push(t.metrics['heartbeat.p50']!);
        p99.talkbench.push(t.metrics['heartbeat.p99']!);
        const lag = `send lag p50 ${t.metrics['heartbeat.lag.p50']} ms, p99 ${t.metrics['heartbeat.lag.p99']} ms; generator CPU ${((t.generator.cpu.userMs + t.generator.cpu.systemMs) / 1000).toFixed(2)} s (${t.status})`;
        p50.notes!.push(lag);
        log(`open ${label} round ${i + 1}: C p50 ${(c.p50_us! / 1000).toFixed(3)} p99 ${(c.p99_us! / 1000).toFixed(3)} ms; talkbench p50 ${t.metrics['heartbeat.p50']} p99 ${t.metrics['heartbeat.p99']} ms; ${lag}`);
      }
      figures.push(p50, p99);
    }
    for (const inflight of [1, 16]) {
      const closed = figure(`ping closed 100x${inflight} (round trips/s)`, 'rt/s', inflight === 1 ? '>= 0.9' : '>= 0.5');
      for (let i = 0; i < rounds; i++) {
        const c = await cClient(port, ['-c', '100', '-k', String(inflight), '-s', '0', '-d', String(SECONDS)]);
        closed.anchor.push(c.round_trips_per_s!);
        const t = await talkbenchLoad(pingArgs(port, ['--inflight', String(inflight)]));
        closed.talkbench.push(t.ops.heartbeat!.ok / (t.measuredMs / 1000));
        closed.notes!.push(`generator CPU ${((t.generator.cpu.userMs + t.generator.cpu.systemMs) / 1000).toFixed(2)} s (${t.status})`);
        log(`closed 100x${inflight} round ${i + 1}: C ${c.round_trips_per_s} rt/s, talkbench ${Math.round(closed.talkbench.at(-1)!)} rt/s`);
      }
      figures.push(closed);
    }
    for (const f of figures) f.ratio = median(f.talkbench) / median(f.anchor);
  } finally {
    await stop(responder.child);
  }

  // The reference server against the raw responder, both under the C client's empty heartbeats.
  const server = await talkbenchServe(['--memory', '--im-port', '0', '--chat-port', '0', '--http-port', '0', '--scrypt-cost', '1024', '--log-level', 'warn']);
  const responder2 = await startUntil('bash', [ANCHOR, 'responder', '-p', '0'], (out) => /^listening [^:]+:(\d+)$/m.exec(out));
  try {
    const serverFig = { name: 'reference server heartbeat, C client 100x1 (round trips/s)', unit: 'rt/s', anchor: [] as number[], talkbench: [] as number[], ratio: 0, target: 'ratio reported' };
    for (let i = 0; i < rounds; i++) {
      const raw = await cClient(Number(responder2.match[1]), ['-c', '100', '-k', '1', '-s', '0', '-d', String(SECONDS)]);
      serverFig.anchor.push(raw.round_trips_per_s!);
      const ours = await cClient(server.port, ['-c', '100', '-k', '1', '-s', '0', '-d', String(SECONDS)]);
      serverFig.talkbench.push(ours.round_trips_per_s!);
      log(`server round ${i + 1}: C responder ${raw.round_trips_per_s} rt/s, reference server ${ours.round_trips_per_s} rt/s`);
    }
    serverFig.ratio = median(serverFig.talkbench) / median(serverFig.anchor);
    figures.push(serverFig);
  } finally {
    await stop(responder2.child);
    await stop(server.child);
  }
  return { figures, environment: { ...environment, loadEnd: loadavg() } };
}

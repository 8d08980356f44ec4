// The physical-limit comparisons of issue 7, side by side in one run (the machine is shared and
// noisy, so only ratios of the same run mean much): talkbench's generator against the C client, both
// against the C responder, closed (100 x 1) and open (50,000/s); and the reference server against the
// C responder, both driven by the C client. Runs alternate A, B, A, B, A, B and medians are compared.
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
}

const SECONDS = 10;

function pingArgs(port: number, model: string[]): string[] {
  return ['--scenario', 'ping', '--target', `127.0.0.1:${port}`, '--users', '100', '--workers', '2', '--duration', `${SECONDS}s`, ...model];
}

export async function runAnchors(rounds: number, log: (line: string) => void): Promise<{ figures: AnchorFigures[]; environment: Record<string, unknown> }> {
  const environment = { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadStart: loadavg(), node: process.version };
  const responder = await startUntil('bash', [ANCHOR, 'responder', '-p', '0'], (out) => /^listening [^:]+:(\d+)$/m.exec(out));
  const port = Number(responder.match[1]);
  const figures: AnchorFigures[] = [];
  try {
    const closed = { name: 'ping closed 100x1 (round trips/s)', unit: 'rt/s', anchor: [] as number[], talkbench: [] as number[], ratio: 0, target: '>= 0.7' };
    const open = { name: 'ping open 50,000/s: corrected p99 (ms)', unit: 'ms', anchor: [] as number[], talkbench: [] as number[], ratio: 0, target: '<= 2' };
    for (let i = 0; i < rounds; i++) {
      const c = await cClient(port, ['-c', '100', '-k', '1', '-s', '0', '-d', String(SECONDS)]);
      closed.anchor.push(c.round_trips_per_s!);
      const t = await talkbenchLoad(pingArgs(port, ['--inflight', '1']));
      closed.talkbench.push(t.ops.heartbeat!.ok / (t.measuredMs / 1000));
      log(`closed round ${i + 1}: C ${c.round_trips_per_s} rt/s, talkbench ${Math.round(closed.talkbench.at(-1)!)} rt/s`);
    }
    for (let i = 0; i < rounds; i++) {
      const c = await cClient(port, ['-c', '100', '-R', '50000', '-s', '0', '-d', String(SECONDS)]);
      open.anchor.push(c.p99_us! / 1000);
      const t = await talkbenchLoad(pingArgs(port, ['--rate', '50000']));
      open.talkbench.push(t.metrics['heartbeat.p99']!);
      log(`open round ${i + 1}: C p99 ${(c.p99_us! / 1000).toFixed(2)} ms, talkbench p99 ${t.metrics['heartbeat.p99']} ms (${t.status})`);
    }
    for (const f of [closed, open]) f.ratio = median(f.talkbench) / median(f.anchor);
    figures.push(closed, open);
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

// The conformance benchmark: the whole suite, both protocols, against the reference server started as
// the tests start it (--memory, --scrypt-cost 1024), three rounds. Records the time of each check
// (median of the rounds) and of each whole run, against the bound of 60 s for both protocols
// with the default --runs. Only the suite's own figures: the server is the same in every round.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findListening } from '../../cli/listening-line.js';
import { conformanceResultSchema, type ConformanceResult } from '../../reports/schema/conformance-result.js';
import { TALKBENCH_BIN, runTalkbench } from '../../test-support/talkbench-cli.js';
import { median, startUntil, stop } from './processes.js';

export async function runConformBenchmark(log: (line: string) => void, rounds: number): Promise<{ figures: unknown; markdown: string }> {
  const server = await startUntil(process.execPath, [TALKBENCH_BIN, 'serve', '--memory', '--im-port', '0', '--chat-port', '0', '--http-port', '0', '--scrypt-cost', '1024', '--log-level', 'error'], (out) => {
    const lines = out.split('\n').slice(0, -1);
    const im = findListening(lines, 'im');
    const chat = findListening(lines, 'chat');
    return im && chat ? { im: im.port, chat: chat.port } : null;
  });
  const dir = await mkdtemp(join(tmpdir(), 'tb-bench-conform-'));
  const wall: Record<'im' | 'chat', number[]> = { im: [], chat: [] };
  const perCheck = new Map<string, number[]>();
  let connections = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const protocol of ['im', 'chat'] as const) {
        const json = join(dir, `${protocol}-${round}.json`);
        const start = performance.now();
        const run = await runTalkbench(['conform', '--target', `127.0.0.1:${server.match[protocol]}`, '--protocol', protocol, '--quiet', '--json', json]).done;
        const seconds = (performance.now() - start) / 1000;
        if (run.code !== 0) throw new Error(`conform ${protocol} exited ${run.code}:\n${run.stdout}${run.stderr}`);
        const result: ConformanceResult = conformanceResultSchema.parse(JSON.parse(await readFile(json, 'utf8')));
        wall[protocol].push(seconds);
        connections = Math.max(connections, result.connectionsOpened);
        for (const c of result.checks) perCheck.set(c.id, [...(perCheck.get(c.id) ?? []), c.durationMs]);
        log(`conform round ${round + 1} ${protocol}: ${seconds.toFixed(2)} s wall, ${result.checks.length} checks PASS, ${result.connectionsOpened} connections`);
      }
    }
  } finally {
    await stop(server.child);
    await rm(dir, { recursive: true, force: true });
  }
  const both = wall.im.map((s, i) => s + wall.chat[i]!);
  const checks = [...perCheck.entries()].map(([id, ms]) => ({ id, medianMs: median(ms), runsMs: ms })).sort((a, b) => b.medianMs - a.medianMs);
  const figures = { rounds, wallSeconds: wall, bothSecondsMedian: median(both), maxConnectionsPerRun: connections, checks };
  const markdown = [
    `# Conformance suite against the reference server (--memory, --scrypt-cost 1024), default --runs, ${rounds} rounds`, '',
    `- both protocols, wall time per round (CLI start to exit): ${both.map((s) => s.toFixed(2)).join(', ')} s; median ${median(both).toFixed(2)} s (bound: 60 s)`,
    `- IM: ${wall.im.map((s) => s.toFixed(2)).join(', ')} s; CHAT/1.0: ${wall.chat.map((s) => s.toFixed(2)).join(', ')} s; at most ${connections} connections per run`, '',
    '| check | median ms | rounds (ms) |', '|---|---|---|',
    ...checks.map((c) => `| \`${c.id}\` | ${c.medianMs} | ${c.runsMs.join(', ')} |`),
  ].join('\n');
  return { figures, markdown };
}

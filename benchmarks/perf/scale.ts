// The scale benchmark: 50,000 logged-in IM users heartbeating every 10 s and chatting at a low rate
// for 60 s, from several generator processes against three reference-server processes on --memory.
// Reports the generator's and the servers' memory and CPU per user. `--quick`: 5,000 users, 20 s.
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { stop, talkbenchLoadRun, talkbenchServe, type LoadRun } from './processes.js';

const TICKS_PER_SECOND = 100;   // USER_HZ on Linux

/** CPU seconds and peak resident memory of a process, from /proc. */
function usage(child: ChildProcess): { cpuSeconds: number; peakRssBytes: number } {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds, peakRssBytes: Number(hwm ?? 0) * 1024 };
}

export async function runScale(log: (line: string) => void, quick: boolean) {
  const users = quick ? 5000 : 50_000;
  const durationS = quick ? 20 : 60;
  // Registering and logging in costs two scrypt hashes (cost 1024, ~2 ms each) per user on the
  // servers, which share the machine's two cores with the generators: spread the arrivals so the
  // login storm stays under what the cores can hash.
  const rampUpS = quick ? 20 : 300;
  // Every user fetches the user list once: at the default cap (1,000 users, ~100 KB) that is 5 GB
  // through loopback for 50,000 users, which measures memcpy rather than the chat server. 100 keeps
  // the step without letting it dominate.
  const servers = await Promise.all([0, 1, 2].map(() => talkbenchServe(['--memory', '--im-port', '0', '--chat-port', '0', '--http-port', '0',
    '--scrypt-cost', '1024', '--max-user-list', '100', '--log-level', 'warn'])));
  const targets = servers.map((s) => `127.0.0.1:${s.port}`).join(',');
  log(`scale: ${users} users against ${targets}, ramp-up ${rampUpS}s, ${durationS}s measured`);
  try {
    const before = servers.map((s) => usage(s.child));
    // The warm-up lets the last logins of the ramp-up finish before the measured minute starts.
    const run = await talkbenchLoadRun(['--target', targets, '--users', String(users), '--ramp-up', `${rampUpS}s`, '--warmup', quick ? '5s' : '60s', '--duration', `${durationS}s`,
      '--heartbeat-interval', '10s', '--chat-rate', '0.01', '--status-rate', '0', '--timeout', '30s', '--seed', `scale-${users}`,
      '--target-scrypt-cost', '1024']);
    if (!run.ok) return failedRun(log, users, durationS, run);
    const result = run.result;
    const after = servers.map((s) => usage(s.child));
    const serverCpu = after.reduce((n, a, i) => n + a.cpuSeconds - before[i]!.cpuSeconds, 0);
    const serverRss = after.reduce((n, a) => n + a.peakRssBytes, 0);
    const g = result.generator;
    const generatorCpu = (g.cpu.userMs + g.cpu.systemMs) / 1000;
    const loggedIn = result.ops.login?.ok ?? 0;
    // [D-VERDICT]'s count: failed, timed out and unanswered requests, losses, unexpected frames, disconnects.
    const errors = result.metrics.errors ?? 0;
    const figures = {
      users, loggedIn, errors, status: result.status, exitCode: result.exitCode, reasons: result.reasons,
      processes: result.config.processes,
      heartbeat: { ok: result.ops.heartbeat?.ok ?? 0, p50: result.metrics['heartbeat.p50'], p99: result.metrics['heartbeat.p99'], max: result.metrics['heartbeat.max'] },
      chat: { ...result.delivery.chat, p99: result.metrics['chat.e2e.p99'] },
      generator: { cpuSeconds: generatorCpu, peakRssBytesPerProcess: g.peakRssBytes, cpuMsPerUser: (generatorCpu * 1000) / users, rssKiBPerUser: (g.peakRssBytes * result.config.processes) / 1024 / users },
      servers: { cpuSeconds: serverCpu, peakRssBytes: serverRss, cpuMsPerUser: (serverCpu * 1000) / users, rssKiBPerUser: serverRss / 1024 / users },
      disconnects: result.disconnects,
    };
    const markdown = [
      `# Scale: ${users} IM users, ${durationS} s measured, 3 reference servers (--memory), ${result.config.processes} generator processes`, '',
      `- logged in: ${loggedIn} of ${users}; errors [D-VERDICT]: ${errors}; status ${result.status} (exit ${result.exitCode})${result.reasons.length ? `: ${result.reasons.join('; ')}` : ''}`,
      `- heartbeats: ${figures.heartbeat.ok} ok, p50 ${figures.heartbeat.p50} ms, p99 ${figures.heartbeat.p99} ms, max ${figures.heartbeat.max} ms`,
      `- chat: delivered ${figures.chat.delivered ?? 0}, lost ${figures.chat.lost ?? 0}, e2e p99 ${figures.chat.p99} ms`,
      `- generator: ${generatorCpu.toFixed(1)} CPU-s in all (${figures.generator.cpuMsPerUser.toFixed(2)} ms per user), peak RSS ${(g.peakRssBytes / 2 ** 20).toFixed(0)} MiB per process (~${figures.generator.rssKiBPerUser.toFixed(1)} KiB per user)`,
      `- servers: ${serverCpu.toFixed(1)} CPU-s in all (${figures.servers.cpuMsPerUser.toFixed(2)} ms per user), peak RSS ${(serverRss / 2 ** 20).toFixed(0)} MiB together (~${figures.servers.rssKiBPerUser.toFixed(1)} KiB per user)`,
    ].join('\n');
    log(markdown);
    return { figures, markdown };
  } finally {
    await Promise.all(servers.map((s) => stop(s.child)));
  }
}

/**
 * A load run that left no result (a generator process lost its result, a crash): reported as a failed
 * benchmark with its exit code and the end of its stderr, not a crash of the benchmark.
 */
function failedRun(log: (line: string) => void, users: number, durationS: number, run: Extract<LoadRun, { ok: false }>) {
  const figures = { users, failed: true, exitCode: run.exitCode, signal: run.signal, failure: run.failure, stderrTail: run.stderrTail };
  const markdown = [
    `# Scale: ${users} IM users, ${durationS} s measured: FAILED`, '',
    `- ${run.failure}`,
    '- the last lines of its stderr:', '', '```', ...run.stderrTail, '```',
  ].join('\n');
  log(markdown);
  process.exitCode = 1;   // the report is still written; the benchmark did not measure anything
  return { figures, markdown };
}

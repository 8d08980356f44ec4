// `talkbench replay FILE --target host:port`: reruns the check a transcript file recorded, with its
// seed and, for a property, the fast-check path of its smallest failing example, so exactly that
// conversation is sent again (under a fresh nonce: names never collide with the first run's). Says
// whether the failure reproduces: exit 1 when it does, 0 when the check now passes [D-CONFORM].
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Endpoint } from '../../client/target.js';
import { conformanceTranscriptSchema, type ConformanceTranscript } from '../../reports/schema/conformance-result.js';
import { UsageError } from '../../util/errors.js';
import { EXIT } from '../../util/exit-codes.js';
import { CATALOGUE } from '../catalogue/catalogue.js';
import { formatCheck } from '../../reports/render/conformance-console.js';
import { liveness, preflight } from './preflight.js';
import { runChecks } from './run-checks.js';

export async function readTranscript(file: string): Promise<ConformanceTranscript> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, 'BAD_TRANSCRIPT');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file}: not JSON: give a transcript that talkbench conform saved`, 'BAD_TRANSCRIPT');
  }
  const parsed = conformanceTranscriptSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${file}: not a conformance transcript of this talkbench: ${issue.path.join('.') || '(file)'}: ${issue.message}`, 'BAD_TRANSCRIPT');
  }
  return parsed.data;
}

export interface ReplayIo {
  out(line: string): void;
}

export async function replay(file: string, target: Endpoint, io: ReplayIo, options: { timeoutMs?: number } = {}): Promise<number> {
  const recorded = await readTranscript(file);
  const check = CATALOGUE.find((c) => c.id === recorded.check);
  if (check === undefined) throw new UsageError(`${file}: check ${recorded.check} is not in this talkbench's catalogue (it was recorded by suite ${recorded.suiteVersion})`, 'BAD_TRANSCRIPT');
  const s = recorded.settings;
  const probeOptions = { protocol: recorded.protocol, layout: recorded.layout, timeoutMs: Math.max(options.timeoutMs ?? s.timeoutMs, 2000), maxBodyBytes: s.maxBodyBytes * 2 + 65536 };
  io.out(`replaying ${recorded.check} (${recorded.outcome} against ${recorded.target.host}:${recorded.target.port}, seed ${s.seed}${recorded.fastCheck ? `, fast-check path ${recorded.fastCheck.path}` : ''}) against ${target.host}:${target.port}`);
  const pre = await preflight(target, probeOptions);
  if (pre.problem !== null) {
    io.out(`preflight: ${pre.problem}`);
    return EXIT.unreachable;
  }
  const run = await runChecks([check], {
    profile: {
      host: target.host, port: target.port, protocol: recorded.protocol, layout: recorded.layout, maxBodyBytes: s.maxBodyBytes, maxLineBytes: s.maxLineBytes,
      timeoutMs: Math.max(options.timeoutMs ?? s.timeoutMs, pre.minimumWaitMs), httpBase: null, idleTimeoutMs: null, unanswered: s.unanswered,
    },
    settings: { seed: s.seed, runs: s.runs, nonce: randomBytes(3).toString('hex'), replayPath: recorded.fastCheck?.path ?? null },
    knownFailures: new Set(),
    unanswered: new Set(s.unanswered),
    liveness: () => liveness(target, probeOptions),
  });
  const result = run.results[0]!;
  for (const line of formatCheck(result, { rerun: `talkbench replay ${file} --target ${target.host}:${target.port}`, transcriptFile: null }, { gating: true })) io.out(line);
  if (run.stoppedAfter !== null) {
    io.out('the target stopped answering during the replay');
    return EXIT.targetFailed;
  }
  if (result.outcome === 'FAIL' || result.outcome === 'TIMEOUT') {
    io.out(`the failure reproduces (${result.outcome}; recorded: ${recorded.outcome}) (exit 1)`);
    return EXIT.checkFailed;
  }
  if (result.outcome === 'PASS') {
    io.out(`the failure no longer reproduces: ${recorded.check} passes (exit 0)`);
    return EXIT.ok;
  }
  io.out(`the replay reached no verdict (${result.outcome}: ${result.message ?? ''}) (exit 1)`);
  return EXIT.checkFailed;
}

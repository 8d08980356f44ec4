// `talkbench conform` from its resolved configuration to its exit code [D-CONFORM] [D-EXIT]: select
// the checks (an empty selection is exit 2), read the known failures, run the preflight (exit 3 when
// the target is unusable), run the checks printing each as it ends, save the transcript of every
// check that did not pass, write the JSON and JUnit reports, print the totals and the verdict.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  CONFORMANCE_SCHEMA_VERSION, conformanceResultSchema, conformanceTranscriptSchema, type ConformanceResult, type ConformanceTranscript,
} from '../../reports/schema/conformance-result.js';
import { OUTCOMES, type CheckDefinition, type Outcome } from '../catalogue/check.js';
import { CATALOGUE } from '../catalogue/catalogue.js';
import { formatCatalogue } from '../catalogue/list.js';
import { suiteVersion } from '../catalogue/suite-version.js';
import { formatCheck, formatTotals } from '../../reports/render/conformance-console.js';
import { formatJUnit } from '../../reports/render/conformance-junit.js';
import type { ConformConfig } from './conform-options.js';
import { readKnownFailures } from './known-failures.js';
import { liveness, preflight } from './preflight.js';
import { runChecks, type CheckResult } from './run-checks.js';
import { matches, selectChecks } from './select-checks.js';
import { failingChecks, suiteExitCode } from './suite-verdict.js';
import { EXIT } from '../../util/exit-codes.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES } from '../../proto/index.js';
import { DEFAULT_RUNS } from './conform-options.js';

export interface ConformIo {
  toolVersion: string;
  /** A line for the person at the terminal. */
  out(line: string): void;
}

/** The command that runs one check again exactly as this run did. */
export function rerunCommand(config: ConformConfig, checkId: string): string {
  const t = config.target!;
  const words = ['talkbench conform', `--target ${t.host}:${t.port}`, `--protocol ${config.protocol}`];
  if (config.protocol === 'im') words.push(`--layout ${config.layout}`);
  if (config.maxBodyBytes !== DEFAULT_MAX_BODY_BYTES) words.push(`--max-body ${config.maxBodyBytes}`);
  if (config.maxLineBytes !== DEFAULT_MAX_LINE_BYTES) words.push(`--max-line ${config.maxLineBytes}`);
  if (config.runs !== DEFAULT_RUNS) words.push(`--runs ${config.runs}`);
  if (config.unanswered.length > 0) words.push(`--unanswered ${config.unanswered.join(',')}`);
  if (config.httpBase !== null) words.push(`--http ${config.httpBase}`);
  words.push(`--seed ${config.seed}`, `--only ${checkId}`);
  return words.join(' ');
}

const stamp = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');

function totalsOf(results: readonly CheckResult[]): Record<Outcome, number> {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const r of results) totals[r.outcome]++;
  return totals;
}

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

export async function conform(config: ConformConfig, io: ConformIo): Promise<number> {
  if (config.list) {
    const shown = CATALOGUE.filter((c) => (config.only.length === 0 || config.only.some((s) => matches(c.id, s))) && !config.skip.some((s) => matches(c.id, s)));
    for (const line of formatCatalogue(shown)) io.out(line);
    return EXIT.ok;
  }
  const checks = selectChecks(CATALOGUE, config.protocol, config.only, config.skip);
  const knownFailures = config.knownFailuresFile === null ? new Set<string>() : await readKnownFailures(config.knownFailuresFile, CATALOGUE);
  const target = config.target!;
  const started = new Date();
  const startMs = performance.now();
  const nonce = randomBytes(3).toString('hex');
  const version = suiteVersion(io.toolVersion, CATALOGUE);
  io.out(`talkbench conform ${io.toolVersion} (suite ${version}): ${config.protocol === 'im' ? `IM, layout ${config.layout}` : 'CHAT/1.0'} at ${target.host}:${target.port}; seed ${config.seed}, ${config.runs} examples per property; ${checks.length} checks`);
  const selection = [config.only.length > 0 ? `--only ${config.only.join(',')}` : '', config.skip.length > 0 ? `--skip ${config.skip.join(',')}` : '', knownFailures.size > 0 ? `${knownFailures.size} known failures` : ''].filter(Boolean);
  if (selection.length > 0) io.out(`selection: ${selection.join('; ')}`);

  const probeOptions = { protocol: config.protocol, layout: config.layout, timeoutMs: Math.max(config.timeoutMs, 2000), maxBodyBytes: config.maxBodyBytes * 2 + 65536 };
  const pre = await preflight(target, probeOptions);
  let results: CheckResult[];
  let stoppedAfter: string | null = null;
  let connectionsOpened = 0;
  const timeoutMs = Math.max(config.timeoutMs, pre.minimumWaitMs);
  const gatingIds = (rs: readonly CheckResult[]): Set<string> => new Set(failingChecks(rs, config.strict).map((f) => f.id));
  const transcriptsDir = config.transcriptsDir ?? (config.jsonFile !== null ? join(dirname(config.jsonFile), `transcripts-${stamp(started)}`) : join('conform-transcripts', stamp(started)));
  const transcriptFile = (r: CheckResult): string | null => (r.transcript === null ? null : join(transcriptsDir, `${r.id}.json`));

  if (pre.problem !== null) {
    io.out(`preflight: ${pre.problem}`);
    results = checks.map((c) => notRun(c, `not run: the target was unusable at the start (${pre.problem})`));
  } else {
    io.out(`preflight: answered; round trip ${pre.roundTripMs} ms; wait per expected frame or line ${timeoutMs} ms`);
    const run = await runChecks(checks, {
      profile: {
        host: target.host, port: target.port, protocol: config.protocol, layout: config.layout, maxBodyBytes: config.maxBodyBytes, maxLineBytes: config.maxLineBytes,
        timeoutMs, httpBase: config.httpBase, idleTimeoutMs: config.idleTimeoutMs, unanswered: config.unanswered,
      },
      settings: { seed: config.seed, runs: config.runs, nonce },
      knownFailures,
      unanswered: new Set(config.unanswered),
      liveness: () => liveness(target, probeOptions),
      onResult: (r) => {
        const gating = gatingIds([r]).size > 0;
        if (config.quiet && (r.outcome === 'PASS' || r.outcome === 'SKIP') && !r.stale) return;
        for (const line of formatCheck(r, { rerun: rerunCommand(config, r.id), transcriptFile: transcriptFile(r) }, { gating })) io.out(line);
      },
    });
    ({ results, stoppedAfter, connectionsOpened } = run);
  }

  for (const r of results) {
    const file = transcriptFile(r);
    if (file === null) continue;
    const transcript: ConformanceTranscript = {
      kind: 'conformance-transcript', schemaVersion: CONFORMANCE_SCHEMA_VERSION, suiteVersion: version,
      check: r.id, level: r.level, requirements: [...r.requirements], outcome: r.outcome, expected: r.expected, got: r.got, message: r.message,
      target: { host: target.host, port: target.port }, protocol: config.protocol, layout: config.layout,
      settings: { seed: config.seed, runs: config.runs, timeoutMs, maxBodyBytes: config.maxBodyBytes, maxLineBytes: config.maxLineBytes, unanswered: config.unanswered, nonce },
      fastCheck: r.fastCheck, rerun: rerunCommand(config, r.id), events: r.transcript ?? [],
    };
    await writeText(file, `${JSON.stringify(conformanceTranscriptSchema.parse(transcript), null, 2)}\n`);
  }

  const exitCode = pre.problem !== null ? EXIT.unreachable : suiteExitCode(results, { strict: config.strict, stoppedAfter });
  const failing = failingChecks(results, config.strict);
  const totals = totalsOf(results);
  const result: ConformanceResult = {
    kind: 'conformance', schemaVersion: CONFORMANCE_SCHEMA_VERSION, tool: { name: 'talkbench', version: io.toolVersion }, suiteVersion: version,
    startedAt: started.toISOString(), finishedAt: new Date().toISOString(),
    target: { host: target.host, port: target.port }, protocol: config.protocol, layout: config.layout,
    settings: { seed: config.seed, runs: config.runs, timeoutMs, maxBodyBytes: config.maxBodyBytes, maxLineBytes: config.maxLineBytes, strict: config.strict, unanswered: config.unanswered, nonce },
    selection: { only: config.only, skip: config.skip, knownFailures: [...knownFailures] },
    preflight: { problem: pre.problem, roundTripMs: pre.roundTripMs },
    stoppedAfter, connectionsOpened, totals, exitCode, failing,
    checks: results.map((r) => ({ ...r, requirements: [...r.requirements], rerun: rerunCommand(config, r.id), transcriptFile: transcriptFile(r) })),
  };
  // The writer checks what it writes against the schema its readers use.
  conformanceResultSchema.parse(result);
  if (config.jsonFile !== null) await writeText(config.jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  if (config.junitFile !== null) await writeText(config.junitFile, formatJUnit(result));

  io.out('');
  io.out(formatTotals(totals, connectionsOpened, performance.now() - startMs));
  if (stoppedAfter !== null) io.out(`the target stopped answering after ${stoppedAfter}: the checks after it are ERROR`);
  const verdict = exitCode === EXIT.ok ? 'passed' : pre.problem !== null ? 'target unusable' : stoppedAfter !== null ? 'target stopped answering' : 'failed';
  const why = pre.problem !== null ? `: ${pre.problem}` : failing.length > 0 ? `: ${failing.slice(0, 5).map((f) => `${f.id} (${f.why})`).join('; ')}${failing.length > 5 ? `; and ${failing.length - 5} more` : ''}` : exitCode === EXIT.checkFailed ? ': no check reached a verdict' : '';
  io.out(`result: ${verdict} (exit ${exitCode})${why}`);
  for (const [file, what] of [[config.jsonFile, 'result'], [config.junitFile, 'JUnit report']] as const) if (file !== null) io.out(`${what} written to ${file}`);
  if (results.some((r) => r.transcript !== null)) io.out(`transcripts of the checks that did not pass: ${transcriptsDir}/`);
  return exitCode;
}

function notRun(check: CheckDefinition, message: string): CheckResult {
  return {
    id: check.id, level: check.level, requirements: check.requirements, description: check.description, outcome: 'ERROR', durationMs: 0,
    expected: null, got: null, message, knownFailure: false, stale: false, fastCheck: null, transcript: null,
  };
}

// `talkbench load`: drive a server with simulated users (or the ping scenario) and report what its
// users would feel. Flags are documented in the README; exit codes follow [D-EXIT].
import { writeFile, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { FRAME_LAYOUTS, DEFAULT_MAX_BODY_BYTES, parseLayout } from '../proto/index.js';
import { DEFAULTS, UNANSWERABLE_OPS, defaultWarmupMs, type LoadConfig } from '../bench/config/load-config.js';
import { readScenarioFile, type ScenarioFile } from '../bench/config/scenario-file.js';
import { parseTargets, sourceAddresses } from '../client/target.js';
import { initHistograms } from '../reports/schema/histogram.js';
import { parseThreshold, withDefaultThreshold } from '../bench/metrics/thresholds.js';
import { ProgressDisplay } from '../bench/run/progress-display.js';
import { planCapacity, readMachineFacts, runDemand } from '../bench/config/capacity.js';
import { shardConnections } from '../bench/run/plan.js';
import { processesFailure, runProcesses } from '../bench/run/processes.js';
import { runLoad, unusableResult, type LiveView } from '../bench/run/run-load.js';
import { finalProbe, preflight } from '../bench/run/preflight.js';
import { withLateTargetFailure } from '../bench/run/outcome.js';
import { formatSummary } from '../bench/run/summary.js';
import { EXIT } from '../util/exit-codes.js';
import * as units from '../util/units.js';
import { forCommander, parseBytes, parseDuration, parsePositiveInt } from './parse-values.js';
import { VERSION } from './version.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const parseRate = forCommander((value: string): number => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new Error(`"${value}" is not a rate: give actions per user per second (0.5, 2)`);
  return n;
});

function parseSizeRange(value: string): { min: number; max: number } {
  const [low, high] = value.split('-');
  const min = units.parseBytes(low!);
  const max = high === undefined ? min : units.parseBytes(high);
  if (max < min) throw new Error(`--upload-size ${value}: the range runs from small to large`);
  return { min, max };
}

function parseHttpBase(value: string): string {
  let url: URL;
  try { url = new URL(value); } catch { throw new Error(`--http "${value}" is not a URL: give a base such as http://127.0.0.1:8080`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--http "${value}": use an http:// or https:// URL`);
  return url.href;
}

function parseUnanswered(value: string): LoadConfig['unanswered'] {
  const ops = value.split(',').map((v) => v.trim()).filter(Boolean);
  for (const op of ops) {
    if (!(UNANSWERABLE_OPS as readonly string[]).includes(op)) {
      throw new Error(`--unanswered ${op}: only ${UNANSWERABLE_OPS.join(', ')} may be unanswered (the scenario needs the other replies to go on)`);
    }
  }
  return ops as LoadConfig['unanswered'];
}

function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`--shard "${value}": use i/N with 1 <= i <= N (for example 2/4)`);
  return { index, count };
}

export function loadCommand(): Command {
  return new Command('load')
    .description('drive an IM or CHAT/1.0 server with simulated users and measure it')
    .option('--target <host:port,...>', 'server(s) to drive; friend groups are spread over several (required here or in the scenario file)', forCommander(parseTargets))
    .option('--scenario-file <file>', 'JSON or YAML with any of these settings and more (docs/SCENARIO.md); flags given override it')
    .addOption(new Option('--protocol <protocol>', 'protocol of the target').choices(['im', 'chat']).default('im'))
    .addOption(new Option('--scenario <name>', 'users: logged-in users chatting; ping: heartbeats only').choices(['users', 'ping']).default('users'))
    .option('--users <n>', 'simulated users (ping: connections)', parsePositiveInt, DEFAULTS.users)
    .addOption(new Option('--ramp-up <duration>', 'spread user arrivals (connections) over this long').argParser(parseDuration).default(DEFAULTS.rampUpMs, '0s'))
    .addOption(new Option('--warmup <duration>', 'run this long before measuring (default 1s for ping, 0 for users)').argParser(parseDuration))
    .addOption(new Option('--duration <duration>', 'measured time').argParser(parseDuration).default(DEFAULTS.durationMs, '10s'))
    .addOption(new Option('--heartbeat-interval <duration>', 'heartbeat period per user (ping without --rate: per connection)').argParser(parseDuration).default(DEFAULTS.heartbeatIntervalMs, '10s'))
    .addOption(new Option('--chat-rate <n>', 'chats per user per second (Poisson)').argParser(parseRate).default(DEFAULTS.rates.chat))
    .addOption(new Option('--upload-rate <n>', 'IM file uploads per user per second').argParser(parseRate).default(DEFAULTS.rates.upload))
    .addOption(new Option('--upload-size <size|min-max>', 'upload size, fixed or uniform in a range (4KiB, 1KiB-64KiB)').argParser(forCommander(parseSizeRange)).default(DEFAULTS.uploadBytes, '1KiB-16KiB'))
    .addOption(new Option('--status-rate <n>', 'IM status changes per user per second').argParser(parseRate).default(DEFAULTS.rates.status))
    .addOption(new Option('--broadcast-rate <n>', 'CHAT/1.0 group broadcasts per user per second').argParser(parseRate).default(DEFAULTS.rates.broadcast))
    .addOption(new Option('--group-size <n>', 'friends come in groups of this many users').argParser(parsePositiveInt).default(DEFAULTS.groupSize))
    .addOption(new Option('--chat-size <bytes>', 'bytes per chat, padded after its timing stamp (IM: 40 bytes; CHAT/1.0: about 60 characters, under the server line limit)').argParser(parseBytes).default(DEFAULTS.chatBytes))
    .addOption(new Option('--file-list-interval <duration>', 'IM, with uploads: how often each user polls its file list for files sent to it').argParser(parseDuration).default(DEFAULTS.fileListIntervalMs, '1s'))
    .option('--http <url>', 'download files from this base URL instead of the address the server gives (same path)', forCommander(parseHttpBase))
    .addOption(new Option('--reconnect-rate <n>', 'IM: logouts per user per second, each followed by a login after --away-time').argParser(parseRate).default(DEFAULTS.reconnect.rate))
    .addOption(new Option('--away-time <duration>', 'IM, with --reconnect-rate: how long a user stays away').argParser(parseDuration).default(DEFAULTS.reconnect.awayMs, '1s'))
    .option('--unanswered <ops>', `requests the target is not expected to answer, counted as sent and never timed (${UNANSWERABLE_OPS.join(', ')}; the original server answers no heartbeat)`, forCommander(parseUnanswered))
    .option('--rate <n>', 'ping, open model: requests per second in all', parsePositiveInt)
    .option('--inflight <k>', 'ping, closed model: requests in flight per connection', parsePositiveInt)
    .addOption(new Option('--body-bytes <n>', 'ping: HeartbeatRequest body size').argParser(parseBytes).default(DEFAULTS.bodyBytes))
    .addOption(new Option('--timeout <duration>', 'a request without its reply by then counts as timed out').argParser(parseDuration).default(DEFAULTS.timeoutMs, '5s'))
    .addOption(new Option('--grace <duration>', 'after the measured time, wait this long for replies and deliveries').argParser(parseDuration).default(DEFAULTS.graceMs, '2s'))
    .option('--workers <n>', 'worker threads (default: one per core)', parsePositiveInt)
    .option('--processes <n>', 'generator processes (default: as the open-file limit requires)', parsePositiveInt)
    .option('--source-addresses <n|list>', 'spread connections over 127.0.0.1-127.0.0.N, or over these addresses')
    .addOption(new Option('--layout <layout>', 'IM frame layout').choices(FRAME_LAYOUTS).default('le').argParser(forCommander(parseLayout)))
    .addOption(new Option('--max-body <bytes>', 'largest IM body accepted from the server').argParser(parseBytes).default(DEFAULT_MAX_BODY_BYTES, '16MiB'))
    .option('--seed <text>', 'makes user names and every random choice reproducible', 'talkbench')
    .option('--shard <i/N>', 'run the i-th of N slices of the users (see merge)', forCommander(parseShard), { index: 1, count: 1 })
    .option('--threshold <expr>', "fail the run (exit 99) unless it holds, e.g. 'heartbeat.p99<20ms' (repeatable); one on errors or errors.ratio replaces the default errors==0", collect, [] as string[])
    .option('--no-default-thresholds', 'drop the default threshold errors==0 (every failure, timeout, loss and lost connection fails the run)')
    .option('--out <file>', 'write the result (JSON) here')
    .option('--target-scrypt-cost <N>', "the target's scrypt cost, when you know it: recorded in the result [D-HASH]", parsePositiveInt)
    .option('--quiet', 'no progress display', false)
    .action(async (flags: Record<string, unknown>, command: Command) => {
      process.exitCode = await runLoadCommand(flags, command);
    });
}

/**
 * Flags given on the command line win over the scenario file, which wins over the flags' defaults.
 * Returns the flags with the file's values filled in where no flag was given.
 */
function withScenarioFile(flags: Record<string, unknown>, command: Command, file: ScenarioFile | null): Record<string, unknown> {
  if (!file) return flags;
  const fromFile: Record<string, unknown> = {
    target: file.target === undefined ? undefined : parseTargets([file.target].flat().join(',')),
    protocol: file.protocol, scenario: file.scenario, users: file.users, rampUp: file.rampUp, warmup: file.warmup,
    duration: file.duration, heartbeatInterval: file.heartbeatInterval, timeout: file.timeout, grace: file.grace,
    groupSize: file.groupSize, chatSize: file.chatSize,
    uploadSize: typeof file.uploadSize === 'number' ? { min: file.uploadSize, max: file.uploadSize } : file.uploadSize,
    chatRate: file.rates?.chat, uploadRate: file.rates?.upload, statusRate: file.rates?.status, broadcastRate: file.rates?.broadcast,
    rate: file.ping?.rate, inflight: file.ping?.inflight, bodyBytes: file.ping?.bodyBytes,
    workers: file.workers, processes: file.processes, layout: file.layout, maxBody: file.maxBody, seed: file.seed,
    sourceAddresses: file.sourceAddresses === undefined ? undefined : [file.sourceAddresses].flat().join(','),
    fileListInterval: file.fileListInterval, http: file.http === undefined ? undefined : parseHttpBase(file.http),
    reconnectRate: file.rates?.reconnect, awayTime: file.awayTime,
    unanswered: file.unanswered === undefined ? undefined : parseUnanswered(file.unanswered.join(',')),
    defaultThresholds: file.defaultThresholds,
  };
  const merged = { ...flags };
  for (const [key, value] of Object.entries(fromFile)) {
    if (value !== undefined && command.getOptionValueSource(key) !== 'cli') merged[key] = value;
  }
  merged.threshold = [...(file.thresholds ?? []), ...(flags.threshold as string[])];
  return merged;
}

function buildConfig(flags: Record<string, unknown>, file: ScenarioFile | null): LoadConfig {
  if (flags.target === undefined) throw new Error('no target: give --target host:port (or target in the scenario file)');
  const scenario = flags.scenario as LoadConfig['scenario'];
  const targets = flags.target as LoadConfig['targets'];
  const users = flags.users as number;
  const thresholds = (flags.threshold as string[]).map(parseThreshold);
  if (scenario === 'ping' && flags.protocol === 'chat') throw new Error('--scenario ping speaks the IM protocol only');
  if (scenario === 'ping' && flags.rate !== undefined && flags.inflight !== undefined) throw new Error('--rate (open model) and --inflight (closed model) exclude each other');
  if (scenario !== 'ping' && flags.inflight !== undefined) throw new Error('--inflight applies to --scenario ping alone [D-LOAD]');
  if (scenario !== 'ping' && flags.rate !== undefined) throw new Error('--rate applies to --scenario ping; user scenarios set --chat-rate and the like');
  const unanswered = (flags.unanswered as LoadConfig['unanswered'] | undefined) ?? [];
  if (scenario === 'ping' && unanswered.length > 0) throw new Error('--unanswered: the ping scenario times heartbeat replies and nothing else; it needs a target that answers them');
  const reconnectRate = flags.reconnectRate as number;
  if (reconnectRate > 0 && (scenario === 'ping' || flags.protocol === 'chat')) throw new Error('--reconnect-rate applies to IM users (--protocol im --scenario users)');
  if (reconnectRate > 0 && (flags.awayTime as number) >= (flags.duration as number)) throw new Error('--away-time must be shorter than --duration: users come back before the measured time ends');
  return {
    scenario,
    protocol: flags.protocol as LoadConfig['protocol'],
    targets,
    users,
    rampUpMs: flags.rampUp as number,
    warmupMs: (flags.warmup as number | undefined) ?? defaultWarmupMs(scenario),
    durationMs: flags.duration as number,
    timeoutMs: flags.timeout as number,
    graceMs: flags.grace as number,
    rate: (flags.rate as number | undefined) ?? null,
    inflight: (flags.inflight as number | undefined) ?? null,
    heartbeatIntervalMs: flags.heartbeatInterval as number,
    bodyBytes: flags.bodyBytes as number,
    groupSize: flags.groupSize as number,
    rates: {
      ...DEFAULTS.rates,
      userInfo: file?.rates?.userInfo ?? DEFAULTS.rates.userInfo,
      fileList: file?.rates?.fileList ?? DEFAULTS.rates.fileList,
      chat: flags.chatRate as number,
      upload: flags.uploadRate as number,
      status: flags.statusRate as number,
      broadcast: flags.broadcastRate as number,
    },
    chatBytes: flags.chatSize as number,
    uploadBytes: flags.uploadSize as LoadConfig['uploadBytes'],
    unanswered,
    fileListIntervalMs: flags.fileListInterval as number,
    httpBase: (flags.http as string | undefined) ?? null,
    reconnect: { rate: reconnectRate, awayMs: flags.awayTime as number },
    workers: Math.min((flags.workers as number | undefined) ?? availableParallelism(), users),
    processes: (flags.processes as number | undefined) ?? 1,
    layout: flags.layout as LoadConfig['layout'],
    maxBodyBytes: flags.maxBody as number,
    seed: flags.seed as string,
    sourceAddresses: [],   // set from this shard's connections below
    thresholds: withDefaultThreshold(thresholds, flags.defaultThresholds !== false),
    overload: { ...DEFAULTS.overload, ...file?.overload },
    shard: flags.shard as LoadConfig['shard'],
    slice: { index: 1, count: 1 },
  };
}

async function runLoadCommand(given: Record<string, unknown>, command: Command): Promise<number> {
  let config: LoadConfig;
  let flags = given;
  try {
    const file = given.scenarioFile ? await readScenarioFile(given.scenarioFile as string) : null;
    flags = withScenarioFile(given, command, file);
    config = buildConfig(flags, file);
  } catch (err) {
    process.stderr.write(`talkbench load: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  let processes: number;
  try {
    const connections = shardConnections(config);
    config.sourceAddresses = sourceAddresses(flags.sourceAddresses as string | undefined, config.targets, connections);
    // Every limit this machine sets, before anything is spawned or connects [D-CAPACITY].
    const plan = planCapacity(runDemand(config, connections, (flags.processes as number | undefined) ?? null), readMachineFacts());
    processes = plan.processes;
    if (plan.reason) process.stderr.write(`talkbench load: ${plan.reason}\n`);
  } catch (err) {
    process.stderr.write(`talkbench load: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  config.processes = processes;
  await initHistograms();
  const display = flags.quiet ? null : new ProgressDisplay(process.stderr);
  let signalled = false;
  const interrupt = new Promise<string>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) process.exit(EXIT.interrupted);   // a second signal: stop waiting
      signalled = true;
      resolve(`${signal} received`);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const hooks = {
    version: VERSION, interrupt, targetScryptCost: (flags.targetScryptCost as number | undefined) ?? null,
    onProgress: (view: LiveView) => display?.update(view),
  };
  // One preflight for the whole run, before any process is spawned [D-CONFORM]: a target that does
  // not answer is said so before anything is measured (exit 3), naming the layout or protocol it speaks.
  const unusable = await preflight(config);
  const run = unusable !== null ? unusableResult(config, hooks, unusable)
    : processes > 1 ? await runProcesses(config, processes, hooks).catch(processesFailure) : await runLoad(config, hooks);
  // A generator process that ended without its result is a bug of talkbench (exit 70) [D-EXIT].
  if (!('kind' in run)) { display?.end(); process.stderr.write(`talkbench load: ${run.message}\n`); return run.exitCode; }
  let result = run;
  // A target that died in the grace or logout phase, which no request of the run could see [D-VERDICT].
  if (!signalled && !['unreachable', 'target-failed', 'interrupted'].includes(result.status)) {
    const late = await finalProbe(config);
    if (late !== null) result = withLateTargetFailure(result, late);
  }
  display?.end();
  if (flags.out) {
    const out = flags.out as string;
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(result, null, 1) + '\n');
  }
  process.stdout.write(formatSummary(result) + '\n');
  if (flags.out) process.stdout.write(`result written to ${flags.out as string}\n`);
  return result.exitCode;
}

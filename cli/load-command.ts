// `talkbench load`: drive a server with simulated users (or the ping scenario) and report what its
// users would feel. Flags are documented in the README; exit codes follow [D-EXIT].
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { LOAD_OPTIONS, resolveLoadOptions, type LoadOptions } from '../bench/config/load-options.js';
import { readScenarioFile } from '../bench/config/scenario-file.js';
import { sourceAddresses } from '../client/target.js';
import { initHistograms } from '../reports/schema/histogram.js';
import { ProgressDisplay } from '../bench/run/progress-display.js';
import { planCapacity, readMachineFacts, runDemand } from '../bench/config/capacity.js';
import { shardConnections } from '../bench/run/plan.js';
import { processesFailure, runProcesses } from '../bench/run/processes.js';
import { runLoad, unusableResult } from '../bench/run/run-load.js';
import type { LiveView } from '../bench/run/run-progress.js';
import { finalProbe, preflight } from '../bench/run/preflight.js';
import { withLateTargetFailure } from '../bench/run/outcome.js';
import { formatSummary } from '../reports/render/load-summary.js';
import { EXIT } from '../util/exit-codes.js';
import { UsageError } from '../util/errors.js';
import { declareOptions, givenWords } from './parse-values.js';
import { VERSION } from './version.js';

export function loadCommand(): Command {
  // Every flag, its help and its default come from the one table of load options; commander only
  // collects the words, which resolveLoadOptions checks together with the scenario file.
  return declareOptions(new Command('load').description('drive an IM or CHAT/1.0 server with simulated users and measure it'), LOAD_OPTIONS)
    .action(async (_flags: unknown, command: Command) => {
      process.exitCode = await runLoadCommand(givenWords(command, LOAD_OPTIONS));
    });
}

/** The settings from the words given and the scenario file: every mistake at once, as a ConfigError. */
async function loadOptions(given: Readonly<Record<string, unknown>>): Promise<LoadOptions> {
  const path = given.scenarioFile;
  return resolveLoadOptions(given, typeof path === 'string' ? await readScenarioFile(path) : null);
}

async function runLoadCommand(given: Readonly<Record<string, unknown>>): Promise<number> {
  let flags: LoadOptions;
  let processes: number;
  try {
    flags = await loadOptions(given);
    const connections = shardConnections(flags.config);
    flags.config.sourceAddresses = sourceAddresses(flags.sourceAddresses, flags.config.targets, connections);
    // Every limit this machine sets, before anything is spawned or connects [D-CAPACITY].
    const plan = planCapacity(runDemand(flags.config, connections, flags.processes), readMachineFacts());
    processes = plan.processes;
    if (plan.reason) process.stderr.write(`talkbench load: ${plan.reason}\n`);
  } catch (err) {
    // A bad setting or a run this machine cannot hold is the user's to fix (exit 2); anything else
    // is a bug, and cli/main.ts says so (exit 70) [D-EXIT].
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`talkbench load: ${err.message}\n`);
    return EXIT.usage;
  }
  const config = flags.config;
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
    version: VERSION, interrupt, targetScryptCost: flags.targetScryptCost,
    onProgress: (view: LiveView) => display?.update(view),
  };
  // One preflight for the whole run, before any process is spawned [D-CONFORM]: a target that does
  // not answer is said so before anything is measured (exit 3), naming the layout or protocol it speaks.
  const unusable = await preflight(config);
  const run = unusable.length > 0 ? unusableResult(config, hooks, unusable.map((p) => ({ code: 'unreachable' as const, ...p })))
    : processes > 1 ? await runProcesses(config, processes, hooks).catch(processesFailure) : await runLoad(config, hooks);
  // A generator process that ended without its result is a bug of talkbench (exit 70) [D-EXIT].
  if (!('kind' in run)) { display?.end(); process.stderr.write(`talkbench load: ${run.message}\n`); return run.exitCode; }
  let result = run;
  // A target that died in the grace or logout phase, which no request of the run could see [D-VERDICT].
  if (!signalled && !['unreachable', 'target-failed', 'interrupted'].includes(result.status)) {
    const late = await finalProbe(config);
    if (late.length > 0) result = withLateTargetFailure(result, late);
  }
  display?.end();
  const out = flags.out;
  if (out) {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(result, null, 1) + '\n');
  }
  process.stdout.write(formatSummary(result) + '\n');
  if (out) process.stdout.write(`result written to ${out}\n`);
  return result.exitCode;
}

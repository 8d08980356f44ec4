// Micro-benchmarks of the protocol core: `npm run bench [-- --quick] [-- --json FILE]`.
// Prints figures; asserts nothing about time (tests never do). Cases run one at a time, each in its
// own worker thread (see isolation.ts), while this thread only waits and prints.
import { USAGE, UsageError, parseMicroArgs } from './args.js';
import { allCases, caseKey } from './cases.js';
import { captureEnvironment, describeEnvironment, formatLoad, loadAverage } from './environment.js';
import { measureInWorker } from './isolation.js';
import { toEntry, writeReport } from './json-output.js';
import { TableWriter } from './table.js';
import type { Measurement } from './timing.js';

const EXIT_OK = 0;
const EXIT_CHECK_FAILED = 1;
const EXIT_USAGE = 2;

async function main(argv: readonly string[]): Promise<number> {
  const options = parseMicroArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return EXIT_OK;
  }
  const filter = options.filter?.toLowerCase() ?? null;
  const cases = allCases().filter((c) => filter === null || caseKey(c).toLowerCase().includes(filter));
  if (cases.length === 0) throw new UsageError(`no case matches --filter "${options.filter}"`);

  const env = captureEnvironment();
  const { rounds, roundMs } = options.timing;
  console.log('talkbench micro-benchmarks: protocol core');
  for (const line of describeEnvironment(env)) console.log(line);
  console.log(
    `each case in a fresh worker thread: ${rounds} timed rounds of ~${roundMs} ms after a warm-up round;` +
      ' rates are operations per second' +
      (options.quick ? ' (--quick: a smoke run, not figures to compare)' : ''),
  );
  console.log('');

  const started = process.hrtime.bigint();
  const table = new TableWriter(cases, (line) => console.log(line));
  table.header();
  const measurements: Measurement[] = [];
  for (const benchCase of cases) {
    const m = await measureInWorker({ key: caseKey(benchCase), timing: options.timing });
    measurements.push(m);
    table.row(m);
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  env.loadavg.end = loadAverage();

  // Every batch was compared with its first; the total is printed so the results are visibly used.
  const checksum = measurements.reduce((sum, m) => sum + m.checksum, 0);
  console.log('');
  console.log(`${measurements.length} cases in ${(durationMs / 1000).toFixed(1)} s; checksum ${checksum} (every batch matched)`);
  console.log(`load average ${formatLoad(env.loadavg.end)} at end`);

  if (options.json !== null) {
    writeReport(options.json, {
      kind: 'micro-benchmark',
      schemaVersion: 1,
      environment: env,
      settings: { quick: options.quick, rounds, roundMs, filter: options.filter },
      durationMs,
      measurements: measurements.map(toEntry),
    });
    console.log(`figures written to ${options.json}`);
  }
  return EXIT_OK;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Told apart by code, as everywhere in talkbench (instanceof Error only types `message`).
  if (err instanceof Error && (err as { code?: unknown }).code === 'USAGE') {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
  } else {
    // A failed check (a checksum that changed, a fixture that does not decode) or a bug: the figures
    // printed so far stand, but the run does not.
    console.error(err);
    process.exitCode = EXIT_CHECK_FAILED;
  }
}

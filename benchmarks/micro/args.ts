// Command-line options of the micro-benchmark. Kept apart from run.ts so the entry point reads as
// the sequence of what happens.
import { parseArgs } from 'node:util';
import type { TimingOptions } from './timing.js';

export interface MicroOptions {
  quick: boolean;
  json: string | null;
  /** Only cases whose "<subject> <case>" contains this (case-insensitive): for profiling one codec. */
  filter: string | null;
  help: boolean;
  timing: TimingOptions;
}

export const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--filter TEXT]

  --quick        3 short rounds per case instead of 7: a smoke run, not figures to compare
  --json FILE    also write the figures as JSON (kind "micro-benchmark", schemaVersion 1)
  --filter TEXT  only cases whose subject and name contain TEXT, e.g. --filter FrameDecoder
  --help         this text

exit codes: 0 ok, 1 a benchmark failed its check, 2 usage error`;

/** Normal: about a second per case, so the whole run stays under a minute on 2 cores. */
const FULL: TimingOptions = { rounds: 7, roundMs: 120 };
const QUICK: TimingOptions = { rounds: 3, roundMs: 15 };

export class UsageError extends Error {
  readonly code = 'USAGE';
}

export function parseMicroArgs(argv: readonly string[]): MicroOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'string' },
        filter: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.json === '') throw new UsageError('--json needs a file name');
  return {
    quick: values.quick,
    json: values.json ?? null,
    filter: values.filter ?? null,
    help: values.help,
    timing: values.quick ? QUICK : FULL,
  };
}

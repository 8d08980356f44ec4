// The talkbench command line. Commands register here; exit codes follow [D-EXIT] (see README).
import { Command, CommanderError } from 'commander';
import { conformCommand } from './conform-command.js';
import { loadCommand } from './load-command.js';
import { mergeCommand } from './merge-command.js';
import { replayCommand } from './replay-command.js';
import { reportCommand } from './report-command.js';
import { serveCommand } from './serve-command.js';
import { VERSION } from './version.js';
import { EXIT } from '../util/exit-codes.js';
import { TalkbenchError } from '../util/errors.js';

const program = new Command('talkbench')
  .description('load generator, conformance suite and reference server for IM (protobuf) and CHAT/1.0 chat servers')
  .version(VERSION)
  .addCommand(serveCommand())
  .addCommand(loadCommand())
  .addCommand(mergeCommand())
  .addCommand(conformCommand())
  .addCommand(replayCommand())
  .addCommand(reportCommand());

// addCommand does not pass settings down: every command reports usage errors the same way.
for (const command of [program, ...program.commands]) command.showHelpAfterError('(add --help for usage)').exitOverride();

/** Test hook (bench/test/cli-exit-codes.test.ts): an unexpected error, to check it is reported as a bug. */
const FAULT_ENV = 'TALKBENCH_TEST_CLI_FAULT';

try {
  if (process.env[FAULT_ENV] === 'internal-error') throw new Error(`${FAULT_ENV}: a planted internal error`);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every usage error exits 2 [D-EXIT].
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  }
  // One of talkbench's own errors that decides the exit (a usage error, a generator process lost):
  // its message and its code [D-EXIT].
  if (err instanceof TalkbenchError && err.exitCode !== undefined) {
    process.stderr.write(`talkbench: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  // A setting the machine cannot honour (a port in use, an unreadable data directory) carries the
  // system's error code: a usage error [D-EXIT 2]. Anything else is a bug of talkbench [D-EXIT 70].
  // SQLite's own codes (SQLITE_CANTOPEN, SQLITE_CORRUPT) are about the data directory, not talkbench.
  if (typeof e.code === 'string' && /^(E[A-Z]+|SQLITE_[A-Z_]+)$/.test(e.code)) {
    const message = e.code === 'EADDRINUSE'
      ? `${e.address}:${e.port} is in use (is another server running there?): choose another port, or 0 for any free one`
      : e.message;
    process.stderr.write(`talkbench: ${message}\n`);
    process.exit(EXIT.usage);
  }
  process.stderr.write(`talkbench: internal error, a bug of talkbench (please report it with what follows):\n${e.stack ?? String(err)}\n`);
  process.exit(EXIT.internal);
}

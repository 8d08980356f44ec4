// The talkbench command line. Commands register here; exit codes follow [D-EXIT] (see README).
import { Command, CommanderError } from 'commander';
import { loadCommand } from './load-command.js';
import { mergeCommand } from './merge-command.js';
import { serveCommand } from './serve-command.js';
import { VERSION } from './version.js';

const program = new Command('talkbench')
  .description('load generator, conformance suite and reference server for IM (protobuf) and CHAT/1.0 chat servers')
  .version(VERSION)
  .addCommand(serveCommand())
  .addCommand(loadCommand())
  .addCommand(mergeCommand());

// addCommand does not pass settings down: every command reports usage errors the same way.
for (const command of [program, ...program.commands]) command.showHelpAfterError('(add --help for usage)').exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every usage error exits 2 [D-EXIT].
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const message = e.code === 'EADDRINUSE'
    ? `${e.address}:${e.port} is in use (is another server running there?): choose another port, or 0 for any free one`
    : e.message;
  // A setting the machine cannot honour (a port in use, an unreadable data directory) is a usage error.
  process.stderr.write(`talkbench: ${message}\n`);
  process.exit(2);
}

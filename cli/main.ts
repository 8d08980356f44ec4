// The talkbench command line. Commands register here; exit codes follow [D-EXIT] (see README).
import { Command, CommanderError } from 'commander';
import { serveCommand } from './serve-command.js';

const program = new Command('talkbench')
  .description('load generator, conformance suite and reference server for IM (protobuf) and CHAT/1.0 chat servers')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride()
  .addCommand(serveCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every usage error exits 2 [D-EXIT].
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(`talkbench: ${(err as Error).message}\n`);
  process.exit(2);
}

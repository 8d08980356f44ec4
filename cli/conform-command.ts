// `talkbench conform`: the conformance suite against one target [D-CONFORM]. Every flag comes from the
// one table in conformance/run/conform-options.ts; a bad flag, an unknown check id or an empty
// selection is a usage error, which cli/main.ts turns into exit 2 [D-EXIT].
import { Command } from 'commander';
import { CONFORM_OPTIONS, resolveConformOptions } from '../conformance/run/conform-options.js';
import { declareOptions, givenWords } from './parse-values.js';
import { VERSION } from './version.js';

export function conformCommand(): Command {
  return declareOptions(new Command('conform').description('check that a server speaks the IM protocol or CHAT/1.0 (exit 0: every MUST check passed)'), CONFORM_OPTIONS)
    .action(async (_flags: unknown, command: Command) => {
      const config = resolveConformOptions(givenWords(command, CONFORM_OPTIONS));
      // Loaded when the command runs: the suite (fast-check and every check) is most of the CLI's start-up.
      const { conform } = await import('../conformance/run/conform.js');
      process.exitCode = await conform(config, { toolVersion: VERSION, out: (line) => process.stdout.write(`${line}\n`) });
    });
}

// `talkbench replay FILE --target host:port`: reruns a failing check from the transcript
// `talkbench conform` saved, and says whether the failure reproduces (exit 1) or not (exit 0).
import { Command } from 'commander';
import { parseTargets } from '../client/target.js';
import { UsageError } from '../util/errors.js';
import { duration } from '../util/option-kinds.js';

export function replayCommand(): Command {
  return new Command('replay')
    .description('rerun a failing conformance check from its saved transcript; exit 1 when the failure reproduces, 0 when it does not')
    .argument('<file>', 'a transcript saved by talkbench conform (transcripts-*/CHECK.json)')
    .requiredOption('--target <host:port>', 'the server to replay against')
    .option('--timeout <duration>', 'wait for each expected frame or line (default: the recorded run\'s)')
    .action(async (file: string, flags: { target: string; timeout?: string }) => {
      const targets = parseTargets(flags.target);
      if (targets.length !== 1) throw new UsageError('--target: replay against one host:port');
      // The same reading of a time as every other flag (a unit is required) [D-UNITS].
      const read = flags.timeout === undefined ? null : duration({ positive: true }).word.safeParse(flags.timeout);
      if (read !== null && !read.success) throw new UsageError(`--timeout ${flags.timeout}: ${read.error.issues[0]?.message ?? 'not a duration'}`);
      const timeoutMs = read?.data;
      const { replay } = await import('../conformance/run/replay.js');
      process.exitCode = await replay(file, targets[0]!, { out: (line) => process.stdout.write(`${line}\n`) }, timeoutMs === undefined ? {} : { timeoutMs });
    });
}

// `talkbench report RESULT.json [--md FILE] [--junit FILE]`: a result file rendered for people (the
// terminal summary, Markdown for pull requests and job summaries) and for CI (JUnit). The renderer
// follows the file's kind [D-RESULT]; a broken file, another kind or a newer schema is one clear
// error, exit 2. Rendering a failed run is not a failure: the exit is 0 once the reports are written.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { conformanceSummary } from '../reports/render/conformance-console.js';
import { formatJUnit } from '../reports/render/conformance-junit.js';
import { hdrFiles } from '../reports/render/hdr-files.js';
import { loadJUnit } from '../reports/render/load-junit.js';
import { formatSummary } from '../reports/render/load-summary.js';
import { conformanceMarkdown, loadMarkdown } from '../reports/render/markdown.js';
import { initHistograms } from '../reports/schema/histogram.js';
import { readAnyResult, ResultFileError } from '../reports/schema/read-result.js';
import { UsageError } from '../util/errors.js';
import { EXIT } from '../util/exit-codes.js';
import { join } from 'node:path';

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

export function reportCommand(): Command {
  return new Command('report')
    .description('render a result file (load or conformance): the summary here, Markdown and JUnit on request')
    .argument('<result>', 'a file written by talkbench load --out, merge --out or conform --json')
    .option('--md <file>', 'write a Markdown report (pull-request comments, $GITHUB_STEP_SUMMARY)')
    .option('--junit <file>', 'write JUnit XML (load: a testcase per threshold and one for the run; conformance: one per check)')
    .option('--hdr <dir>', "load results: each operation's histograms in HdrHistogram's formats (OP.hlog interval log, OP.corrected.hgrm and OP.uncorrected.hgrm)")
    .action(async (file: string, flags: { md?: string; junit?: string; hdr?: string }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new ResultFileError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message}`);
      }
      await initHistograms();
      const read = readAnyResult(text, file);
      const out = (line: string): void => { process.stdout.write(`${line}\n`); };
      if (read.kind === 'load') {
        out(formatSummary(read.result));
        if (flags.md) await write(flags.md, loadMarkdown(read.result));
        if (flags.junit) await write(flags.junit, loadJUnit(read.result));
        if (flags.hdr) {
          const files = hdrFiles(read.result);
          for (const f of files) await write(join(flags.hdr, f.name), f.text);
          out(`${files.length} HdrHistogram files written to ${flags.hdr}/`);
        }
      } else {
        if (flags.hdr) throw new UsageError(`--hdr: ${file} is a conformance result, which has no latency histograms`);
        out(conformanceSummary(read.result));
        if (flags.md) await write(flags.md, conformanceMarkdown(read.result));
        if (flags.junit) await write(flags.junit, formatJUnit(read.result));
      }
      for (const [f, what] of [[flags.md, 'Markdown'], [flags.junit, 'JUnit']] as const) if (f) out(`${what} written to ${f}`);
      process.exitCode = EXIT.ok;
    });
}

// `talkbench report RESULT.json [--html FILE] [--md FILE] [--junit FILE]`: a result file rendered for
// people (the terminal summary, one self-contained HTML page, Markdown for pull requests and job
// summaries) and for CI (JUnit). The renderer
// follows the file's kind [D-RESULT]; a broken file, another kind or a newer schema is one clear
// error, exit 2. Rendering a failed run is not a failure: the exit is 0 once the reports are written.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
import { count } from '../util/option-kinds.js';
import { EXIT } from '../util/exit-codes.js';
import { compareConformance, compareLoads, type CompareSettings } from '../reports/compare/compare-results.js';
import { comparisonMarkdown, comparisonSummary } from '../reports/render/comparison.js';
import { comparisonResultSchema, type ComparisonResult } from '../reports/schema/comparison-result.js';
import { VERSION } from './version.js';
import { comparisonHtml } from '../reports/render/html/comparison-html.js';
import { conformanceHtml } from '../reports/render/html/conformance-html.js';
import { loadHtml } from '../reports/render/html/load-html.js';

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

interface ReportFlags {
  html?: string; md?: string; junit?: string; hdr?: string; compare?: boolean; tolerance: string; confidence: string; resamples: string; seed: string;
  allowConfigChange?: boolean; failOnInconclusive?: boolean; out?: string;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ResultFileError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message}`);
  }
}

/** `10%` or `0.1`, as a fraction in (0, 1). */
function fraction(flag: string, word: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(word.trim());
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
  if (!(v > 0 && v < 1)) throw new UsageError(`${flag} ${word}: give a percentage between 0 and 100 (10%) or a fraction (0.1)`);
  return v;
}

/** A whole number, read as every count flag is (util/option-kinds.ts). */
function whole(flag: string, word: string, min: number): number {
  const read = count(min).word.safeParse(word);
  if (!read.success) throw new UsageError(`${flag} ${word}: ${read.error.issues[0]?.message ?? `give a whole number ≥ ${min}`}`);
  return read.data;
}

async function compare(files: string[], flags: ReportFlags, out: (line: string) => void): Promise<number> {
  if (files.length !== 2) throw new UsageError(`--compare takes two result files, BASE then NEW, not ${files.length}`);
  const settings: CompareSettings = {
    tolerance: fraction('--tolerance', flags.tolerance), confidence: fraction('--confidence', flags.confidence),
    resamples: whole('--resamples', flags.resamples, 20), seed: whole('--seed', flags.seed, 0),
    failOnInconclusive: flags.failOnInconclusive === true, allowConfigChange: flags.allowConfigChange === true, toolVersion: VERSION,
  };
  const [base, next] = [readAnyResult(await readText(files[0]!), files[0]!), readAnyResult(await readText(files[1]!), files[1]!)];
  let result: ComparisonResult;
  if (base.kind === 'load' && next.kind === 'load') result = compareLoads(base.result, next.result, [files[0]!, files[1]!], settings);
  else if (base.kind === 'conformance' && next.kind === 'conformance') result = compareConformance(base.result, next.result, [files[0]!, files[1]!], settings);
  else throw new UsageError(`--compare: ${files[0]} is a ${base.kind} result and ${files[1]} a ${next.kind} result: compare two of one kind`);
  comparisonResultSchema.parse(result);
  out(comparisonSummary(result));
  if (flags.html) await write(flags.html, comparisonHtml(result));
  if (flags.md) await write(flags.md, comparisonMarkdown(result));
  if (flags.out) await write(flags.out, `${JSON.stringify(result, null, 2)}\n`);
  for (const [f, what] of [[flags.html, 'HTML'], [flags.md, 'Markdown'], [flags.out, 'comparison']] as const) if (f) out(`${what} written to ${f}`);
  return result.exitCode;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('render a result file (load, conformance or comparison): the summary here, HTML, Markdown and JUnit on request')
    .argument('<results...>', 'a file written by talkbench load --out, merge --out or conform --json (two with --compare: BASE NEW)')
    .option('--html <file>', 'write one self-contained HTML page (charts in inline SVG; needs no network)')
    .option('--md <file>', 'write a Markdown report (pull-request comments, $GITHUB_STEP_SUMMARY)')
    .option('--junit <file>', 'write JUnit XML (load: a testcase per threshold and one for the run; conformance: one per check)')
    .option('--hdr <dir>', "load results: each operation's histograms in HdrHistogram's formats (OP.hlog interval log, OP.corrected.hgrm and OP.uncorrected.hgrm)")
    .option('--compare', 'compare two results of one kind, BASE then NEW [D-COMPARE]: exit 6 on a regression')
    .option('--tolerance <percent>', 'with --compare: a change within this is unchanged', '10%')
    .option('--confidence <percent>', 'with --compare: the confidence of the intervals', '95%')
    .option('--resamples <n>', 'with --compare: bootstrap resamples of whole seconds', '200')
    .option('--seed <n>', 'with --compare: seed of the resampling', '1')
    .option('--allow-config-change', 'with --compare: compare runs of different workloads anyway')
    .option('--fail-on-inconclusive', 'with --compare: a percentile the data cannot judge fails too (exit 6)')
    .option('--out <file>', 'with --compare: write the comparison (kind comparison) here')
    .action(async (files: string[], flags: ReportFlags) => {
      await initHistograms();
      const out = (line: string): void => { process.stdout.write(`${line}\n`); };
      if (flags.compare) {
        process.exitCode = await compare(files, flags, out);
        return;
      }
      if (files.length !== 1) throw new UsageError(`report takes one result file (two with --compare), not ${files.length}`);
      const file = files[0]!;
      const read = readAnyResult(await readText(file), file);
      if (read.kind === 'load') {
        out(formatSummary(read.result));
        if (flags.html) await write(flags.html, loadHtml(read.result));
        if (flags.md) await write(flags.md, loadMarkdown(read.result));
        if (flags.junit) await write(flags.junit, loadJUnit(read.result));
        if (flags.hdr) {
          const files = hdrFiles(read.result);
          for (const f of files) await write(join(flags.hdr, f.name), f.text);
          out(`${files.length} HdrHistogram files written to ${flags.hdr}/`);
        }
      } else if (read.kind === 'comparison') {
        if (flags.hdr || flags.junit) throw new UsageError(`${flags.hdr ? '--hdr' : '--junit'}: ${file} is a comparison; render its two results instead`);
        out(comparisonSummary(read.result));
        if (flags.html) await write(flags.html, comparisonHtml(read.result));
        if (flags.md) await write(flags.md, comparisonMarkdown(read.result));
      } else {
        if (flags.hdr) throw new UsageError(`--hdr: ${file} is a conformance result, which has no latency histograms`);
        out(conformanceSummary(read.result));
        if (flags.html) await write(flags.html, conformanceHtml(read.result));
        if (flags.md) await write(flags.md, conformanceMarkdown(read.result));
        if (flags.junit) await write(flags.junit, formatJUnit(read.result));
      }
      for (const [f, what] of [[flags.html, 'HTML'], [flags.md, 'Markdown'], [flags.junit, 'JUnit']] as const) if (f) out(`${what} written to ${f}`);
      process.exitCode = EXIT.ok;
    });
}

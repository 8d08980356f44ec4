// `npm run bench [-- micro|anchors|scale|conform|wake ...]`: benchmarks that print figures (never tests). With no
// names: micro and anchors. Figures are also written to benchmarks/figures/ as JSON and Markdown.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { ANCHOR, anchorsAvailable } from './perf/processes.js';
import { runAnchors, type AnchorFigures } from './perf/anchors.js';
import { runScale } from './perf/scale.js';
import { runConformBenchmark } from './perf/conform.js';
import { runWake } from './perf/wake.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = names.length > 0 ? names : ['micro', 'anchors'];
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const log = (line: string): void => { process.stdout.write(`${line}\n`); };

function table(figures: readonly AnchorFigures[]): string {
  const value = (f: AnchorFigures, v: number): string => (f.unit === 'ms' ? v.toFixed(3) : Math.round(v).toLocaleString('en-US'));
  const rows = figures.map((f) => `| ${f.name} | ${f.anchor.map((v) => value(f, v)).join(', ')} | ${f.talkbench.map((v) => value(f, v)).join(', ')} | ${f.ratio.toFixed(2)} | ${f.target} |`);
  const notes = figures.filter((f) => (f.notes ?? []).length > 0).map((f) => `- ${f.name}: ${f.notes!.join('; ')}`);
  return ['| measure | anchor runs | talkbench runs | ratio of medians | target |', '|---|---|---|---|---|', ...rows, '', ...notes].join('\n');
}

async function report(name: string, data: unknown, markdown: string): Promise<void> {
  const dir = join(ROOT, 'benchmarks/figures');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}-${stamp}.json`), JSON.stringify(data, null, 1) + '\n');
  await writeFile(join(dir, `${name}-${stamp}.md`), markdown + '\n');
  log(`written: benchmarks/figures/${name}-${stamp}.json and .md`);
}

/** One benchmark; a run that fails is reported as failed (exit 1) and the others still run, never a stack trace. */
async function runBenchmark(name: string): Promise<void> {
  try {
    await runNamed(name);
  } catch (err) {
    log(`${name}: FAILED: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

for (const name of selected) await runBenchmark(name);

async function runNamed(name: string): Promise<void> {
  if (name === 'micro') {
    const args = process.argv.includes('--quick') ? ['--quick'] : [];
    await new Promise((done) => spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'benchmarks/micro/run.ts'), ...args], { stdio: 'inherit' }).on('exit', done));
  } else if (name === 'anchors') {
    if (!anchorsAvailable()) { log(`anchors: ${ANCHOR} not found (set TALKBENCH_ANCHORS to the folder of anchor.sh); skipped`); return; }
    const rounds = process.argv.includes('--quick') ? 1 : 3;
    const { figures, environment } = await runAnchors(rounds, log);
    const markdown = `# Anchors ${stamp}\n\n${table(figures)}\n\nEnvironment: ${JSON.stringify(environment)}\n`;
    log(markdown);
    await report('anchors', { kind: 'benchmark', name: 'anchors', figures, environment }, markdown);
  } else if (name === 'scale') {
    const result = await runScale(log, process.argv.includes('--quick'));
    await report('scale', { kind: 'benchmark', name: 'scale', ...result }, result.markdown);
  } else if (name === 'conform') {
    const { figures, markdown } = await runConformBenchmark(log, process.argv.includes('--quick') ? 1 : 3);
    log(markdown);
    await report('conform', { kind: 'benchmark', name: 'conform', ...(figures as object) }, markdown);
  } else if (name === 'wake') {
    const { figures, markdown } = await runWake(process.argv.includes('--quick') ? 1 : 3, log);
    log(markdown);
    await report('wake', { kind: 'benchmark', name: 'wake', figures }, `# Wake-ups ${stamp}\n\n${markdown}`);
  } else {
    log(`unknown benchmark "${name}": use micro, anchors, scale, conform or wake`);
    process.exitCode = 2;
  }
}

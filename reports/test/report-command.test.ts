// `talkbench report` on recorded results of both kinds [D-RESULT]: the terminal summary, Markdown and
// JUnit that other tools parse; an older load result read through its migration [D-SCHEMA]; and a
// broken file, another kind or a newer version refused with one clear line, exit 2.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runTalkbench } from '../../test-support/talkbench-cli.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const v2 = (name: string): string => fileURLToPath(new URL(`../schema/test/fixtures/${name}`, import.meta.url));
const report = (args: string[]) => runTalkbench(['report', ...args]).done;
const parseXml = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testcase', 'testsuite', 'property'].includes(n) }).parse(xml);

let dir = '';
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'tb-report-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('talkbench report: a load result', () => {
  test('the summary, a Markdown report with the verdict first, and JUnit with a testcase per threshold and one for the run', async () => {
    const md = join(dir, 'load.md');
    const xml = join(dir, 'load.xml');
    const run = await report([fixture('v3-load.json'), '--md', md, '--junit', xml]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^operation +sent +ok/m);
    expect(run.stdout).toMatch(/threshold ok +chat\.e2e\.p99<1s/);
    expect(run.stdout).toMatch(/result: passed \(exit 0\)/);
    const markdown = await readFile(md, 'utf8');
    expect(markdown.split('\n')[0]).toBe('## ✅ talkbench load: passed (exit 0)');
    expect(markdown).toMatch(/^\| chat\.e2e \| 60 \| 60 \| 0 \| 0 \| 0 \|/m);
    // `<` is escaped, so no cell reads as HTML.
    expect(markdown).toMatch(/^\| ✅ \| chat\.e2e\.p99&lt;1s \| 1\.476 \|$/m);
    const junit = await readFile(xml, 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    const suite = parseXml(junit).testsuites.testsuite[0];
    expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual(['threshold errors==0 (default)', 'threshold chat.e2e.p99<1s', 'run']);
    expect(Number(suite.failures)).toBe(0);
  });

  test('a run that failed: its crossed threshold and its reason are JUnit failures, and the Markdown says so first', async () => {
    const result = JSON.parse(await readFile(fixture('v3-load.json'), 'utf8'));
    result.thresholds[1] = { ...result.thresholds[1], passed: false };
    result.status = 'target-failed';
    result.exitCode = 4;
    result.failures = [{ code: 'target-failed-mid-run', target: '127.0.0.1:1', message: 'every connection lost' }, { code: 'threshold-crossed', threshold: 'chat.e2e.p99<1s', message: 'crossed' }];
    result.reasons = ['every connection lost'];
    const file = join(dir, 'failed.json');
    await writeFile(file, JSON.stringify(result));
    const md = join(dir, 'failed.md');
    const xml = join(dir, 'failed.xml');
    const run = await report([file, '--md', md, '--junit', xml]);
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(md, 'utf8')).split('\n')[0]).toBe('## ❌ talkbench load: target-failed (exit 4)');
    const suite = parseXml(await readFile(xml, 'utf8')).testsuites.testsuite[0];
    expect(Number(suite.failures)).toBe(2);
    const runCase = suite.testcase.find((c: { name: string }) => c.name === 'run');
    expect(runCase.failure.type).toBe('target-failed-mid-run');
  });

  test('a result of schema version 2 (a baseline kept by an older talkbench) is read through its migration', async () => {
    const run = await report([v2('v2-load.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^result: /m);
  });
});

describe('talkbench report --hdr: histograms for HdrHistogram tools', () => {
  test('an interval log per operation that HistogramLogReader reads back, second by second, with every count; percentile distributions in ms', async () => {
    const out = join(dir, 'hdr');
    const run = await report([fixture('v3-load.json'), '--hdr', out]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(await readFile(fixture('v3-load.json'), 'utf8'));
    const samples = result.timeSeries.filter((s: { ops: Record<string, unknown> }) => s.ops['chat.e2e'] !== undefined);
    const log = await readFile(join(out, 'chat.e2e.hlog'), 'utf8');
    const reader = new hdr.HistogramLogReader(log);
    const counts: number[] = [];
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) counts.push(h.totalCount);
    expect(counts).toHaveLength(samples.length);
    const perSecond = samples.map((s: { ops: Record<string, { histogram: string }> }) => hdr.decodeFromCompressedBase64(s.ops['chat.e2e']!.histogram).totalCount);
    expect(counts).toEqual(perSecond);
    expect(hdr.listTags(log).sort()).toEqual([...new Set(samples.map((s: { phase: string }) => s.phase))].sort());
    const hgrm = await readFile(join(out, 'chat.e2e.corrected.hgrm'), 'utf8');
    expect(hgrm).toMatch(/Value +Percentile +TotalCount +1\/\(1-Percentile\)/);
    expect(hgrm).toMatch(/#\[Mean += +[\d.]+, StdDeviation/);
    // The last line of the distribution counts every chat, like the summary.
    expect(hgrm).toMatch(new RegExp(`#\\[Max += +[\\d.]+, Total count += +${result.ops['chat.e2e'].ok}\\]`));
  });

  test('on a conformance result it is a usage error', async () => {
    const run = await report([fixture('conformance-passing-chat.json'), '--hdr', join(dir, 'x')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--hdr: .* is a conformance result/);
  });
});

describe('talkbench report: a conformance result', () => {
  test('passing: the checks, the totals; Markdown and JUnit with one testcase per check', async () => {
    const md = join(dir, 'chat.md');
    const xml = join(dir, 'chat.xml');
    const run = await report([fixture('conformance-passing-chat.json'), '--md', md, '--junit', xml]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^PASS +MUST +chat\.send\.exact-data/m);
    expect(run.stdout).toMatch(/result: passed \(exit 0\)/);
    const result = JSON.parse(await readFile(fixture('conformance-passing-chat.json'), 'utf8'));
    expect((await readFile(md, 'utf8')).split('\n')[0]).toMatch(/^## ✅ talkbench conform: CHAT\/1\.0 at /);
    const suite = parseXml(await readFile(xml, 'utf8')).testsuites.testsuite[0];
    expect(suite.testcase).toHaveLength(result.checks.length);
  });

  test('failing: what was expected and what came, the smallest example, the rerun command', async () => {
    const md = join(dir, 'failing.md');
    const run = await report([fixture('conformance-failing-im.json'), '--md', md]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^TIMEOUT +MUST +im\.frame\.split-anywhere/m);
    expect(run.stdout).toMatch(/smallest example \(seed 11, path [\d:]+/);
    expect(run.stdout).toMatch(/rerun +talkbench conform --target/);
    expect(run.stdout).toMatch(/result: failed \(exit 1\)/);
    const markdown = await readFile(md, 'utf8');
    expect(markdown).toMatch(/### Checks that did not pass/);
    expect(markdown).toMatch(/\| `im\.frame\.split-anywhere` \| MUST \| TIMEOUT \|/);
  });
});

describe('talkbench report: files it cannot read exit 2 with one line', () => {
  test.each([
    ['not JSON', '{"kind": "load",', /not JSON/],
    ['another kind', '{"kind": "benchmark", "schemaVersion": 1}', /kind: "benchmark" is not a kind this talkbench reads/],
    ['a newer conformance schema', null, /schemaVersion: 99 \(written by talkbench [^)]+\) is too new: this talkbench reads conformance results of schema version 1/],
    ['a field of the wrong type', 'wrong-type', /checks\[0\]\.outcome/],
  ] as const)('%s', async (_name, content, message) => {
    let text: string | null = content;
    if (content === null || content === 'wrong-type') {
      const result = JSON.parse(await readFile(fixture('conformance-passing-chat.json'), 'utf8'));
      if (content === null) result.schemaVersion = 99;
      else result.checks[0].outcome = 'MAYBE';
      text = JSON.stringify(result);
    }
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, text!);
    const run = await report([file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('a file that is not there', async () => {
    const run = await report([join(dir, 'nowhere.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nowhere\.json: no such file/);
  });
});

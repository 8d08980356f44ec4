// `talkbench conform` as a user or CI runs it, against real servers over loopback: the verdicts and
// exit codes of [D-CONFORM] [D-EXIT], and reports that other tools can read (the JSON against the
// committed JSON Schema, the JUnit through an XML parser).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conformanceResultSchema, type ConformanceResult } from '../../reports/schema/conformance-result.js';
import { runTalkbench } from '../../test-support/talkbench-cli.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { startSilentServer } from '../../test-support/doubles/silent-server.js';

let server: TestServer;
let beServer: TestServer;
let dir = '';
const IDLE_MS = 2000;

beforeAll(async () => {
  // A short idle timeout, told to the IM run, so that its idle check runs too.
  [server, beServer] = await Promise.all([startTestServer({ logLevel: 'error', idleTimeoutMs: IDLE_MS }), startTestServer({ logLevel: 'error', layout: 'be', chatPort: null })]);
  dir = await mkdtemp(join(tmpdir(), 'tb-conform-'));
});
afterAll(async () => {
  await Promise.all([server.close(), beServer.close()]);
  await rm(dir, { recursive: true, force: true });
});

const conform = (args: string[]) => runTalkbench(['conform', ...args], { cwd: dir }).done;
const readResult = async (file: string): Promise<ConformanceResult> => conformanceResultSchema.parse(JSON.parse(await readFile(file, 'utf8')));

describe('talkbench conform against the reference server', () => {
  test('IM: exit 0, every check PASS; the JSON validates against docs/schema/conformance.schema.json; the JUnit parses with one testcase per check', async () => {
    const json = join(dir, 'im.json');
    const junit = join(dir, 'im.xml');
    const run = await conform(['--target', `127.0.0.1:${server.imPort}`, '--runs', '5', '--seed', '7', '--idle-timeout', `${IDLE_MS}ms`, '--json', json, '--junit', junit]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/result: passed \(exit 0\)/);
    const result = await readResult(json);
    expect(result.checks.length).toBeGreaterThan(0);
    expect(result.checks.every((c) => c.outcome === 'PASS'), JSON.stringify(result.checks.filter((c) => c.outcome !== 'PASS'))).toBe(true);
    expect(result.settings.seed).toBe(7);
    expect(result.totals.PASS).toBe(result.checks.length);
    expect(result.connectionsOpened).toBeGreaterThan(result.checks.length);

    const schema = JSON.parse(await readFile(new URL('../../docs/schema/conformance.schema.json', import.meta.url), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(await readFile(json, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);

    const xml = await readFile(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testcase', 'property', 'testsuite'].includes(name) }).parse(xml);
    const suite = parsed.testsuites.testsuite[0];
    expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual(result.checks.map((c) => c.id));
    expect(Number(suite.tests)).toBe(result.checks.length);
    expect(Number(suite.failures) + Number(suite.errors)).toBe(0);
    const level = suite.testcase[0].properties.property.find((p: { name: string }) => p.name === 'level');
    expect(level.value).toBe(result.checks[0]!.level);
  });

  test('CHAT/1.0: exit 0', async () => {
    const run = await conform(['--target', `127.0.0.1:${server.chatPort}`, '--protocol', 'chat', '--runs', '5']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});

describe('talkbench conform: runs that must not be green', () => {
  test('an empty selection exits 2, and so does an unknown check id', async () => {
    const empty = await conform(['--target', `127.0.0.1:${server.imPort}`, '--only', 'im.frame', '--skip', 'im.frame']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/the selection is empty/);
    const typo = await conform(['--target', `127.0.0.1:${server.imPort}`, '--only', 'im.frame.coalesce']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--only im\.frame\.coalesce: no check has this id or prefix/);
  });

  test('a closed port exits 3, naming it', async () => {
    const run = await conform(['--target', '127.0.0.1:1', '--only', 'im.frame.coalesced']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/refused the connection/);
  });

  test('a server that answers nothing exits 3, never 0', async () => {
    const silent = await startSilentServer();
    try {
      const run = await conform(['--target', `127.0.0.1:${silent.port}`, '--only', 'im.frame.coalesced', '--timeout', '500ms']);
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(/did not answer/);
    } finally {
      await silent.close();
    }
  });

  test('the other frame layout is named by the preflight, once, exit 3', async () => {
    const run = await conform(['--target', `127.0.0.1:${beServer.imPort}`]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^preflight: .*it answers IM frames of the be layout: use --layout be$/m);
    // One error, not a failure per check.
    expect(run.stdout).not.toMatch(/^(FAIL|TIMEOUT) /m);
  });

  test('a CHAT/1.0 server given to --protocol im, and an IM server given to --protocol chat, are named: exit 3', async () => {
    const asIm = await conform(['--target', `127.0.0.1:${server.chatPort}`, '--only', 'im.frame.coalesced']);
    expect(asIm.code).toBe(3);
    expect(asIm.stdout).toMatch(/it speaks CHAT\/1\.0: use --protocol chat/);
    const asChat = await conform(['--target', `127.0.0.1:${server.imPort}`, '--protocol', 'chat', '--only', 'chat.send']);
    expect(asChat.code).toBe(3);
    expect(asChat.stdout).toMatch(/it speaks the IM protocol \(layout le\): use --protocol im/);
  });

  test('a known failure that passes fails the run (exit 1) as stale; an id not in the catalogue exits 2', async () => {
    const list = join(dir, 'known.txt');
    await writeFile(list, '# passes against the reference server\nim.frame.coalesced\n');
    const run = await conform(['--target', `127.0.0.1:${server.imPort}`, '--only', 'im.frame.coalesced', '--known-failures', list]);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/known failure, but it passed/);
    await writeFile(list, 'im.frame.no-such-check\n');
    const bad = await conform(['--target', `127.0.0.1:${server.imPort}`, '--known-failures', list]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/known\.txt:1: "im\.frame\.no-such-check" is not a check id/);
  });

  test('every bad flag is reported at once, exit 2', async () => {
    const run = await conform(['--target', 'nowhere', '--runs', '0', '--unanswered', 'bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--target/);
    expect(run.stderr).toMatch(/--runs/);
    expect(run.stderr).toMatch(/--unanswered/);
  });

  test('--list prints the catalogue without a target', async () => {
    const run = await conform(['--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^im\.frame\.coalesced +MUST +IM-FRAME-3 IM-FRAME-5$/m);
  });
});

describe('talkbench conform: a failing check', () => {
  test('against a server that ignores ids that are not requests: the failure names what came, how to rerun it, and its saved transcript', async () => {
    // The original double keeps reading after a frame of an id that is not a request.
    const { startOriginalImServer } = await import('../../test-support/doubles/original-im-server.js');
    const original = await startOriginalImServer();
    try {
      const json = join(dir, 'fail.json');
      const run = await conform(['--target', `127.0.0.1:${original.port}`, '--only', 'im.frame.non-request-id', '--timeout', '500ms', '--json', json]);
      expect(run.code, run.stdout).toBe(1);
      expect(run.stdout).toMatch(/TIMEOUT +MUST +im\.frame\.non-request-id/);
      expect(run.stdout).toMatch(/expected the connection closed after a frame of id 0/);
      expect(run.stdout).toMatch(/rerun +talkbench conform --target 127\.0\.0\.1:\d+ --protocol im --layout le --seed \d+ --only im\.frame\.non-request-id/);
      const result = await readResult(json);
      // --timeout below the probes' own 2 s is honoured (raised only to ten round trips).
      expect(result.settings.timeoutMs).toBeGreaterThanOrEqual(500);
      expect(result.settings.timeoutMs).toBeLessThan(2000);
      const check = result.checks[0]!;
      expect(check.transcriptFile).not.toBeNull();
      const saved = JSON.parse(await readFile(check.transcriptFile!.startsWith('/') ? check.transcriptFile! : join(dir, check.transcriptFile!), 'utf8'));
      expect(saved.check).toBe('im.frame.non-request-id');
      expect(saved.events.some((e: { direction: string }) => e.direction === 'sent')).toBe(true);
      expect((await readdir(join(dir))).some((f) => f.startsWith('transcripts-'))).toBe(true);

      // The saved transcript replays: the failure reproduces against the same server (exit 1), and
      // no longer against the reference server (exit 0).
      const file = check.transcriptFile!.startsWith('/') ? check.transcriptFile! : join(dir, check.transcriptFile!);
      const again = await runTalkbench(['replay', file, '--target', `127.0.0.1:${original.port}`, '--timeout', '500ms']).done;
      expect(again.code, again.stdout + again.stderr).toBe(1);
      expect(again.stdout).toMatch(/the failure reproduces \(TIMEOUT/);
      const fixed = await runTalkbench(['replay', file, '--target', `127.0.0.1:${server.imPort}`]).done;
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      expect(fixed.stdout).toMatch(/no longer reproduces/);
      const notATranscript = await runTalkbench(['replay', json, '--target', `127.0.0.1:${server.imPort}`]).done;
      expect(notATranscript.code).toBe(2);
      expect(notATranscript.stderr).toMatch(/not a conformance transcript/);
    } finally {
      await original.close();
    }
  });
});

describe('talkbench replay of a property that a mutant fails', () => {
  test('the shrunk example of im.frame.split-anywhere against a server that ignores partial reads: saved with its fast-check path, replayed by it (exit 1), and passing against the reference server (exit 0)', async () => {
    const { IM_MUTANTS } = await import('./mutants/im-mutants.js');
    const mutant = IM_MUTANTS.find((m) => m.name === 'im-partial-reads-ignored')!;
    const running = await mutant.start();
    try {
      const json = join(dir, 'partial.json');
      const maxBody = String(running.profile?.maxBodyBytes ?? 16 * 1024 * 1024);
      const run = await conform(['--target', `127.0.0.1:${running.port}`, '--max-body', maxBody, '--only', 'im.frame.split-anywhere', '--seed', '11', '--runs', '10', '--timeout', '300ms', '--json', json]);
      expect(run.code, run.stdout).toBe(1);
      expect(run.stdout).toMatch(/smallest example \(seed 11, path \d+(:\d+)*, \d+ shrinks\)/);
      const check = (await readResult(json)).checks[0]!;
      expect(check.fastCheck?.path).toMatch(/^\d+(:\d+)*$/);
      const file = check.transcriptFile!.startsWith('/') ? check.transcriptFile! : join(dir, check.transcriptFile!);
      const again = await runTalkbench(['replay', file, '--target', `127.0.0.1:${running.port}`]).done;
      expect(again.code, again.stdout + again.stderr).toBe(1);
      expect(again.stdout).toMatch(/fast-check path \d+/);
      expect(again.stdout).toMatch(/the failure reproduces/);
      const fixed = await runTalkbench(['replay', file, '--target', `127.0.0.1:${server.imPort}`]).done;
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      expect(fixed.stdout).toMatch(/no longer reproduces/);
    } finally {
      await running.close();
    }
    // Shrinking waits out a timeout at every failing try.
  }, 120_000);
});

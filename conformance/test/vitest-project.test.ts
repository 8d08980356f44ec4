// The suite as vitest tests [D-CONFORM]: the `conformance` project of this repository against a target
// named in TALKBENCH_TARGET (and visibly skipped without one), and the same from another project that
// installed the packed tarball, as a team gating with vitest would (the `files` list and `exports`).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');

let server: TestServer;
let scratch = '';
beforeAll(async () => { server = await startTestServer({ logLevel: 'error' }); });
afterAll(async () => {
  await server.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Output without its colours. */
const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Runs vitest in `cwd`; resolves with its exit code and output whatever the code. */
async function vitest(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [VITEST, 'run', '--reporter', 'verbose', ...args], { cwd, env: { ...process.env, ...env, CI: 'true' }, timeout: 120_000 });
    return { code: 0, out: plain(stdout + stderr) };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: plain(`${e.stdout ?? ''}${e.stderr ?? ''}`) };
  }
}

describe('the conformance vitest project', () => {
  test('against TALKBENCH_TARGET: one test per check, all passing against the reference server', async () => {
    const { code, out } = await vitest(ROOT, ['--project', 'conformance'], { TALKBENCH_TARGET: `127.0.0.1:${server.imPort}` });
    expect(code, out).toBe(0);
    expect(out).toMatch(/im\.frame\.coalesced \(MUST\)/);
    // The one check skipped is the idle timeout's, which the project is not told.
    expect(out).toMatch(/Tests\s+\d+ passed \| 1 skipped/);
    expect(out).toMatch(/im\.conn\.idle-timeout \(MUST\)/);
  }, 120_000);

  test('without TALKBENCH_TARGET it says so, and skips', async () => {
    const { code, out } = await vitest(ROOT, ['--project', 'conformance'], { TALKBENCH_TARGET: '' });
    expect(code, out).toBe(0);
    expect(out).toMatch(/TALKBENCH_TARGET is not set/);
  }, 120_000);
});

describe('the packed package, installed elsewhere', () => {
  test('a scratch project installs the tarball and runs a check from it with vitest', async () => {
    scratch = await mkdtemp(join(tmpdir(), 'tb-package-'));
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT });
    const tarball = join(scratch, stdout.trim().split('\n').at(-1)!);
    const project = join(scratch, 'project');
    await mkdir(join(project, 'test'), { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', type: 'module', private: true }));
    // vite transforms the package's TypeScript sources when told to inline it.
    await writeFile(join(project, 'vitest.config.mjs'), "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { server: { deps: { inline: ['talkbench'] } } } });\n");
    await writeFile(join(project, 'test/conformance.test.js'), "import { conformanceSuite } from 'talkbench/conformance/vitest';\nconformanceSuite({ only: ['im.frame.coalesced'] });\n");
    const vitestVersion = (JSON.parse(await readFile(join(ROOT, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version;
    // Scripts off: the suite needs no native module (better-sqlite3 is the reference server's).
    await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball, `vitest@${vitestVersion}`], { cwd: project, timeout: 180_000 });
    const { code, out } = await (async () => {
      try {
        const r = await run(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter', 'verbose'], { cwd: project, env: { ...process.env, TALKBENCH_TARGET: `127.0.0.1:${server.imPort}`, CI: 'true' }, timeout: 120_000 });
        return { code: 0, out: r.stdout + r.stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    })();
    expect(code, out).toBe(0);
    expect(out).toMatch(/im\.frame\.coalesced \(MUST\)/);
    expect(out).toMatch(/1 passed/);
  }, 300_000);
});

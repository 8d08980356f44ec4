// proto/generated/ is what proto/scripts/generate.js makes of proto/schema/*.proto today: nobody edited
// the generated code by hand, and nobody changed a .proto without regenerating.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const committed = join(root, 'proto/generated');

/** The first line where two files differ, to make a failure readable; null when identical. */
function firstDifference(committedFile: Buffer, freshFile: Buffer): { line: number; committed: string; fresh: string } | null {
  if (committedFile.equals(freshFile)) return null;
  const a = committedFile.toString('utf8').split('\n');
  const b = freshFile.toString('utf8').split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { line: i + 1, committed: a[i] ?? '<end of file>', fresh: b[i] ?? '<end of file>' };
}

describe('generated protobuf code is fresh', () => {
  let outDir = '';

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'talkbench-gen-'));
    await promisify(execFile)(process.execPath, [join(root, 'proto/scripts/generate.js'), '--out', outDir], { cwd: root });
  }, 60_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  test.each(['im.js', 'im.d.ts'])('proto/generated/%s is byte-identical to a fresh `npm run gen:proto`', async (file) => {
    const fresh = await readFile(join(outDir, file));
    const current = await readFile(join(committed, file));
    expect(firstDifference(current, fresh), `proto/generated/${file} is stale or hand-edited: run npm run gen:proto`)
      .toBeNull();
    expect(current.equals(fresh)).toBe(true);
  }, 60_000);
});

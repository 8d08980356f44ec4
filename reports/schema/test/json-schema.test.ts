// docs/schema/ is what `npm run gen:schema` makes of the zod schemas today: nobody edited a JSON
// Schema by hand, and nobody changed a result schema without regenerating [D-RESULT].
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { jsonSchemaFiles } from '../json-schema.js';
import { LOAD_SCHEMA_VERSION, loadResultSchema } from '../load-result.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** The first line where two texts differ, to make a failure readable; null when identical. */
function firstDifference(committed: string, fresh: string): { line: number; committed: string; fresh: string } | null {
  if (committed === fresh) return null;
  const a = committed.split('\n');
  const b = fresh.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { line: i + 1, committed: a[i] ?? '<end of file>', fresh: b[i] ?? '<end of file>' };
}

describe('docs/schema/ is fresh', () => {
  let outDir = '';
  afterAll(async () => { if (outDir) await rm(outDir, { recursive: true, force: true }); });

  test.each(jsonSchemaFiles().map((f) => [f.path, f.text]))('%s is what the zod schema generates', async (path, fresh) => {
    const committed = await readFile(join(root, path), 'utf8').catch(() => '<missing>');
    expect(firstDifference(committed, fresh), `${path} is stale or hand-edited: run npm run gen:schema`).toBeNull();
  });

  test('npm run gen:schema writes those files', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'talkbench-schema-'));
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'reports/schema/generate-json-schema.ts'), '--out', outDir], { cwd: root });
    for (const file of jsonSchemaFiles()) expect(await readFile(join(outDir, file.path), 'utf8'), file.path).toBe(file.text);
  }, 60_000);

  test('the load schema describes every field of the result, at the current version', () => {
    const schema = JSON.parse(jsonSchemaFiles().find((f) => f.path === 'docs/schema/load.schema.json')!.text) as { properties: Record<string, { const?: unknown }>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(loadResultSchema.shape));
    expect(schema.required).toEqual(Object.keys(loadResultSchema.shape));
    expect(schema.properties.schemaVersion!.const).toBe(LOAD_SCHEMA_VERSION);
    expect(schema.properties.kind!.const).toBe('load');
  });
});

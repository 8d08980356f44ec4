// `npm run gen:schema`: writes docs/schema/*.schema.json from the zod schemas (json-schema.ts).
// `--out DIR` writes under DIR instead of the repository's root.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from './json-schema.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const at = process.argv.indexOf('--out');
const base = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : root;

for (const file of jsonSchemaFiles()) {
  const path = join(base, file.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, file.text);
  process.stdout.write(`wrote ${path}\n`);
}

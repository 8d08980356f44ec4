// `npm run gen:conformance-doc`: rewrites the catalogue section of docs/CONFORMANCE.md from the check
// definitions (the mutant matrix is written by its test: TALKBENCH_WRITE_MATRIX=1).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from './catalogue.js';
import { writeSection } from './conformance-doc.js';
import { catalogueMarkdown } from './list.js';

const file = fileURLToPath(new URL('../../docs/CONFORMANCE.md', import.meta.url));
await writeFile(file, writeSection(await readFile(file, 'utf8'), 'catalogue', catalogueMarkdown(CATALOGUE)));
process.stdout.write(`wrote the catalogue of ${CATALOGUE.length} checks into ${file}\n`);

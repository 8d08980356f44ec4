// `--known-failures FILE` [D-CONFORM]: check ids expected to fail, one per line (`#` starts a comment).
// An id that is not in the catalogue is refused with its line: a typo would otherwise never match and
// the list would look kept while it is not.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../util/errors.js';
import type { CheckDefinition } from '../catalogue/check.js';

export function parseKnownFailures(text: string, file: string, catalogue: readonly CheckDefinition[]): Set<string> {
  const ids = new Set<string>();
  const known = new Set(catalogue.map((c) => c.id));
  for (const [i, raw] of text.split('\n').entries()) {
    const id = raw.replace(/#.*/, '').trim();
    if (id === '') continue;
    if (!known.has(id)) throw new UsageError(`${file}:${i + 1}: "${id}" is not a check id (--list shows the catalogue)`, 'BAD_KNOWN_FAILURES');
    ids.add(id);
  }
  return ids;
}

export async function readKnownFailures(file: string, catalogue: readonly CheckDefinition[]): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--known-failures ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, 'BAD_KNOWN_FAILURES');
  }
  return parseKnownFailures(text, file, catalogue);
}

// docs/CONFORMANCE.md keeps two generated sections between markers: the catalogue (from the check
// definitions) and the mutant matrix (measured by conformance/test/mutant-matrix.test.ts). Tests
// compare each with what is generated today, so the document cannot drift from the suite.
export type DocSection = 'catalogue' | 'matrix';

const markers = (name: DocSection): [string, string] => [`<!-- generated:${name}:start -->`, `<!-- generated:${name}:end -->`];

/** The text between a section's markers, or null when the document lacks them. */
export function readSection(doc: string, name: DocSection): string | null {
  const [start, end] = markers(name);
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) return null;
  return doc.slice(a + start.length, b).replace(/^\n/, '').replace(/\n$/, '');
}

/** The document with a section's text replaced (the markers must be there). */
export function writeSection(doc: string, name: DocSection, text: string): string {
  const [start, end] = markers(name);
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`the document has no ${start} ... ${end} markers`);
  return `${doc.slice(0, a + start.length)}\n${text}\n${doc.slice(b)}`;
}

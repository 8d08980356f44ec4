// The catalogue is sound: ids are unique and well-formed, levels are the keywords of the requirements
// they cite, every requirement id exists in docs/PROTOCOL.md, and docs/CONFORMANCE.md shows exactly
// the catalogue the code defines.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CATALOGUE } from '../catalogue/catalogue.js';
import { readSection } from '../catalogue/conformance-doc.js';
import { catalogueMarkdown, formatCatalogue } from '../catalogue/list.js';
import { LEVELS } from '../catalogue/check.js';

const protocolDoc = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8');
const conformanceDoc = readFileSync(new URL('../../docs/CONFORMANCE.md', import.meta.url), 'utf8');

describe('the catalogue', () => {
  test('ids are unique, protocol.area.name, lower case with dashes', () => {
    const ids = CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(im|chat)\.[a-z0-9-]+\.[a-z0-9-]+$/);
  });

  test('every check has a level, a requirement sentence, a description, and requirement ids that docs/PROTOCOL.md defines', () => {
    for (const c of CATALOGUE) {
      expect(LEVELS).toContain(c.level);
      expect(c.requirement.length, c.id).toBeGreaterThan(10);
      expect(c.description.length, c.id).toBeGreaterThan(10);
      expect(c.requirements.length, c.id).toBeGreaterThan(0);
      for (const r of c.requirements) expect(protocolDoc, `${c.id} cites ${r}`).toContain(`**[${r}]**`);
    }
  });

  test('the level of a check is a keyword of a requirement it cites [D-LEVELS] (a requirement without one is checked like a MUST)', () => {
    const paragraph = (id: string): string => {
      const start = protocolDoc.indexOf(`**[${id}]**`);
      const rest = protocolDoc.slice(start + 4);
      const end = rest.search(/\*\*\[[A-Z]+-[A-Z]+-\d+\]\*\*|\n#/);
      return rest.slice(0, end < 0 ? undefined : end);
    };
    for (const c of CATALOGUE.filter((check) => check.level !== 'INFO')) {
      const texts = c.requirements.map(paragraph);
      const fits = c.level === 'SHOULD'
        ? texts.some((t) => /\bSHOULD\b/.test(t))
        : texts.some((t) => /\bMUST\b/.test(t) || !/\bSHOULD\b/.test(t));
      expect(fits, `${c.id} is ${c.level}, but none of ${c.requirements.join(', ')} says ${c.level}`).toBe(true);
    }
  });

  test('--list shows every check', () => {
    const text = formatCatalogue(CATALOGUE).join('\n');
    for (const c of CATALOGUE) expect(text).toContain(c.id);
  });

  test('docs/CONFORMANCE.md shows the catalogue the code defines (npm run gen:conformance-doc)', () => {
    expect(readSection(conformanceDoc, 'catalogue'), 'the catalogue section is stale: run npm run gen:conformance-doc').toBe(catalogueMarkdown(CATALOGUE));
  });
});

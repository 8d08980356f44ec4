// The JSON Schema of each result kind, generated from its zod schema [D-RESULT]: what tools outside
// talkbench validate result files against. docs/schema/ holds the committed copies (npm run
// gen:schema); a test fails when they are not what this generates.
import { z } from 'zod';
import { comparisonResultSchema } from './comparison-result.js';
import { conformanceResultSchema } from './conformance-result.js';
import { loadResultSchema } from './load-result.js';

/** Where each file goes, from the repository's root, and its text. */
export function jsonSchemaFiles(): { path: string; text: string }[] {
  // `input`: what a file may hold. A reader takes fields it does not know and drops them, so the
  // schema does not forbid them either.
  const load = z.toJSONSchema(loadResultSchema, { target: 'draft-2020-12', io: 'input' });
  const conformance = z.toJSONSchema(conformanceResultSchema, { target: 'draft-2020-12', io: 'input' });
  const comparison = z.toJSONSchema(comparisonResultSchema, { target: 'draft-2020-12', io: 'input' });
  return [
    { path: 'docs/schema/load.schema.json', text: `${JSON.stringify(load, null, 2)}\n` },
    { path: 'docs/schema/conformance.schema.json', text: `${JSON.stringify(conformance, null, 2)}\n` },
    { path: 'docs/schema/comparison.schema.json', text: `${JSON.stringify(comparison, null, 2)}\n` },
  ];
}

// The suite's version, in every report: the tool's version plus a digest of what the checks claim
// (ids, levels, requirements), so two reports with the same suite version ran the same catalogue
// even between releases.
import { createHash } from 'node:crypto';
import type { CheckDefinition } from './check.js';

export function suiteVersion(toolVersion: string, catalogue: readonly CheckDefinition[]): string {
  const claims = catalogue.map((c) => [c.id, c.level, c.requirements, c.requirement]);
  return `${toolVersion}+${createHash('sha256').update(JSON.stringify(claims)).digest('hex').slice(0, 8)}`;
}

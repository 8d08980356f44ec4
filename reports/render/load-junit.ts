// A load run as JUnit XML, so a CI's test view shows its verdict: one testcase per threshold (a
// crossed one is a <failure>), and one for the run itself, which fails when the run was not a pass for
// another reason (the target failed, the generator was overloaded, an interrupt), naming it.
import type { LoadResult } from '../schema/load-result.js';
import { xmlAttributes, xmlText } from './xml.js';

export function loadJUnit(result: LoadResult): string {
  const cases: string[] = [];
  let failures = 0;
  for (const t of result.thresholds) {
    const name = `threshold ${t.threshold}${t.isDefault ? ' (default)' : ''}`;
    const measured = t.note ?? (t.actual === null ? 'not measured' : `measured ${t.actual}`);
    if (t.passed) cases.push(`    <testcase${xmlAttributes({ name, classname: 'talkbench.load.thresholds', time: '0' })}><system-out>${xmlText(measured)}</system-out></testcase>`);
    else {
      failures++;
      cases.push(`    <testcase${xmlAttributes({ name, classname: 'talkbench.load.thresholds', time: '0' })}>\n      <failure${xmlAttributes({ type: 'threshold-crossed', message: `${t.threshold}: ${measured}` })}/>\n    </testcase>`);
    }
  }
  const others = result.failures.filter((f) => f.code !== 'threshold-crossed');
  const seconds = (result.measuredMs / 1000).toFixed(3);
  if (others.length > 0) {
    failures++;
    const message = others.map((f) => `${f.code}: ${f.message}`).join('; ');
    cases.push(`    <testcase${xmlAttributes({ name: 'run', classname: 'talkbench.load', time: seconds })}>\n      <failure${xmlAttributes({ type: others[0]!.code, message })}>${xmlText(message)}</failure>\n    </testcase>`);
  } else {
    cases.push(`    <testcase${xmlAttributes({ name: 'run', classname: 'talkbench.load', time: seconds })}/>`);
  }
  const c = result.config;
  const counts = { tests: cases.length, failures, errors: 0, skipped: 0, time: seconds };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttributes({ name: 'talkbench load', ...counts })}>`,
    `  <testsuite${xmlAttributes({ name: `talkbench load ${c.scenario} ${c.targets.map((t) => `${t.host}:${t.port}`).join(',')}`, ...counts, timestamp: result.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '') })}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// The JUnit XML report (`--junit FILE`) that CI systems read (GitHub Actions reporters, GitLab): one
// testcase per check, its level, requirement ids and true outcome as properties. A check that fails
// the run is a <failure> (FAIL, TIMEOUT) or an <error> (ERROR); one that does not (a SHOULD without
// --strict, an INFO, a known failure) is <skipped> with its outcome in the message, so the report
// and the exit code tell the same story.
import type { ConformanceResult } from '../schema/conformance-result.js';
import { xmlAttributes as attrs, xmlText as escape } from './xml.js';

const property = (name: string, value: string | number): string => `<property${attrs({ name, value })}/>`;

export function formatJUnit(result: ConformanceResult): string {
  const gating = new Set(result.failing.map((f) => f.id));
  let failures = 0, errors = 0, skipped = 0;
  const cases = result.checks.map((c) => {
    const props = [property('level', c.level), property('requirements', c.requirements.join(' ')), property('outcome', c.outcome), property('rerun', c.rerun)];
    if (c.transcriptFile !== null) props.push(property('transcript', c.transcriptFile));
    const said = [c.expected !== null ? `expected ${c.expected}` : '', c.got !== null ? `got ${c.got}` : '', c.message ?? ''].filter(Boolean).join('; ');
    let body = '';
    if (c.outcome !== 'PASS' || c.stale) {
      if (gating.has(c.id) && c.stale) { failures++; body = `<failure${attrs({ type: 'STALE', message: 'listed as a known failure, but it passed: remove it from the list' })}/>`; }
      else if (gating.has(c.id) && c.outcome === 'ERROR') { errors++; body = `<error${attrs({ type: c.outcome, message: said })}>${escape(said)}</error>`; }
      else if (gating.has(c.id)) { failures++; body = `<failure${attrs({ type: c.outcome, message: said })}>${escape(said)}</failure>`; }
      else if (c.outcome !== 'PASS') {
        skipped++;
        const why = c.outcome === 'SKIP' ? said : `${c.outcome} (${c.outcome === 'XFAIL' ? 'a known failure' : `${c.level}: does not fail the run`}): ${said}`;
        body = `<skipped${attrs({ message: why })}/>`;
      }
    }
    const area = c.id.split('.').slice(0, 2).join('.');
    return `    <testcase${attrs({ name: c.id, classname: area, time: (c.durationMs / 1000).toFixed(3) })}>\n      <properties>${props.join('')}</properties>${body ? `\n      ${body}` : ''}\n    </testcase>`;
  });
  const seconds = ((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000).toFixed(3);
  const suiteProps = [
    property('talkbench', result.tool.version), property('suite', result.suiteVersion), property('target', `${result.target.host}:${result.target.port}`),
    property('protocol', result.protocol), property('layout', result.layout), property('seed', result.settings.seed), property('runs', result.settings.runs),
    property('only', result.selection.only.join(',')), property('skip', result.selection.skip.join(',')), property('exitCode', result.exitCode),
  ];
  if (result.stoppedAfter !== null) suiteProps.push(property('stoppedAfter', result.stoppedAfter));
  const counts = { tests: result.checks.length, failures, errors, skipped, time: seconds };
  const name = `talkbench conform ${result.protocol} ${result.target.host}:${result.target.port}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'talkbench conform', ...counts })}>`,
    `  <testsuite${attrs({ name, ...counts, timestamp: result.startedAt.replace(/\.\d+Z$/, '').replace(/Z$/, '') })}>`,
    `    <properties>${suiteProps.join('')}</properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

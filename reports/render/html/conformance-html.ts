// A conformance result as one self-contained HTML page, for a person who was not at the
// terminal: the verdict first, what was run, every check in a table per area, then a section per check
// that did not pass with its evidence, how to rerun and replay it, and its whole decoded transcript.
// Everything the result holds goes through esc(): expected, got and the transcript are a server's bytes.
import { CHECK_OUTCOMES, type ConformanceCheckResult, type ConformanceResult } from '../../schema/conformance-result.js';
import { formatCount } from '../number-format.js';
import { esc, keyValues, page, table, tag, verdictBox } from './page.js';

type Check = ConformanceCheckResult;
type Event = NonNullable<Check['transcript']>[number];

/** Counts are listed in the schema's order, as the result's totals are. */
const OUTCOMES = CHECK_OUTCOMES;

/** A check gets a section (and its row a link to it) when there is something to look at. */
const needsLook = (c: Check): boolean => c.stale || ['FAIL', 'TIMEOUT', 'ERROR', 'XFAIL'].includes(c.outcome);

/** `im.frame.split-anywhere` is in area `im.frame`; an id without a dot is an area of its own. */
const areaOf = (id: string): string => (id.lastIndexOf('.') > 0 ? id.slice(0, id.lastIndexOf('.')) : id);

const anchor = (c: Check): string => `check-${c.id}`;
const code = (text: string): string => `<code>${esc(text)}</code>`;
const plural = (n: number, word: string): string => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Text that may hold line breaks (a CHAT/1.0 exchange, a JSON counterexample) keeps them. */
const lines = (text: string): string => esc(text).replace(/\r?\n/g, '<br>');

/**
 * The path as a shell reads it: the CLI writes transcript paths bare, which is right until a
 * directory has a space in it, and a command a person copies must then still work.
 */
const shellWord = (word: string): string => (/^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** "7 checks: 6 PASS, 1 FAIL", the nonzero outcomes in the totals' order (a stale one named apart). */
function counts(checks: readonly Check[]): string {
  const parts = OUTCOMES.map((o) => [o, checks.filter((c) => c.outcome === o).length] as const)
    .filter(([, n]) => n > 0).map(([o, n]) => `${n} ${o}`);
  const stale = checks.filter((c) => c.stale).length;
  if (stale > 0) parts.push(plural(stale, 'stale known failure'));
  return `${plural(checks.length, 'check')}: ${parts.join(', ')}`;
}

/** PASS green, what fails red, a known failure amber, a skip grey; as the Markdown report words it. */
function outcomeTag(c: Check): string {
  if (c.stale) return tag('fail', `${c.outcome} (stale known failure)`);
  switch (c.outcome) {
    case 'PASS': return tag('pass', 'PASS');
    case 'XFAIL': return tag('warn', 'XFAIL (known failure)');
    case 'SKIP': return tag('none', 'SKIP');
    default: return tag('fail', c.outcome);
  }
}

function heading(r: ConformanceResult): string {
  const protocol = r.protocol === 'im' ? `IM (layout ${r.layout})` : 'CHAT/1.0';
  return `talkbench conform: ${protocol} at ${r.target.host}:${r.target.port}`;
}

function verdict(r: ConformanceResult): string {
  const details: string[] = [];
  if (r.preflight.problem !== null) details.push(`The target was unusable: ${r.preflight.problem}`);
  if (r.stoppedAfter !== null) details.push(`The target stopped answering after ${r.stoppedAfter}: the checks after it are ERROR.`);
  details.push(...r.failing.map((f) => `${f.id}: ${f.why}`));
  return r.exitCode === 0 ? verdictBox('pass', 'Passed (exit 0)', details) : verdictBox('fail', `Failed (exit ${r.exitCode})`, details);
}

function overview(r: ConformanceResult): string {
  const totals = OUTCOMES.filter((o) => (r.totals[o] ?? 0) > 0).map((o) => `${r.totals[o]} ${o}`).join(', ');
  const s = r.settings;
  const sel = r.selection;
  const ids = (list: readonly string[]): string => list.map(code).join(', ');
  const selection: [string, string][] = [];
  if (sel.only.length > 0) selection.push(['only', ids(sel.only)]);
  if (sel.skip.length > 0) selection.push(['skip', ids(sel.skip)]);
  if (sel.knownFailures.length > 0) selection.push(['known failures', ids(sel.knownFailures)]);
  if (selection.length === 0) selection.push(['selection', 'every check']);
  const took = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return `<p>${esc(plural(r.checks.length, 'check'))}${totals ? `: ${esc(totals)}` : ''}.</p>\n${keyValues([
    ['suite', esc(r.suiteVersion)],
    ['seed', esc(s.seed)],
    ['runs', `${esc(formatCount(s.runs))} examples per property`],
    ['timeout', `${esc(formatCount(s.timeoutMs))} ms per expected ${r.protocol === 'im' ? 'frame' : 'line'}`],
    ['strict', s.strict ? 'yes: SHOULD checks fail the run' : 'no: SHOULD checks do not fail the run'],
    ...selection,
    ['started', esc(r.startedAt)],
    ['finished', `${esc(r.finishedAt)} (${esc(seconds(took))})`],
    ['connections opened', esc(formatCount(r.connectionsOpened))],
  ])}`;
}

const MATRIX_COLUMNS = [{ header: 'check' }, { header: 'outcome' }, { header: 'level' }, { header: 'requirements' }, { header: 'ms', numeric: true }, { header: 'note' }];

/** Every check, one table per area in the order the suite ran them; the outcome next to the id, so a phone shows both. */
function matrix(checks: readonly Check[]): string {
  const areas = new Map<string, Check[]>();
  for (const c of checks) {
    const area = areaOf(c.id);
    areas.set(area, [...(areas.get(area) ?? []), c]);
  }
  const parts = [...areas].map(([area, list]) => {
    const rows = list.map((c) => [
      needsLook(c) ? `<a href="#${esc(anchor(c))}">${code(c.id)}</a>` : code(c.id),
      outcomeTag(c),
      esc(c.level),
      esc(c.requirements.join(' ')),
      esc(formatCount(c.durationMs)),
      // What an INFO check found or why a check was skipped; a failure's message is in its section.
      (c.level === 'INFO' || c.outcome === 'SKIP') && c.message !== null ? lines(c.message) : '',
    ]);
    return `<h3>${code(area)} <span class="muted">${esc(counts(list))}</span></h3>\n${table(MATRIX_COLUMNS, rows)}`;
  });
  return `<h2>Every check</h2>\n${parts.length > 0 ? parts.join('\n') : '<p class="muted">No checks ran.</p>'}`;
}

const ARROWS: Record<Event['direction'], string> = { sent: '→ sent', received: '← received', closed: 'closed', note: 'note' };

/**
 * The decoded transcript, every event of it: a long one is the evidence of a long failure, and a
 * page that quietly showed its start would hide what went wrong at its end.
 */
function transcript(c: Check): string {
  const file = c.transcriptFile !== null ? ` The file: ${code(c.transcriptFile)}.` : '';
  if (c.transcript === null) return `<p class="muted">No transcript in the result.${file}</p>`;
  if (c.transcript.length === 0) return `<p class="muted">The transcript has no events.${file}</p>`;
  const rows = c.transcript.map((e) => {
    const bytes = e.hex.length / 2;
    const hex = e.hex === '' ? '' : `<details><summary>${esc(plural(bytes, 'byte'))} in hex</summary><pre>${esc(e.hex.replace(/(..)(?!$)/g, '$1 '))}</pre></details>`;
    const text = e.direction === 'note' || e.direction === 'closed' ? `<span class="muted">${lines(e.text)}</span>` : lines(e.text);
    return [esc(e.atMs.toFixed(1)), e.connection === '' ? '' : code(e.connection), esc(ARROWS[e.direction]), `${text}${hex}`];
  });
  return table([{ header: 'ms', numeric: true }, { header: 'connection' }, { header: 'direction' }, { header: 'what' }], rows, `${plural(c.transcript.length, 'event')}`);
}

function section(c: Check, r: ConformanceResult, gating: ReadonlyMap<string, string>): string {
  const why = gating.get(c.id);
  const pairs: [string, string][] = [
    ['outcome', outcomeTag(c)],
    ['level', esc(c.level)],
    ['requirements', c.requirements.length > 0 ? c.requirements.map(code).join(' ') : 'none'],
    // As the terminal says it: a check that did not pass but does not fail the run says why not.
    ['fails the run', why !== undefined ? `yes: ${esc(why)}` : c.outcome === 'XFAIL' ? 'no: a known failure' : `no: ${esc(c.level)}${c.level === 'SHOULD' ? ' without --strict' : ''}`],
  ];
  if (c.stale) pairs.push(['known failure', 'listed as a known failure, but it passed: remove it from the list']);
  if (c.expected !== null) pairs.push(['expected', lines(c.expected)]);
  if (c.got !== null) pairs.push(['got', lines(c.got)]);
  if (c.message !== null) pairs.push(['message', lines(c.message)]);
  pairs.push(['took', `${esc(formatCount(c.durationMs))} ms`]);
  const parts = [`<section id="${esc(anchor(c))}">`, `<h3>${code(c.id)} ${outcomeTag(c)}</h3>`, `<p>${lines(c.description)}</p>`, keyValues(pairs)];
  if (c.fastCheck !== null) {
    const f = c.fastCheck;
    parts.push('<h4>Smallest failing example</h4>', keyValues([
      ['seed', esc(f.seed)],
      ['path', code(f.path)],
      ['shrinks', esc(formatCount(f.shrinks))],
      ['reproduced', f.reproduced ? 'yes: it failed again when rerun' : 'no: it did not fail again when rerun'],
    ]), `<pre>${esc(f.counterexample)}</pre>`);
  }
  parts.push('<h4>Rerun</h4>', `<pre><code>${esc(c.rerun)}</code></pre>`);
  if (c.transcriptFile !== null) {
    parts.push('<p>Replay the transcript (the same check, seed and example):</p>', `<pre><code>${esc(`talkbench replay ${shellWord(c.transcriptFile)} --target ${r.target.host}:${r.target.port}`)}</code></pre>`);
  }
  parts.push('<h4>Transcript</h4>', transcript(c), '</section>');
  return parts.join('\n');
}

export function conformanceHtml(result: ConformanceResult): string {
  const gating = new Map(result.failing.map((f) => [f.id, f.why]));
  const look = result.checks.filter(needsLook);
  const body = [
    `<h1>${esc(heading(result))}</h1>`,
    verdict(result),
    overview(result),
    matrix(result.checks),
    look.length > 0 ? `<h2>Checks that did not pass</h2>\n${look.map((c) => section(c, result, gating)).join('\n')}` : '',
  ].filter(Boolean).join('\n');
  const title = `${heading(result)}: ${result.exitCode === 0 ? 'passed' : 'failed'} (exit ${result.exitCode})`;
  return page({ title, body, generator: `talkbench ${result.tool.version}`, charts: false });
}

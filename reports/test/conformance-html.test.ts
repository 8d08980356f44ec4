// The conformance HTML page on recorded results [D-RESULT]: the verdict first, every check in a table
// per area, a section per check that did not pass with its rerun and replay commands and its whole
// transcript; a server's bytes escaped wherever they land; and nothing that would fetch or run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { conformanceHtml } from '../render/html/conformance-html.js';
import { esc } from '../render/html/page.js';
import type { ConformanceResult } from '../schema/conformance-result.js';
import { readConformanceResult } from '../schema/read-result.js';

const text = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const failing = (): ConformanceResult => readConformanceResult(text('conformance-failing-im.json'), 'conformance-failing-im.json');
const passing = (): ConformanceResult => readConformanceResult(text('conformance-passing-chat.json'), 'conformance-passing-chat.json');
/** A changed copy, read back through the schema so the test renders only what a result file could hold. */
const reread = (r: ConformanceResult): ConformanceResult => readConformanceResult(JSON.stringify(r), 'changed.json');

/** The HTML of one check's section, from its opening tag to its end. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="check-${esc(id)}">`);
  expect(start, `no section for ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The matrix: from its heading to the failure sections (or the footer). */
function matrixOf(html: string): string {
  const start = html.indexOf('<h2>Every check</h2>');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = html.indexOf('<h2>', start + 1);
  return html.slice(start, end < 0 ? html.indexOf('<footer>') : end);
}

const areaOf = (id: string): string => id.replace(/\.[^.]*$/, '');

/** Nothing that runs or fetches: the CSP forbids it, and the page must not rely on that. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link/i);
  expect(html).not.toMatch(/<(iframe|img|object|embed)\b/i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
}

describe('conformanceHtml: the failing IM fixture', () => {
  const result = failing();
  const html = conformanceHtml(result);
  const check = result.checks.find((c) => c.id === 'im.frame.split-anywhere')!;

  test('a heading naming IM, its layout and the target, then the verdict fail with exit 1 and why', () => {
    expect(html).toContain('<h1>talkbench conform: IM (layout le) at 127.0.0.1:39013</h1>');
    expect(html).toContain('<div class="verdict fail" role="status"><strong>Failed (exit 1)</strong>');
    expect(html).toContain('<li>im.frame.split-anywhere: MUST check TIMEOUT</li>');
    expect(html.indexOf('class="verdict')).toBeLessThan(html.indexOf('<h2>'));
    expect(html).toContain('<title>talkbench conform: IM (layout le) at 127.0.0.1:39013: failed (exit 1)</title>');
    expect(html).toContain('<meta name="generator" content="talkbench 0.1.0">');
  });

  test('the overview: nonzero totals only, suite, seed, runs, timeout, selection, times, connections', () => {
    expect(html).toContain('<p>1 check: 1 TIMEOUT.</p>');
    expect(html).not.toMatch(/\b0 (PASS|FAIL|ERROR|SKIP|XFAIL)\b/);
    for (const [k, v] of [['suite', '0.1.0+d209dde2'], ['seed', '11'], ['runs', '10 examples per property'], ['timeout', '300 ms per expected frame'],
      ['only', '<code>im.frame.split-anywhere</code>'], ['started', '2026-12-01T15:12:51.359Z'], ['finished', '2026-12-01T15:12:53.836Z (2.5 s)'], ['connections opened', '14']]) {
      expect(html).toContain(`<dt>${k}</dt><dd>${v}</dd>`);
    }
  });

  test('the matrix row links to the section, with its outcome tag, level, requirements and time', () => {
    const matrix = matrixOf(html);
    expect(matrix).toContain('<h3><code>im.frame</code> <span class="muted">1 check: 1 TIMEOUT</span></h3>');
    expect(matrix).toContain('<tr><td><a href="#check-im.frame.split-anywhere"><code>im.frame.split-anywhere</code></a></td><td><span class="tag fail">TIMEOUT</span></td><td>MUST</td><td>IM-FRAME-3 IM-FRAME-5</td><td class="n">2,460</td><td></td></tr>');
  });

  test('a section id="check-im.frame.split-anywhere" with the evidence, the smallest example, rerun and replay', () => {
    const section = sectionOf(html, check.id);
    expect(section).toContain(`<p>${esc(check.description)}</p>`);
    expect(section).toContain(`<dt>expected</dt><dd>${esc(check.expected!)}</dd>`);
    expect(section).toContain('<dt>got</dt><dd>nothing</dd>');
    expect(section).toContain('<dt>fails the run</dt><dd>yes: MUST check TIMEOUT</dd>');
    expect(section).toContain('<dt>requirements</dt><dd><code>IM-FRAME-3</code> <code>IM-FRAME-5</code></dd>');
    expect(section).toContain('<dt>seed</dt><dd>11</dd><dt>path</dt><dd><code>0:0:0:1:0:1:1:1</code></dd><dt>shrinks</dt><dd>7</dd><dt>reproduced</dt><dd>yes');
    expect(section).toContain(`<pre>${esc(check.fastCheck!.counterexample)}</pre>`);
    expect(section).toContain('<pre><code>talkbench conform --target 127.0.0.1:39013 --protocol im --layout le --max-body 262144 --runs 10 --seed 11 --only im.frame.split-anywhere</code></pre>');
    expect(section).toContain('<pre><code>talkbench replay /tmp/demo/transcripts-20261201T151251/im.frame.split-anywhere.json --target 127.0.0.1:39013</code></pre>');
  });

  test('the whole transcript: every event with its time, connection, direction, text, and hex when there is some', () => {
    const section = sectionOf(html, check.id);
    const rows = section.slice(section.indexOf('<h4>Transcript</h4>')).match(/<tr><td class="n">/g) ?? [];
    expect(rows).toHaveLength(check.transcript!.length);
    for (const e of check.transcript!) expect(section).toContain(esc(e.text));
    expect(section).toContain('<td class="n">2154.4</td><td><code>c1</code></td><td>→ sent</td><td>1 LoginRequests of unknown users (28 bytes), cut at 1<details><summary>1 byte in hex</summary><pre>14</pre></details></td>');
    expect(section).toContain('<summary>27 bytes in hex</summary><pre>00 00 00 01 00 00 00 0a 10');
    expect(section).toMatch(/<td class="n">2459\.1<\/td><td><code>c1<\/code><\/td><td>closed<\/td><td><span class="muted">closed by the server<\/span><\/td>/);
    // A note and a close carry no bytes: no empty <details>.
    expect(section.match(/<details>/g)).toHaveLength(2);
  });

  test('is self-contained', () => expectSelfContained(html));
});

describe('conformanceHtml: the passing CHAT/1.0 fixture', () => {
  const result = passing();
  const html = conformanceHtml(result);

  test('says pass, exit 0, with CHAT/1.0 and the target in the heading', () => {
    expect(html).toContain('<h1>talkbench conform: CHAT/1.0 at 127.0.0.1:42509</h1>');
    expect(html).toContain('<div class="verdict pass" role="status"><strong>Passed (exit 0)</strong></div>');
    expect(html).not.toContain('class="verdict fail"');
    expect(html).toContain(`<p>${result.checks.length} checks: ${result.checks.length} PASS.</p>`);
    expect(html).toContain('<dt>selection</dt><dd>every check</dd>');
  });

  test('one row per check, each in the table of its area, one h3 per distinct area with its counts', () => {
    const matrix = matrixOf(html);
    expect(matrix.match(/<tr><td>/g)).toHaveLength(result.checks.length);
    const areas = [...new Set(result.checks.map((c) => areaOf(c.id)))];
    expect(areas.length).toBeGreaterThan(1);
    const headings = [...matrix.matchAll(/<h3><code>([^<]*)<\/code>/g)].map((m) => m[1]);
    expect(headings).toEqual(areas);
    // Each area's table holds exactly its own checks.
    const blocks = matrix.split('<h3>').slice(1);
    blocks.forEach((block, i) => {
      const mine = result.checks.filter((c) => areaOf(c.id) === areas[i]);
      expect(block).toContain(`${mine.length} check${mine.length === 1 ? '' : 's'}: ${mine.length} PASS</span></h3>`);
      expect([...block.matchAll(/<tr><td><code>([^<]*)<\/code>/g)].map((m) => m[1])).toEqual(mine.map((c) => c.id));
    });
  });

  test('no failure sections and no links to them when everything passed', () => {
    expect(html).not.toContain('<section');
    expect(html).not.toContain('href="#check-');
    expect(html).not.toContain('Checks that did not pass');
  });

  test('is self-contained', () => expectSelfContained(html));
});

describe('conformanceHtml: what a hostile server or an odd run puts in the result', () => {
  test('markup and quotes from the result are escaped: in text, in an attribute, in the transcript', () => {
    const r = failing();
    const c = r.checks[0]!;
    const evil = '<script>alert(1)</script>';
    c.id = 'im.frame.x"onmouseover="alert(1)';
    c.description = `a check ${evil}`;
    c.got = `"${evil}"`;
    c.expected = `<a href="https://example.com/x">link</a>`;
    c.transcript![1]!.text = `RECEIVE ${evil}`;
    c.transcript![1]!.connection = '<b>c1</b>';
    c.transcriptFile = '/tmp/<img src=x>/t.json';
    r.failing = [{ id: c.id, why: evil }];
    const html = conformanceHtml(reread(r));
    expect(html).not.toContain(evil);
    expect(html).not.toContain('"onmouseover=');
    expect(html).not.toContain('<b>c1</b>');
    expect(html).not.toContain('<a href="https');
    expect(html).toContain(`<li>im.frame.x&quot;onmouseover=&quot;alert(1): &lt;script&gt;alert(1)&lt;/script&gt;</li>`);
    expect(html).toContain('<section id="check-im.frame.x&quot;onmouseover=&quot;alert(1)">');
    expect(html).toContain('href="#check-im.frame.x&quot;onmouseover=&quot;alert(1)"');
    expect(html).toContain('<dt>got</dt><dd>&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</dd>');
    expect(html).toContain('RECEIVE &lt;script&gt;alert(1)&lt;/script&gt;');
    // Quoted for the shell (a path is a word), then escaped for the page.
    expect(html).toContain('talkbench replay &#39;/tmp/&lt;img src=x&gt;/t.json&#39; --target 127.0.0.1:39013');
    expectSelfContained(html);
  });

  test('XFAIL, a stale known failure, SKIP and INFO: their tags, notes and sections; a run stopped after a check', () => {
    const r = passing();
    const [xfail, stale, skip, info] = r.checks as [typeof r.checks[0], typeof r.checks[0], typeof r.checks[0], typeof r.checks[0]];
    Object.assign(xfail, { outcome: 'XFAIL', knownFailure: true, expected: 'one line', got: 'two' });
    Object.assign(stale, { knownFailure: true, stale: true });
    Object.assign(skip, { outcome: 'SKIP', message: 'needs <GROUP>' });
    Object.assign(info, { level: 'INFO', message: 'the server sent & kept 3 lines' });
    r.selection.knownFailures = [xfail.id, stale.id];
    r.stoppedAfter = info.id;
    r.exitCode = 4;
    r.failing = [{ id: stale.id, why: 'listed as a known failure, but it passed' }];
    const html = conformanceHtml(reread(r));
    expect(html).toContain('<strong>Failed (exit 4)</strong>');
    expect(html).toContain(`<li>The target stopped answering after ${info.id}: the checks after it are ERROR.</li>`);
    expect(html).toContain(`<dt>known failures</dt><dd><code>${xfail.id}</code>, <code>${stale.id}</code></dd>`);
    const matrix = matrixOf(html);
    expect(matrix).toContain('<h3><code>chat.line</code> <span class="muted">8 checks: 6 PASS, 1 SKIP, 1 XFAIL, 1 stale known failure</span></h3>');
    expect(matrix).toContain(`<a href="#check-${xfail.id}"><code>${xfail.id}</code></a>`);
    expect(matrix).toContain('<span class="tag warn">XFAIL (known failure)</span>');
    expect(matrix).toContain(`<a href="#check-${stale.id}"><code>${stale.id}</code></a>`);
    expect(matrix).toContain('<span class="tag fail">PASS (stale known failure)</span>');
    expect(matrix).toContain(`<tr><td><code>${skip.id}</code></td><td><span class="tag none">SKIP</span></td><td>MUST</td><td>CHAT-LINE-1</td><td class="n">5</td><td>needs &lt;GROUP&gt;</td></tr>`);
    expect(matrix).toContain('<td>the server sent &amp; kept 3 lines</td></tr>');
    expect(sectionOf(html, xfail.id)).toContain('<dt>fails the run</dt><dd>no: a known failure</dd>');
    expect(sectionOf(html, stale.id)).toContain('<dt>fails the run</dt><dd>yes: listed as a known failure, but it passed</dd>');
    expect(html).not.toContain(`id="check-${skip.id}"`);
    expect(html).not.toContain(`id="check-${info.id}"`);
  });

  test('the preflight problem (exit 3) is in the verdict', () => {
    const r = passing();
    r.checks = [];
    r.totals = { PASS: 0, FAIL: 0, TIMEOUT: 0, ERROR: 0, SKIP: 0, XFAIL: 0 };
    r.preflight = { problem: 'nothing listens on 127.0.0.1:42509 (ECONNREFUSED)', roundTripMs: null };
    r.exitCode = 3;
    const html = conformanceHtml(reread(r));
    expect(html).toContain('<strong>Failed (exit 3)</strong><ul><li>The target was unusable: nothing listens on 127.0.0.1:42509 (ECONNREFUSED)</li></ul>');
    expect(html).toContain('<p>0 checks.</p>');
    expect(html).toContain('<p class="muted">No checks ran.</p>');
  });

  test('a long transcript is shown whole', () => {
    const r = failing();
    const c = r.checks[0]!;
    c.transcript = Array.from({ length: 2000 }, (_, i) => ({ atMs: i, connection: 'c1', direction: 'received' as const, hex: '0a', text: `event ${i}` }));
    const section = sectionOf(conformanceHtml(reread(r)), c.id);
    expect(section.match(/<td>← received<\/td>/g)).toHaveLength(2000);
    expect(section).toContain('<p class="caption muted">2,000 events</p>');
    expect(section).toContain('<td>event 1999<details>');
  });
});

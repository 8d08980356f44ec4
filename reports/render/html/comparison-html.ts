// A comparison as one self-contained HTML page [D-COMPARE]: the verdict and what caused it first,
// the caveats a "no regression" needs (nothing was compared, workloads differ), then per operation
// both runs' spectra overlaid, each inside the band of its resamples, beside the table of the judged
// percentiles with their change, interval and verdict; error counts; for conformance, the checks
// that newly fail and newly pass.
import type { ComparisonResult } from '../../schema/comparison-result.js';
import { comparisonCaveats, inconclusiveText, pct } from '../comparison.js';
import { formatCount, formatMs } from '../number-format.js';
import { esc, keyValues, page, table, tag, verdictBox } from './page.js';
import { spectrumChart } from './spectrum-chart.js';

type Operation = ComparisonResult['operations'][number];

const VERDICT_TAG = { regressed: 'fail', improved: 'pass', unchanged: 'none', inconclusive: 'warn' } as const;
const SHORT = { regressed: 'regressed', improved: 'improved', unchanged: '~ unchanged', inconclusive: '? cannot tell' } as const;
const ms = (v: number | null): string => (v === null ? '-' : formatMs(v));
const code = (t: string): string => `<code>${esc(t)}</code>`;

function spectrum(o: Operation): string {
  if (!o.spectrum || o.spectrum.length === 0) return '<p class="muted">This comparison file carries no spectra (written before they were added): compare the two results again to draw them.</p>';
  const points = o.spectrum;
  return spectrumChart(`${o.op}: base and new by percentile`, `comparison spectrum ${o.op}`, [
    { name: 'base', color: 0, points: points.map((p) => ({ percentile: p.percentile, ms: p.base.ms })), band: { low: points.map((p) => p.base.lowMs), high: points.map((p) => p.base.highMs) } },
    { name: 'new', color: 1, dashed: true, points: points.map((p) => ({ percentile: p.percentile, ms: p.new.ms })), band: { low: points.map((p) => p.new.lowMs), high: points.map((p) => p.new.highMs) } },
  ]);
}

function changesTable(o: Operation): string {
  const rows = o.changes.map((c) => [
    `p${esc(c.percentile)}`, ms(c.baseMs), ms(c.newMs),
    `${esc(pct(c.ratio))}${c.low === null ? '' : ` <span class="muted">${esc(`[${pct(c.low)}, ${pct(c.high)}]`)}</span>`}`,
    tag(VERDICT_TAG[c.verdict], SHORT[c.verdict]),
  ]);
  return table([{ header: 'pct' }, { header: 'base ms', numeric: true }, { header: 'new ms', numeric: true }, { header: 'change [interval]', numeric: true }, { header: 'verdict' }], rows,
    `Judged over ${formatCount(o.baseSeconds)} seconds of base and ${formatCount(o.newSeconds)} of new.`);
}

function loadSections(c: ComparisonResult): string {
  const ops = c.operations.map((o) => `<h3 id="op-${esc(o.op)}">${esc(o.op)}</h3><div class="charts"><figure>${spectrum(o)}<figcaption>Shaded: each run's ${(c.settings.confidence * 100).toFixed(0)}% interval from resampling its seconds.</figcaption></figure><div>${o.note ? `<p>${tag('warn', 'inconclusive')} ${esc(o.note)}</p>` : ''}${changesTable(o)}</div></div>`);
  const delivery = (c.delivery ?? []).map((d) => [code(d.what), `${formatCount(d.base.lost)} of ${formatCount(d.base.lost + d.base.delivered)}`, `${formatCount(d.new.lost)} of ${formatCount(d.new.lost + d.new.delivered)}`, d.rose ? tag('fail', 'rose') : tag('pass', 'did not rise')]);
  const errors = c.errors ? `<h2 id="errors">Errors and delivery loss</h2><p>Errors: ${formatCount(c.errors.base)} in base, ${formatCount(c.errors.new)} in new: ${c.errors.rose ? tag('fail', 'rose') : tag('pass', 'did not rise')}</p>${
    delivery.length > 0 ? table([{ header: 'delivery' }, { header: 'lost in base', numeric: true }, { header: 'lost in new', numeric: true }, { header: '' }], delivery) : ''}` : '';
  return `<h2 id="latency">Latency by operation</h2>${ops.join('\n') || '<p class="muted">No operation had timed requests in the measured seconds of both runs.</p>'}${errors}`;
}

function conformanceSections(c: ComparisonResult): string {
  const list = (ids: readonly string[]): string => (ids.length === 0 ? '<p class="muted">none</p>' : `<ul>${ids.map((id) => `<li>${code(id)}</li>`).join('')}</ul>`);
  return `<h2 id="checks">Checks</h2><h3>Newly failing</h3>${list(c.checks?.newlyFailing ?? [])}<h3>Newly passing</h3>${list(c.checks?.newlyPassing ?? [])}`;
}

export function comparisonHtml(c: ComparisonResult): string {
  const regressed = c.exitCode !== 0;
  const caveats = comparisonCaveats(c);
  const open = inconclusiveText(c);
  const s = c.settings;
  const body = [
    `<h1>talkbench compare (${esc(c.compared)}): ${esc(c.base.id)} → ${esc(c.new.id)}</h1>`,
    verdictBox(regressed ? 'fail' : 'pass', regressed ? `Regression (exit ${c.exitCode})` : 'No regression (exit 0)', c.regressions),
    caveats.length > 0 ? verdictBox('warn', 'Read with care', caveats) : '',
    !regressed && open ? `<p>${tag('warn', '?')} ${esc(open)}.</p>` : '',
    keyValues([
      ['base', `${code(c.base.file)} <span class="muted">(${esc(c.base.id)})</span>`], ['new', `${code(c.new.file)} <span class="muted">(${esc(c.new.id)})</span>`],
      ['method', esc(`bootstrap over whole seconds, ${s.resamples} resamples, seed ${s.seed}; ${(s.confidence * 100).toFixed(0)}% intervals; a change within ${(s.tolerance * 100).toFixed(0)}% is unchanged${s.failOnInconclusive ? '; inconclusive fails' : ''} (docs/COMPARE.md)`)],
      ['verdicts', esc('regressed: the whole interval above 1 + tolerance; improved: below 1 - tolerance; ~ unchanged: within; ? cannot tell: it straddles a bound')],
    ]),
    c.compared === 'load' ? loadSections(c) : conformanceSections(c),
  ];
  return page({ title: `talkbench compare: ${regressed ? 'regression' : 'no regression'}`, body: body.join('\n'), generator: `talkbench ${c.tool.version}`, charts: c.operations.some((o) => (o.spectrum?.length ?? 0) > 0) });
}

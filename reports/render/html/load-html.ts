// A load result as one self-contained HTML page [D-RESULT]: the verdict and its reasons first, the
// generator's warning when it, not the server, was the bottleneck, then thresholds, the operations
// (a table, and per operation its spectrum and its latency over time), throughput over time,
// deliveries, errors and disconnects, the generator's health, and the run's configuration,
// environment and shards. Everything shown is read from the file; nothing is recomputed that the
// file's own figures (metrics, thresholds) already state.
import { errorCount } from '../../schema/error-count.js';
import type { LoadResult, Tally } from '../../schema/load-result.js';
import { formatCount as int, formatMs as ms } from '../number-format.js';
import { isClosedModel, opFigures, type OpFigures } from '../op-figures.js';
import { opLatencyOverTime, opSpectrum, throughputOverTime } from './load-charts.js';
import { esc, keyValues, page, table, tag, verdictBox } from './page.js';
import { runSeconds } from './time-series.js';

const lat = (v: number | undefined): string => (v === undefined ? '-' : ms(v));
const code = (text: string): string => `<code>${esc(text)}</code>`;
const seconds = (msValue: number): string => `${(msValue / 1000).toFixed(msValue % 1000 === 0 ? 0 : 1)} s`;

function verdict(r: LoadResult): string {
  const headline = r.exitCode === 0 ? 'Passed (exit 0)' : `Not passed: ${r.status} (exit ${r.exitCode})`;
  return verdictBox(r.exitCode === 0 ? 'pass' : 'fail', headline, r.reasons);
}

function generatorWarning(r: LoadResult): string {
  const g = r.generator;
  if (g.overloaded) {
    const why = r.failures.filter((f) => f.code === 'overloaded').map((f) => f.message);
    return verdictBox('warn', 'The generator was the bottleneck, not the server: its latencies measure the generator as much as the target. Run with more workers or processes, or a lighter load.', why);
  }
  const busiest = Math.max(0, ...g.workers.map((w) => w.utilization));
  if (busiest > 0.8) return verdictBox('warn', `A generator worker was busy ${(busiest * 100).toFixed(0)}% of the measured window: close to its limit, though not overloaded by [D-OVERLOAD]'s measure.`);
  return '';
}

function thresholds(r: LoadResult): string {
  if (r.thresholds.length === 0) return '';
  const rows = r.thresholds.map((t) => [
    tag(t.passed ? 'pass' : 'fail', t.passed ? 'ok' : 'crossed'), `${code(t.threshold)}${t.isDefault ? ' <span class="muted">(default)</span>' : ''}`,
    esc(t.actual === null ? '-' : String(t.actual)), esc(t.note ?? ''),
  ]);
  return `<h2 id="thresholds">Thresholds</h2>${table([{ header: '' }, { header: 'threshold' }, { header: 'measured', numeric: true }, { header: 'note' }], rows)}`;
}

function operationsTable(figures: readonly OpFigures[]): string {
  const rows = figures.map(({ op, record: r, sentOnly, rate, corrected: c, uncorrected: u, lag }) => {
    const n = (v: number): string => (sentOnly ? '-' : int(v));
    return [code(op), int(r.sent), n(r.ok), n(r.failed), n(r.timeouts), n(r.unanswered), rate === null || sentOnly ? '-' : int(Math.round(rate)),
      lat(c?.p50), lat(c?.p90), lat(c?.p99), lat(c?.p999), lat(c?.max), lat(u?.p50), lat(u?.p99), lat(lag?.p50), lat(lag?.p99)];
  });
  const numeric = (header: string): { header: string; numeric: true } => ({ header, numeric: true });
  return table([{ header: 'operation' }, ...['sent', 'ok', 'failed', 'timeouts', 'unanswered', 'rate/s', 'p50', 'p90', 'p99', 'p99.9', 'max', 'p50 uncorr.', 'p99 uncorr.', 'lag p50', 'lag p99'].map(numeric)], rows,
    'Latency in ms; corrected from the scheduled time, uncorrected from the actual send; lag: the generator\'s own delay from the scheduled time to the send (corrected = uncorrected + lag, request by request). "-": the operation is only sent, or nothing was timed.');
}

function perOperation(r: LoadResult, figures: readonly OpFigures[]): string {
  const run = runSeconds(r);
  const timed = figures.filter((f) => f.corrected !== null);
  const sentOnly = new Set(figures.filter((f) => f.sentOnly).map((f) => f.op));
  const sections = timed.map((f) => `<h3 id="op-${esc(f.op)}">${esc(f.op)}</h3><div class="charts"><figure>${opSpectrum(f.op, f.record)}</figure><figure>${opLatencyOverTime(f.op, run)}</figure></div>`);
  return `<h2 id="over-time">Over time</h2><div class="charts"><figure>${throughputOverTime(run, sentOnly)}<figcaption>Shaded: seconds outside the measured window, which the totals leave out.</figcaption></figure></div>
<h2 id="latency">Latency by operation</h2><p class="muted">Left, the spectrum: the latency below which each share of requests fell, on a log 1/(1-p) axis, up to the highest percentile the data resolves. <em>Corrected</em> counts from the time each request was scheduled, <em>uncorrected</em> from its actual send; the gap between them is the wait that coordinated omission would hide, and the <em>send lag</em> line is the generator's own part of it (its delay from the schedule to the send). Right, the p50 and p99 of each second.</p>${sections.join('\n')}`;
}

const tallyRows = (t: Tally, label: (k: string) => string = (k) => k): string[][] =>
  Object.entries(t).sort((a, b) => b[1] - a[1]).map(([k, n]) => [esc(label(k)), int(n)]);

function deliveries(r: LoadResult): string {
  const entries = Object.entries(r.delivery);
  if (entries.length === 0) return '';
  const rows = entries.map(([what, d]) => [code(what), int(d.delivered), int(d.lost), int(d.duplicated), int(d.reordered), int(d.corrupted)]);
  const e2e = Object.keys(r.ops).filter((op) => op.endsWith('.e2e'));
  const offline = r.ops['chat.offline.e2e'];
  const offlineText = offline && offline.sent > 0 ? `<p>Chats sent while the receiver was away: ${int(offline.sent)}, delivered at its next login ${int(offline.ok)}, lost ${int(offline.sent - offline.ok)}.</p>` : '';
  const e2eText = e2e.length > 0 ? `<p>End-to-end latency (sender's send to receiver's arrival): ${e2e.map((op) => `<a href="#op-${esc(op)}">${esc(op)}</a>`).join(', ')}.</p>` : '';
  return `<h2 id="deliveries">Deliveries</h2>${table([{ header: '' }, ...['delivered', 'lost', 'duplicated', 'reordered', 'corrupted'].map((h) => ({ header: h, numeric: true }))], rows)}${offlineText}${e2eText}`;
}

function errorsSection(r: LoadResult): string {
  const { errors, attempts } = errorCount(r);
  const parts = [`<p>Errors: <strong>${int(errors)}</strong> (${attempts > 0 ? ((errors / attempts) * 100).toFixed(2) : '0.00'}% of ${int(attempts)} requests, deliveries and events the server caused).</p>`];
  const failures = Object.entries(r.ops).flatMap(([op, rec]) => Object.entries(rec.failedBy).map(([reason, n]) => [code(op), esc(reason), int(n), esc((rec.failureSamples[reason] ?? []).map((m) => JSON.stringify(m)).join(', '))]));
  if (failures.length > 0) parts.push(`<h3>Failures by reason</h3>${table([{ header: 'operation' }, { header: 'reason' }, { header: 'count', numeric: true }, { header: 'what the server said' }], failures)}`);
  const tallies: [string, Tally, (k: string) => string][] = [
    ['Disconnects by reason (the target closed or reset a connection in use)', r.disconnects, (k) => k],
    ['Unexpected frames (neither an awaited reply nor a notice), by message id', r.unexpectedFrames, (k) => `id ${k}`],
    ['Bad lines from the server, by kind', r.badLines, (k) => k],
    ['Users given up on, by reason', r.usersFailed, (k) => k],
    ['Notices received, by message id', r.notices, (k) => `id ${k}`],
  ];
  for (const [title, t, label] of tallies) if (Object.keys(t).length > 0) parts.push(`<h3>${esc(title)}</h3>${table([{ header: 'what' }, { header: 'count', numeric: true }], tallyRows(t, label))}`);
  if (parts.length === 1) parts.push('<p class="muted">No failures, disconnects, unexpected frames or bad lines.</p>');
  return `<h2 id="errors">Errors and disconnects</h2>${parts.join('')}`;
}

function generatorSection(r: LoadResult): string {
  const g = r.generator;
  const cores = g.cpu.wallMs > 0 ? (g.cpu.userMs + g.cpu.systemMs) / g.cpu.wallMs : 0;
  const rows = g.workers.map((w) => [String(w.worker), ms(w.eventLoopDelay.p50), ms(w.eventLoopDelay.p99), ms(w.eventLoopDelay.max), `${(w.utilization * 100).toFixed(1)}%`, int(w.actionsScheduled), int(w.lateStarts)]);
  return `<h2 id="generator">Generator health</h2>${keyValues([
    ['verdict', g.overloaded ? tag('fail', 'overloaded') : tag('pass', 'not overloaded')],
    ['CPU', `${esc(cores.toFixed(2))} cores (user ${seconds(g.cpu.userMs)}, system ${seconds(g.cpu.systemMs)}, over ${seconds(g.cpu.wallMs)})`],
    ['peak RSS', `${(g.peakRssBytes / 2 ** 20).toFixed(0)} MiB`],
    ['late sends', isClosedModel(r)
      ? 'none can be: a closed model sends each request when a reply frees its slot'
      : `${int(g.lateStarts)} of ${int(g.actionsScheduled)} scheduled sends left more than ${r.config.overload.lateStartMs} ms after their due time`],
  ])}${table([{ header: 'worker' }, ...['loop delay p50 ms', 'p99 ms', 'max ms', 'busy', 'actions', 'late starts'].map((h) => ({ header: h, numeric: true }))], rows)}`;
}

function configSection(r: LoadResult): string {
  const c = r.config;
  const e = r.environment;
  const pairs: [string, string][] = [
    ['run', code(r.runId)], ['talkbench', esc(r.tool.version)], ['started', esc(r.startedAt)], ['finished', esc(r.finishedAt)],
    ['targets', c.targets.map((t) => code(`${t.host}:${t.port}`)).join(', ')],
    ['workload', esc(`${c.scenario} (${c.protocol}), ${int(c.users)} ${c.scenario === 'ping' ? 'connections' : 'users'}; ramp-up ${seconds(c.rampUpMs)}, warm-up ${seconds(c.warmupMs)}, measured ${seconds(c.durationMs)} (ran ${seconds(r.measuredMs)}), grace ${seconds(c.graceMs)}`)],
    ['rates per user per second', esc(Object.entries(c.rates).map(([k, v]) => `${k} ${v}`).join(', '))],
    ['model', esc(c.rate !== null ? `open, ${int(c.rate)} requests/s` : c.inflight !== null ? `closed, ${c.inflight} in flight per connection` : 'users')],
    ['timeout', esc(`${c.timeoutMs} ms; heartbeat every ${c.heartbeatIntervalMs} ms`)],
    ['generator', esc(`${c.processes} process(es) x ${c.workers} worker(s); shard ${c.shard.index}/${c.shard.count}; seed ${c.seed}`)],
    ['layout', esc(c.layout)], ['thresholds', esc(c.thresholds.join(', ') || 'none')],
    ['target scrypt cost', esc(r.targetScryptCost === null ? 'unknown' : String(r.targetScryptCost))],
    ['machine', esc(`${e.cpus} x ${e.cpuModel}, ${(e.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${e.platform}, Node ${e.node}`)],
    ['load average', esc(`${e.loadAverage.start.map((v) => v.toFixed(2)).join(' ')} at the start, ${e.loadAverage.end.map((v) => v.toFixed(2)).join(' ')} at the end`)],
    ['open-file limit', esc(e.openFileLimit === null ? 'unknown' : int(e.openFileLimit))],
  ];
  const shards = r.shards.length === 0 ? '' : `<h3>Shards</h3>${table(
    [{ header: 'shard' }, { header: 'run' }, { header: 'status' }, { header: 'targets' }, { header: 'measured', numeric: true }, { header: 'errors', numeric: true }, { header: 'requests sent', numeric: true }],
    r.shards.map((s) => s.summary === null
      ? [esc(s.shard), code(s.runId), '<span class="muted">not recorded (merged by schema version 2)</span>', '', '', '', '']
      : [esc(s.shard), code(s.runId), tag(s.summary.exitCode === 0 ? 'pass' : 'fail', `${s.summary.status} (exit ${s.summary.exitCode})`), esc(s.summary.targets.join(', ')),
        seconds(s.summary.measuredMs), int(s.summary.errors), int(Object.values(s.summary.ops).reduce((n, o) => n + o.sent, 0))]),
  )}`;
  return `<h2 id="config">Configuration and environment</h2>${keyValues(pairs)}${shards}`;
}

export function loadHtml(r: LoadResult): string {
  const c = r.config;
  const figures = opFigures(r);
  const target = c.targets.map((t) => `${t.host}:${t.port}`).join(', ');
  const body = [
    `<h1>talkbench load: ${esc(c.scenario)} (${esc(c.protocol === 'im' ? 'IM' : 'CHAT/1.0')}) against ${esc(target)}</h1>`,
    `<p class="muted">${esc(`${int(c.users)} ${c.scenario === 'ping' ? 'connections' : 'users'}, ${seconds(r.measuredMs)} measured; run ${r.runId}, ${r.startedAt}`)}${r.shards.length > 0 ? esc(`; merged from ${r.shards.length} shards`) : ''}</p>`,
    verdict(r), generatorWarning(r), thresholds(r),
    figures.length > 0 ? `<h2 id="operations">Operations</h2>${operationsTable(figures)}` : '<p>Nothing was measured: the run never started its load.</p>',
    figures.length > 0 ? perOperation(r, figures) : '',
    deliveries(r), errorsSection(r), generatorSection(r), configSection(r),
  ];
  return page({ title: `talkbench load ${r.runId}: ${r.status}`, body: body.join('\n'), generator: `talkbench ${r.tool.version}`, charts: figures.length > 0 });
}

// The shell every HTML report shares: one self-contained file [D-RESULT] that needs no network and no
// JavaScript. Its Content-Security-Policy forbids every fetch (scripts, styles from elsewhere, fonts,
// images but data: ones), so a report cannot leak a request even if a later change tried; the charts
// are inline SVG, hovering a point shows its <title>, and the CSS has print and narrow-screen rules.

/** Text for an element or an attribute: the five specials escaped, control characters made visible. */
export function esc(text: string | number): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Series colours, told apart by people with the common colour-vision deficiencies (Okabe-Ito). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7a5c00', '#000000'] as const;

const CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --pass-bg: #dafbe1; --fail-bg: #ffebe9; --warn-bg: #fff8c5; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 16px 20px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p, ul { margin: 6px 0; } code, .mono { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.verdict { border-radius: 6px; padding: 10px 14px; margin: 10px 0 14px; border: 1px solid; }
.verdict.pass { background: var(--pass-bg); border-color: var(--pass); } .verdict.fail { background: var(--fail-bg); border-color: var(--fail); }
.verdict.warn { background: var(--warn-bg); border-color: var(--warn); }
.verdict strong { font-size: 16px; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; } td.n, th.n { text-align: right; white-space: nowrap; }
.tag { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.tag.pass { background: var(--pass-bg); color: var(--pass); } .tag.fail { background: var(--fail-bg); color: var(--fail); }
.tag.warn { background: var(--warn-bg); color: var(--warn); } .tag.none { background: var(--soft); color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px 20px; } .charts > * { min-width: 0; }
figure { margin: 0; } figcaption { font-size: 13px; color: var(--muted); margin: 2px 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); } svg.chart .title { font-size: 13px; fill: var(--fg); font-weight: 600; }
svg.chart .grid { stroke: #eaeef2; stroke-width: 1; } svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .series { fill: none; stroke-width: 1.8; stroke-linejoin: round; } svg.chart .band { stroke: none; opacity: .18; }
svg.chart .region { fill: #8c959f; opacity: .10; } svg.chart .region-label { font-size: 10px; }
td:first-child, th:first-child { position: sticky; left: 0; background: var(--bg); } th:first-child { background: var(--soft); }
p.caption { margin: 4px 0 2px; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; } dl.kv dt { color: var(--muted); } dl.kv dd { margin: 0; }
details { margin: 4px 0; } summary { cursor: pointer; }
pre { background: var(--soft); padding: 8px; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media (max-width: 640px) { body { padding: 10px; font-size: 13px; } svg.chart text { font-size: 14px; } svg.chart .title { font-size: 16px; } svg.chart .region-label { font-size: 12px; } .charts { grid-template-columns: 1fr; } dl.kv { grid-template-columns: 1fr; } dl.kv dd { margin-bottom: 4px; } }
@media print { body { max-width: none; padding: 0; font-size: 11px; } table, code, .mono, figcaption { font-size: 9.5px; } th, td { padding: 1px 4px; } .charts { grid-template-columns: 1fr 1fr; } .scroll { overflow: visible; } details { display: block; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
`;

export interface PageParts {
  title: string;
  /** The page's own sections, already HTML. */
  body: string;
  /** Who wrote it: "talkbench 0.1.0". */
  generator: string;
  /** Whether the page has charts, whose figures show on hovering. */
  charts: boolean;
}

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function page(parts: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(parts.generator)}">
<title>${esc(parts.title)}</title>
<style>${CSS}</style>
</head>
<body>
${parts.body}
<footer>Written by ${esc(parts.generator)}. One file: it needs no network and no JavaScript${parts.charts ? '; hover a chart for its figures' : ''}.</footer>
</body>
</html>
`;
}

/** The verdict box at the top of a report. */
export function verdictBox(kind: 'pass' | 'fail' | 'warn', headline: string, details: readonly string[] = []): string {
  const list = details.length > 0 ? `<ul>${details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` : '';
  return `<div class="verdict ${kind}" role="status"><strong>${esc(headline)}</strong>${list}</div>`;
}

export function tag(kind: 'pass' | 'fail' | 'warn' | 'none', text: string): string {
  return `<span class="tag ${kind}">${esc(text)}</span>`;
}

export interface Column { header: string; numeric?: boolean }

/** A table of already-escaped cells (use esc() on text), wrapped so it scrolls on a narrow screen. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[], caption?: string): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="n"' : ''} scope="col">${esc(c.header)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${columns[i]?.numeric ? ' class="n"' : ''}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `${caption ? `<p class="caption muted">${esc(caption)}</p>` : ''}<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A definition list of label → already-escaped value. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  return `<dl class="kv">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

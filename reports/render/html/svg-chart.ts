// Line charts as inline SVG, drawn from numbers alone: no library, no script. A chart has two linear
// axes (a caller wanting a log axis passes log values and labels its ticks), lines, shaded bands (an
// uncertainty) and shaded x ranges (the run's phases). Hovering shows figures through <title>
// elements over thin invisible columns, which every browser shows without JavaScript.
import { esc, PALETTE } from './page.js';

export type Point = readonly [x: number, y: number];

export interface Tick { at: number; label: string }

export interface Axis { min: number; max: number; ticks: readonly Tick[]; title: string }

export interface Line { name: string; points: readonly Point[]; color: number; dashed?: boolean }

/** A shaded area between two curves over the same x values. */
export interface Band { name: string; lower: readonly Point[]; upper: readonly Point[]; color: number }

export interface Region { from: number; to: number; label: string }

/** What hovering at x tells: one entry per x, the columns split halfway between neighbours. */
export interface Hover { x: number; text: string }

export interface LineChart {
  title: string;
  x: Axis;
  y: Axis;
  lines: readonly Line[];
  bands?: readonly Band[];
  regions?: readonly Region[];
  hover?: readonly Hover[];
  /** The chart's own label for a screen reader and for a test to find it by. */
  label: string;
}

const W = 560;
const H = 280;
const M = { left: 56, right: 14, bottom: 42 };
/** Width of a legend or label character, in viewBox units: generous, as narrow screens draw the text larger. */
const CHAR = 7.4;

const fixed = (v: number): string => (Math.round(v * 10) / 10).toString();

/** An axis label: as few digits as the value needs (0.5, 2, 1,000). */
export const axisNumber = (v: number): string => Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 3 });

/** About `count` round ticks over [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count: number, label: (v: number) => string): Tick[] {
  if (!(max > min)) return [{ at: min, label: label(min) }];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: Tick[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const at = Math.abs(v) < step * 1e-9 ? 0 : v;
    ticks.push({ at, label: label(Number(at.toPrecision(12))) });
  }
  return ticks;
}

/** The top of a linear axis from 0 that holds `max`: a round number a little above it. */
export function roundUp(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= max) ?? 10) * power;
}

export function lineChart(chart: LineChart): string {
  const plotW = W - M.left - M.right;
  const key = legend(chart.lines, chart.bands ?? []);
  const top = 30 + key.rows * 14;
  const plotH = H - top - M.bottom;
  const { x, y } = chart;
  const sx = (v: number): number => M.left + ((v - x.min) / (x.max - x.min || 1)) * plotW;
  const sy = (v: number): number => top + plotH - ((Math.min(Math.max(v, y.min), y.max) - y.min) / (y.max - y.min || 1)) * plotH;
  const path = (points: readonly Point[]): string => points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)).map(([a, b]) => `${fixed(sx(a))},${fixed(sy(b))}`).join(' ');
  const parts: string[] = [];
  parts.push(`<text class="title" x="${M.left}" y="16">${esc(chart.title)}</text>`);
  for (const r of chart.regions ?? []) {
    const from = sx(Math.max(r.from, x.min));
    const to = sx(Math.min(r.to, x.max));
    if (to <= from) continue;
    parts.push(`<rect class="region" x="${fixed(from)}" y="${top}" width="${fixed(to - from)}" height="${plotH}"><title>${esc(r.label)}</title></rect>`);
    if (to - from > r.label.length * CHAR * 0.8 + 6) parts.push(`<text class="region-label" x="${fixed(from + 3)}" y="${top + 11}">${esc(r.label)}</text>`);
  }
  for (const t of y.ticks) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${fixed(sy(t.at))}" y2="${fixed(sy(t.at))}"/>`);
    parts.push(`<text x="${M.left - 5}" y="${fixed(sy(t.at) + 3.5)}" text-anchor="end">${esc(t.label)}</text>`);
  }
  for (const t of x.ticks) {
    if (t.at < x.min || t.at > x.max) continue;
    parts.push(`<line class="grid" x1="${fixed(sx(t.at))}" x2="${fixed(sx(t.at))}" y1="${top}" y2="${top + plotH}"/>`);
    // A label at the right edge would be cut by the frame: it ends at its tick instead.
    const anchor = sx(t.at) > W - M.right - t.label.length * CHAR * 0.5 ? 'end' : 'middle';
    parts.push(`<text x="${fixed(sx(t.at))}" y="${top + plotH + 14}" text-anchor="${anchor}">${esc(t.label)}</text>`);
  }
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${top + plotH}" y2="${top + plotH}"/>`);
  parts.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${top}" y2="${top + plotH}"/>`);
  parts.push(`<text x="${M.left + plotW / 2}" y="${H - 6}" text-anchor="middle">${esc(x.title)}</text>`);
  parts.push(`<text x="12" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 12 ${top + plotH / 2})">${esc(y.title)}</text>`);
  for (const b of chart.bands ?? []) {
    const outline = [...b.upper, ...[...b.lower].reverse()];
    const shape = path(outline);
    if (shape) parts.push(`<polygon class="band" fill="${PALETTE[b.color % PALETTE.length]}" points="${shape}"><title>${esc(b.name)}</title></polygon>`);
  }
  const drawn = chart.lines.filter((l) => l.points.length > 0);
  for (const l of drawn) {
    const colour = PALETTE[l.color % PALETTE.length];
    const dash = l.dashed ? ' stroke-dasharray="5 3"' : '';
    parts.push(`<polyline class="series" stroke="${colour}"${dash} points="${path(l.points)}"><title>${esc(l.name)}</title></polyline>`);
    // A lone point draws no line: mark it.
    if (l.points.length === 1) parts.push(`<circle cx="${fixed(sx(l.points[0]![0]))}" cy="${fixed(sy(l.points[0]![1]))}" r="2.5" fill="${colour}"/>`);
  }
  if (drawn.length === 0) parts.push(`<text x="${M.left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle">no data</text>`);
  parts.push(key.svg);
  parts.push(hoverColumns(chart.hover ?? [], sx, top, plotH));
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(chart.label)}" data-chart="${esc(chart.label)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** Rows of swatches under the title; an entry too long for its row goes to the next. */
function legend(lines: readonly Line[], bands: readonly Band[]): { svg: string; rows: number } {
  const items = [
    ...lines.filter((l) => l.points.length > 0).map((l) => ({ name: l.name, colour: PALETTE[l.color % PALETTE.length]!, dashed: l.dashed === true, band: false })),
    ...bands.map((b) => ({ name: b.name, colour: PALETTE[b.color % PALETTE.length]!, dashed: false, band: true })),
  ];
  const out: string[] = [];
  let xPos = M.left;
  let row = 0;
  for (const item of items) {
    const width = 22 + item.name.length * CHAR * 1.05 + 10;
    if (xPos + width > W - M.right && xPos > M.left) { xPos = M.left; row += 1; }
    const yPos = 30 + row * 14;
    out.push(item.band
      ? `<rect x="${fixed(xPos)}" y="${yPos - 6}" width="16" height="8" fill="${item.colour}" opacity=".25"/>`
      : `<line x1="${fixed(xPos)}" x2="${fixed(xPos + 16)}" y1="${yPos - 2}" y2="${yPos - 2}" stroke="${item.colour}" stroke-width="2"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${fixed(xPos + 20)}" y="${yPos + 2}">${esc(item.name)}</text>`);
    xPos += width;
  }
  return { svg: out.join(''), rows: items.length === 0 ? 0 : row + 1 };
}

function hoverColumns(hover: readonly Hover[], sx: (v: number) => number, top: number, height: number): string {
  const sorted = [...hover].sort((a, b) => a.x - b.x);
  return sorted.map((h, i) => {
    const left = i === 0 ? sx(h.x) - 3 : (sx(sorted[i - 1]!.x) + sx(h.x)) / 2;
    const right = i === sorted.length - 1 ? sx(h.x) + 3 : (sx(h.x) + sx(sorted[i + 1]!.x)) / 2;
    return `<rect x="${fixed(left)}" y="${top}" width="${fixed(Math.max(1, right - left))}" height="${height}" fill="transparent"><title>${esc(h.text)}</title></rect>`;
  }).join('');
}

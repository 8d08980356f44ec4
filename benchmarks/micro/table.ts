// The printed table. Rows are printed as each case finishes, so a run of a minute shows progress;
// that is why column widths come from the case list, known before anything is measured.
import type { BenchCase, Measurement } from './timing.js';

const RATE_WIDTH = 13;
const NS_WIDTH = 9;
const SPREAD_WIDTH = 7;

/** 12345678.9 -> "12,345,679": whole operations per second, grouped so magnitudes read at a glance. */
function rate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function nanoseconds(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export class TableWriter {
  private readonly groupWidth: number;
  private readonly nameWidth: number;
  private readonly unitWidth: number;
  private lastGroup: string | null = null;

  constructor(
    cases: readonly BenchCase[],
    private readonly write: (line: string) => void,
  ) {
    this.groupWidth = Math.max('subject'.length, ...cases.map((c) => c.group.length));
    this.nameWidth = Math.max('case'.length, ...cases.map((c) => c.name.length));
    this.unitWidth = Math.max('unit'.length, ...cases.map((c) => c.unit.length));
  }

  header(): void {
    const line = [
      'subject'.padEnd(this.groupWidth),
      'case'.padEnd(this.nameWidth),
      'unit'.padEnd(this.unitWidth),
      'median'.padStart(RATE_WIDTH),
      'min'.padStart(RATE_WIDTH),
      'max'.padStart(RATE_WIDTH),
      'ns/op'.padStart(NS_WIDTH),
      'spread'.padStart(SPREAD_WIDTH),
    ].join('  ');
    this.write(line);
    this.write('-'.repeat(line.length));
  }

  row(m: Measurement): void {
    // The group is printed once, on its first row, so that groups stand out.
    const group = m.group === this.lastGroup ? '' : m.group;
    if (group && this.lastGroup !== null) this.write('');
    this.lastGroup = m.group;
    // Spread: (max - min) / median. Several percent means the machine was busy during that case.
    const spread = `${(((m.max - m.min) / m.median) * 100).toFixed(1)}%`;
    this.write([
      group.padEnd(this.groupWidth),
      m.name.padEnd(this.nameWidth),
      m.unit.padEnd(this.unitWidth),
      rate(m.median).padStart(RATE_WIDTH),
      rate(m.min).padStart(RATE_WIDTH),
      rate(m.max).padStart(RATE_WIDTH),
      nanoseconds(m.nsPerOp).padStart(NS_WIDTH),
      spread.padStart(SPREAD_WIDTH),
    ].join('  '));
  }
}

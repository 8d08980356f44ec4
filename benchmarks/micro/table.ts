// The printed table. Rows are printed as each case finishes, so a run of a minute shows progress;
// that is why column widths come from the case list, known before anything is measured.
import { formatHeader, formatRow, type TextColumn } from '../../util/text-table.js';
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
  private readonly columns: readonly TextColumn[];
  private lastGroup: string | null = null;

  constructor(
    cases: readonly BenchCase[],
    private readonly write: (line: string) => void,
  ) {
    // Names as wide as the longest in the case list; figures at fixed widths.
    this.columns = [
      { header: 'subject', width: Math.max(...cases.map((c) => c.group.length)) },
      { header: 'case', width: Math.max(...cases.map((c) => c.name.length)) },
      { header: 'unit', width: Math.max(...cases.map((c) => c.unit.length)) },
      { header: 'median', align: 'right', width: RATE_WIDTH },
      { header: 'min', align: 'right', width: RATE_WIDTH },
      { header: 'max', align: 'right', width: RATE_WIDTH },
      { header: 'ns/op', align: 'right', width: NS_WIDTH },
      { header: 'spread', align: 'right', width: SPREAD_WIDTH },
    ];
  }

  header(): void {
    for (const line of formatHeader(this.columns, { underline: true })) this.write(line);
  }

  row(m: Measurement): void {
    // The group is printed once, on its first row, so that groups stand out.
    const group = m.group === this.lastGroup ? '' : m.group;
    if (group && this.lastGroup !== null) this.write('');
    this.lastGroup = m.group;
    // Spread: (max - min) / median. Several percent means the machine was busy during that case.
    const spread = `${(((m.max - m.min) / m.median) * 100).toFixed(1)}%`;
    this.write(formatRow(this.columns, [group, m.name, m.unit, rate(m.median), rate(m.min), rate(m.max), nanoseconds(m.nsPerOp), spread]));
  }
}

// Plain-text tables for people reading a terminal: columns padded with spaces (never cut), numbers
// aligned right, names left, two spaces between columns. One layout for the load summary and the
// micro benchmarks. A table printed row by row as results arrive gives its widths up front; one
// printed at once takes them from its widest cells.

export type Align = 'left' | 'right';

export interface TextColumn {
  header: string;
  /** `right` for numbers, so digits line up; `left` (the default) for names. */
  align?: Align;
  /** The narrowest the column may be; it is never narrower than its header. */
  width?: number;
}

/** What separates two columns. */
export const COLUMN_GAP = '  ';

const widthOf = (column: TextColumn): number => Math.max(column.width ?? 0, column.header.length);

/** One line: each cell padded to its column's width; a cell wider than that is kept whole. */
export function formatRow(columns: readonly TextColumn[], cells: readonly string[]): string {
  return columns.map((column, c) => {
    const cell = cells[c] ?? '';
    return column.align === 'right' ? cell.padStart(widthOf(column)) : cell.padEnd(widthOf(column));
  }).join(COLUMN_GAP);
}

/** The header line, and with `underline` a line of dashes as long under it. */
export function formatHeader(columns: readonly TextColumn[], { underline = false } = {}): string[] {
  const line = formatRow(columns, columns.map((column) => column.header));
  return underline ? [line, '-'.repeat(line.length)] : [line];
}

/** The columns widened to hold every cell of `rows`. */
export function fitColumns(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): TextColumn[] {
  return columns.map((column, c) => ({ ...column, width: Math.max(widthOf(column), ...rows.map((row) => (row[c] ?? '').length)) }));
}

/** A whole table at once: the header, then the rows, each column as wide as its widest cell. */
export function formatTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[], options: { underline?: boolean } = {}): string {
  const fitted = fitColumns(columns, rows);
  return [...formatHeader(fitted, options), ...rows.map((row) => formatRow(fitted, row))].join('\n');
}

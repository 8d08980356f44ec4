// Plain-text tables: byte fixtures of each layout (the load summary's, the micro benchmarks'), then
// properties of any table.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { fitColumns, formatHeader, formatRow, formatTable, type TextColumn } from '../text-table.js';

describe('text tables: fixtures', () => {
  test('a whole table: widths from the widest cell, header included; names left, numbers right', () => {
    const columns: TextColumn[] = [{ header: 'operation' }, { header: 'sent', align: 'right' }, { header: 'p99 ms', align: 'right' }];
    const rows = [['login', '10', '7.92'], ['status.notice', '1,044', '-']];
    // Widths 13, 5 and 6; two spaces between columns.
    expect(formatTable(columns, rows)).toBe([
      'operation    ' + '  ' + ' sent' + '  ' + 'p99 ms',
      'login        ' + '  ' + '   10' + '  ' + '  7.92',
      'status.notice' + '  ' + '1,044' + '  ' + '     -',
    ].join('\n'));
  });

  test('a table printed row by row: fixed widths, an underlined header, wide cells kept whole', () => {
    const columns: TextColumn[] = [
      { header: 'subject', width: 5 },          // narrower than its header: the header wins
      { header: 'case', width: 6 },
      { header: 'median', align: 'right', width: 8 },
    ];
    expect(formatHeader(columns, { underline: true })).toEqual([
      'subject  case      median',
      '-------------------------',
    ]);
    expect(formatRow(columns, ['frame', 'decode', '1,234'])).toBe('frame    decode     1,234');
    expect(formatRow(columns, ['', 'encode', '123,456,789'])).toBe('         encode  123,456,789');
  });

  test('no underline unless asked; a missing cell is blank', () => {
    const columns: TextColumn[] = [{ header: 'a' }, { header: 'b', align: 'right' }];
    expect(formatHeader(columns)).toEqual(['a  b']);
    expect(formatRow(columns, ['x'])).toBe('x   ');
    expect(formatTable(columns, [], { underline: true })).toBe('a  b\n----');
  });
});

describe('text tables: properties', () => {
  const arbCell = fc.string({ unit: fc.constantFrom('a', 'b', '1', '.', ',', '-', ' '), maxLength: 12 });
  const arbTable = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
    columns: fc.array(fc.record({ header: arbCell, align: fc.constantFrom<'left' | 'right'>('left', 'right') }), { minLength: n, maxLength: n }),
    rows: fc.array(fc.array(arbCell, { minLength: n, maxLength: n }), { maxLength: 8 }),
  }));

  test.prop([arbTable])('every line of a fitted table is as long, and each cell stays whole in its column', ({ columns, rows }) => {
    const lines = formatTable(columns, rows).split('\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    const fitted = fitColumns(columns, rows);
    [columns.map((c) => c.header), ...rows].forEach((cells, r) => {
      let at = 0;
      fitted.forEach((column, c) => {
        const slot = lines[r]!.slice(at, at + column.width!);
        expect(column.align === 'right' ? slot.endsWith(cells[c]!) : slot.startsWith(cells[c]!)).toBe(true);
        at += column.width! + 2;
      });
    });
  });

  test.prop([arbTable])('the load summary\'s layout: first column left, the others right, two spaces apart', ({ columns, rows }) => {
    // The summary's table as it was written before this module, kept as the reference.
    const all = [columns.map((c) => c.header), ...rows];
    const widths = all[0]!.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
    const reference = all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
    const summaryColumns = columns.map((column, c): TextColumn => ({ header: column.header, align: c === 0 ? 'left' : 'right' }));
    expect(formatTable(summaryColumns, rows)).toBe(reference);
  });
});

import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/views/reports/text-table.js';

const COLUMNS = [
  { header: 'Date' },
  { header: 'Models', dropRank: 3 },
  { header: 'Input', align: 'right' as const, dropRank: 2 },
  { header: 'Cost', align: 'right' as const },
];
const ROWS = [
  { cells: ['2026-11-24', 'sonnet-4-5, opus-4-5', '1,234', '$1.00'] },
  { cells: ['  sonnet-4-5', '', '1,000', '$0.50'], kind: 'detail' as const },
  { cells: ['Total', '', '1,234', '$1.00'], kind: 'total' as const },
];
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

describe('renderTable', () => {
  it('aligns columns and draws a rule above the totals', () => {
    expect(renderTable(COLUMNS, ROWS, { width: 80, color: false })).toBe(
      [
        'Date          Models                Input   Cost',
        '────────────────────────────────────────────────',
        '2026-11-24    sonnet-4-5, opus-4-5  1,234  $1.00',
        '  sonnet-4-5                        1,000  $0.50',
        '────────────────────────────────────────────────',
        'Total                               1,234  $1.00',
        '',
      ].join('\n'),
    );
  });

  it('drops columns by rank until it fits a narrow terminal', () => {
    const narrow = renderTable(COLUMNS, ROWS, { width: 30, color: false });
    expect(narrow.split('\n')[0]).toBe('Date          Input   Cost');
    const tiny = renderTable(COLUMNS, ROWS, { width: 10, color: false });
    expect(tiny.split('\n')[0]).toBe('Date           Cost');
  });

  it('colours only when asked, without moving a column', () => {
    const plain = renderTable(COLUMNS, ROWS, { width: 80, color: false });
    const coloured = renderTable(COLUMNS, ROWS, { width: 80, color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });
});

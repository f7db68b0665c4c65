import pc from 'picocolors';

/** Where the table is printed: its width in columns, and whether to colour it. */
export interface TableStyle {
  width: number;
  color: boolean;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** When the table is too wide, columns with the highest rank go first; none: always kept. */
  dropRank?: number;
}

export interface TableRow {
  cells: string[];
  /** detail: a per-model line under its row; total: the totals line. */
  kind?: 'body' | 'detail' | 'total';
}

const GAP = '  ';

/**
 * A plain-text table that fits `style.width`: columns are dropped by rank
 * until it does (the compact layout of narrow terminals). Widths are measured
 * before colouring, so escape codes never shift a column.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly TableRow[],
  style: TableStyle,
): string {
  const c = pc.createColors(style.color);
  const widths = columns.map((col, i) =>
    Math.max(col.header.length, ...rows.map((r) => (r.cells[i] ?? '').length)),
  );
  let keep = columns.map((_, i) => i);
  const tableWidth = () =>
    keep.reduce((sum, i) => sum + (widths[i] ?? 0), 0) + GAP.length * (keep.length - 1);
  while (tableWidth() > style.width) {
    let drop = -1;
    for (const i of keep) {
      const rank = columns[i]?.dropRank;
      if (rank !== undefined && (drop < 0 || rank > (columns[drop]?.dropRank ?? 0))) drop = i;
    }
    if (drop < 0) break;
    keep = keep.filter((i) => i !== drop);
  }
  const line = (cells: readonly string[]) =>
    keep
      .map((i) => {
        const text = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
      })
      .join(GAP)
      .trimEnd();
  const rule = c.dim('─'.repeat(tableWidth()));
  const out = [c.bold(line(columns.map((col) => col.header))), rule];
  for (const row of rows) {
    if (row.kind === 'total') out.push(rule, c.bold(line(row.cells)));
    else if (row.kind === 'detail') out.push(c.dim(line(row.cells)));
    else out.push(line(row.cells));
  }
  return `${out.join('\n')}\n`;
}

import { tokensOf, type UsageTotals } from '../../domain/usage-totals.js';
import { formatCost, formatTokens, shortModel } from './cell-format.js';
import { type Column, renderTable, type TableRow, type TableStyle } from './text-table.js';
import { modelsByCost, type UsageGroup } from './usage-groups.js';

/** Token and cost columns; on narrow terminals Models goes first, then the cache columns. */
const FIGURE_COLUMNS: readonly Column[] = [
  { header: 'Models', dropRank: 10 },
  { header: 'Input', align: 'right', dropRank: 7 },
  { header: 'Output', align: 'right', dropRank: 6 },
  { header: 'Cache Create', align: 'right', dropRank: 9 },
  { header: 'Cache Read', align: 'right', dropRank: 8 },
  { header: 'Total Tokens', align: 'right' },
  { header: 'Cost (USD)', align: 'right' },
];

function figureCells(t: UsageTotals, models: string): string[] {
  return [
    models,
    formatTokens(t.input),
    formatTokens(t.output),
    formatTokens(t.cacheCreation),
    formatTokens(t.cacheRead),
    formatTokens(tokensOf(t)),
    formatCost(t.costNanos, t.unpricedTokens),
  ];
}

export interface LabelledGroup {
  /** The cells of the leading columns (date, session, project...). */
  labels: string[];
  group: UsageGroup;
}

/**
 * The table of usage groups every report but blocks prints: leading label
 * columns, the figures, with `breakdown` one line per model under each row,
 * and a totals row.
 */
export function usageTable(
  labelColumns: readonly Column[],
  rows: readonly LabelledGroup[],
  total: LabelledGroup,
  breakdown: boolean,
  style: TableStyle,
): string {
  const blank = labelColumns.map(() => '');
  const table: TableRow[] = [];
  for (const { labels, group } of rows) {
    const models = [...new Set([...group.models.keys()].map(shortModel))].sort().join(', ');
    table.push({ cells: [...labels, ...figureCells(group.totals, models)] });
    if (!breakdown) continue;
    for (const [model, t] of modelsByCost(group)) {
      table.push({
        cells: [`  ${shortModel(model)}`, ...blank.slice(1), ...figureCells(t, '')],
        kind: 'detail',
      });
    }
  }
  const totalLabels = blank.map((b, i) => total.labels[i] ?? b);
  table.push({ cells: [...totalLabels, ...figureCells(total.group.totals, '')], kind: 'total' });
  return renderTable([...labelColumns, ...FIGURE_COLUMNS], table, style);
}

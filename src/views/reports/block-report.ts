import pc from 'picocolors';
import {
  type Block,
  billingBlocks,
  blockWindows,
  burnRateOf,
  isActiveAt,
  type LimitStatus,
  largestBlockTokens,
  limitStatusOf,
  projectionOf,
} from '../../domain/blocks.js';
import { nanosToUsd } from '../../domain/money.js';
import { addTotals, emptyTotals, tokensOf, type UsageTotals } from '../../domain/usage-totals.js';
import type { Db } from '../../store/open-store.js';
import {
  type BucketUsage,
  type UsageFilter,
  type UsageRow,
  usageByBucket,
  usageRows,
  usageRowsInRanges,
} from '../../store/usage-queries.js';
import { HOUR_MS, QUARTER_MS } from '../../store/usage-rollups.js';
import {
  type ModelBreakdownJson,
  metaJson,
  modelBreakdownJson,
  type ReportMetaJson,
} from './ccusage-json.js';
import { formatCost, formatMinutes, formatTokens, shortModel } from './cell-format.js';
import { notesOf, type ReportNote, tableFooter } from './report-notes.js';
import type { ReportOptions } from './report-options.js';
import { reportScope } from './report-scope.js';
import { type Column, renderTable, type TableRow, type TableStyle } from './text-table.js';
import {
  addToGroup,
  emptyGroup,
  groupUsage,
  modelsByCost,
  totalOf,
  type UsageGroup,
} from './usage-groups.js';

const MINUTE_MS = 60_000;
const RECENT_MS = 3 * 24 * 60 * 60 * 1000;

export interface BlockReport {
  options: ReportOptions;
  /** The blocks shown (after --recent / --active), in `options.order`. */
  blocks: Block[];
  /** `--token-limit`, with `max` resolved; undefined without one (or no finished block for max). */
  tokenLimit: number | undefined;
  /** The responses of the blocks shown. */
  total: UsageGroup;
  /** With `--breakdown`: each block's figures per model (gaps have none). */
  breakdowns: Map<Block, UsageGroup> | undefined;
  notes: ReportNote[];
  localTime: (ms: number) => string;
}

export function blockReport(db: Db, options: ReportOptions): BlockReport {
  const scope = reportScope(db, options);
  const { all, shownTotal, byModel } =
    blocksFromRollup(db, scope.filter, options) ?? blocksFromResponses(db, scope.filter, options);
  let blocks = all;
  if (options.recent)
    blocks = blocks.filter((b) => b.isActive || b.startMs >= options.now - RECENT_MS);
  if (options.active) blocks = blocks.filter((b) => b.isActive);
  if (options.order === 'desc') blocks = [...blocks].reverse();
  const tokenLimit = options.tokenLimit === 'max' ? largestBlockTokens(all) : options.tokenLimit;
  const total = shownTotal(blocks);
  const breakdowns = options.breakdown ? byModel(blocks) : undefined;
  const notes = notesOf(total, scope, options.view);
  if (blocks.length === 0 && all.length > 0) {
    // There is usage, only not in the blocks asked for: say so rather than "no usage".
    const why = options.active
      ? 'No active block: the last 5-hour window has ended.'
      : 'No block in the last 3 days.';
    notes.splice(0, notes.length, { level: 'hint', text: why });
  }
  if (options.tokenLimit === 'max' && tokenLimit === undefined && all.length > 0) {
    notes.push({
      level: 'hint',
      text: '--token-limit max: no finished block yet to take the largest total from.',
    });
  }
  return {
    options,
    blocks,
    tokenLimit,
    total,
    breakdowns,
    notes,
    localTime: (ms) => scope.calendar.timeAt(ms),
  };
}

/** Every block, the sum (with models) of any of them, and each one's figures per model. */
interface AllBlocks {
  all: Block[];
  shownTotal: (shown: readonly Block[]) => UsageGroup;
  byModel: (shown: readonly Block[]) => Map<Block, UsageGroup>;
}

/** The quarter hours holding a block's responses. */
function quarterRangeOf(block: Block): { fromMs: number; toMs: number } {
  return {
    fromMs: Math.floor(block.totals.firstMs / QUARTER_MS) * QUARTER_MS,
    toMs: Math.floor(block.totals.lastMs / QUARTER_MS) * QUARTER_MS + QUARTER_MS,
  };
}

/**
 * Each block's figures per model. One query for all blocks when none shares
 * a quarter hour with another; else (a block ending exactly where the next
 * one's bucket starts) each block's own time range.
 */
function modelRowsByBlock(
  db: Db,
  filter: UsageFilter,
  shown: readonly Block[],
): Map<Block, UsageRow[]> {
  const blocks = shown.filter((b) => !b.isGap).sort((a, b) => a.totals.firstMs - b.totals.firstMs);
  const ranges = blocks.map(quarterRangeOf);
  const byBlock = new Map<Block, UsageRow[]>(blocks.map((b) => [b, []]));
  const shareQuarter = ranges.some((r, i) => i > 0 && r.fromMs < (ranges[i - 1]?.toMs ?? 0));
  if (shareQuarter) {
    for (const b of blocks) {
      const exact = { ...filter, fromMs: b.totals.firstMs, toMs: b.totals.lastMs + 1 };
      byBlock.set(b, usageRows(db, exact, { model: true }));
    }
    return byBlock;
  }
  const blockAt = new Map(blocks.map((b, i) => [ranges[i]?.fromMs, b]));
  for (const row of usageRowsInRanges(db, filter, ranges, { model: true })) {
    const block = blockAt.get(row.bucket);
    if (block) byBlock.get(block)?.push(row);
  }
  return byBlock;
}

/**
 * The rollup's buckets, except that a bucket whose first response is exactly
 * on the hour, with more after it, is read response by response: a block may
 * end at that very millisecond (a block starts on the hour) and the next one
 * begin inside the bucket.
 */
function bucketsSplitOnTheHour(
  db: Db,
  filter: UsageFilter,
  usage: { widthMs: number; buckets: BucketUsage[] },
): { bucket: BucketUsage; widthMs: number }[] {
  const out: { bucket: BucketUsage; widthMs: number }[] = [];
  for (const bucket of usage.buckets) {
    const { row } = bucket;
    if (row.firstMs % HOUR_MS !== 0 || row.lastMs === row.firstMs) {
      out.push({ bucket, widthMs: usage.widthMs });
      continue;
    }
    const inBucket = { ...filter, fromMs: row.bucket, toMs: row.bucket + usage.widthMs };
    const byMs = new Map<number, BucketUsage>();
    for (const r of usageRows(db, inBucket, { bucketMs: 1, model: true })) {
      const at = byMs.get(r.bucket);
      if (!at) byMs.set(r.bucket, { row: { ...r }, models: [r.model] });
      else {
        addTotals(at.row, r);
        at.models.push(r.model);
      }
    }
    for (const [, part] of [...byMs].sort(([a], [b]) => a - b))
      out.push({ bucket: part, widthMs: 1 });
  }
  return out;
}

/**
 * Blocks from the hour (or quarter-hour) rollup, read once in its own order:
 * its first and last response times place the blocks, and each block sums its
 * buckets. Undefined where the filter is off the quarter hour.
 */
function blocksFromRollup(
  db: Db,
  filter: UsageFilter,
  options: ReportOptions,
): AllBlocks | undefined {
  const usage = usageByBucket(db, filter);
  if (!usage) return undefined;
  const spans = bucketsSplitOnTheHour(db, filter, usage);
  const windows = blockWindows(
    spans.map(({ bucket: { row }, widthMs }) => ({
      bucketMs: row.bucket,
      widthMs,
      firstMs: row.firstMs,
      lastMs: row.lastMs,
    })),
    usage.widthMs,
  );
  if (!windows) return undefined;
  let next = 0;
  const all = windows.map((w): Block => {
    const totals = emptyTotals();
    const models = new Set<string>();
    for (; next < spans.length; next++) {
      const bucket = spans[next]?.bucket;
      if (!bucket || bucket.row.bucket >= w.toBucketMs) break;
      addTotals(totals, bucket.row);
      for (const model of bucket.models) models.add(model);
    }
    const block: Block = {
      startMs: w.startMs,
      endMs: w.endMs,
      isGap: w.isGap,
      isActive: false,
      totals,
      models: [...models],
    };
    block.isActive = isActiveAt(block, options.now);
    return block;
  });
  return {
    all,
    shownTotal: (shown) => {
      const total = emptyGroup('total');
      for (const b of shown) addTotals(total.totals, b.totals);
      // Per model only where the notes need it: to name the models without a price.
      if (total.totals.unpricedTokens > 0) {
        const rows = [...modelRowsByBlock(db, filter, shown).values()].flat();
        for (const [model, group] of groupUsage(rows, (row) => row.model)) {
          total.models.set(model, group.totals);
        }
      }
      return total;
    },
    byModel: (shown) => {
      const groups = new Map<Block, UsageGroup>();
      for (const [block, rows] of modelRowsByBlock(db, filter, shown)) {
        const group = emptyGroup('');
        for (const row of rows) addToGroup(group, row);
        groups.set(block, group);
      }
      return groups;
    },
  };
}

/**
 * Blocks from the responses one by one (grouped only when at the same
 * millisecond): for a filter off the quarter hour, which no rollup answers.
 */
function blocksFromResponses(db: Db, filter: UsageFilter, options: ReportOptions): AllBlocks {
  const entries = usageRows(db, filter, { bucketMs: 1, model: true });
  const all = billingBlocks(entries, options.now);
  const inBlock = (b: Block, e: UsageRow) =>
    !b.isGap && e.firstMs >= b.totals.firstMs && e.firstMs <= b.totals.lastMs;
  return {
    all,
    shownTotal: (shown) =>
      totalOf(
        groupUsage(
          entries.filter((e) => shown.some((b) => inBlock(b, e))),
          () => 'total',
        ).values(),
      ),
    byModel: (shown) => {
      // By first response, not start: a block can start (on the hour) before the previous one's last response.
      const blocks = shown
        .filter((b) => !b.isGap)
        .sort((a, b) => a.totals.firstMs - b.totals.firstMs);
      const groups = new Map(blocks.map((b) => [b, emptyGroup('')]));
      for (const e of entries) {
        // The last block whose first response is not after the entry, if the entry is inside it.
        let [lo, hi] = [0, blocks.length - 1];
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((blocks[mid] as Block).totals.firstMs <= e.firstMs) lo = mid;
          else hi = mid - 1;
        }
        const block = blocks[lo];
        if (block && inBlock(block, e)) addToGroup(groups.get(block) as UsageGroup, e);
      }
      return groups;
    },
  };
}

export interface BlockJson {
  id: string;
  startTime: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  tokenCounts: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
  };
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: {
    tokensPerMinute: number;
    tokensPerMinuteForIndicator: number;
    costPerHour: number;
  } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
  tokenLimitStatus?: {
    limit: number;
    projectedUsage: number;
    /** ccusage's name: the share of the limit projected at the block's end. */
    percentUsed: number;
    currentPercentUsed: number;
    status: LimitStatus['state'];
  };
  unpricedTokens: number;
  outputUnderstated: number;
  /** Minutes until an active block ends; null for others. */
  remainingMinutes: number | null;
  /** With `--breakdown`: the block's figures per model, most expensive first. */
  modelBreakdowns?: ModelBreakdownJson[];
}

export interface BlocksJson extends ReportMetaJson {
  blocks: BlockJson[];
  tokenLimit: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function blockJson(block: Block, report: BlockReport): BlockJson {
  const { now } = report.options;
  const t = block.totals;
  const rate = block.isActive ? burnRateOf(block) : null;
  const projection = projectionOf(block, now);
  const json: BlockJson = {
    id: block.isGap ? `gap-${iso(block.startMs)}` : iso(block.startMs),
    startTime: iso(block.startMs),
    endTime: iso(block.endMs),
    actualEndTime: block.isGap ? null : iso(t.lastMs),
    isActive: block.isActive,
    isGap: block.isGap,
    entries: t.responses,
    tokenCounts: {
      inputTokens: t.input,
      outputTokens: t.output,
      cacheCreationInputTokens: t.cacheCreation,
      cacheReadInputTokens: t.cacheRead,
    },
    totalTokens: tokensOf(t),
    costUSD: nanosToUsd(t.costNanos),
    models: block.models,
    burnRate: rate && {
      tokensPerMinute: rate.tokensPerMinute,
      tokensPerMinuteForIndicator: rate.tokensPerMinuteForIndicator,
      costPerHour: nanosToUsd(rate.costNanosPerHour),
    },
    projection: projection && {
      totalTokens: projection.totalTokens,
      totalCost: nanosToUsd(projection.costNanos),
      remainingMinutes: projection.remainingMinutes,
    },
    unpricedTokens: t.unpricedTokens,
    outputUnderstated: t.understated,
    remainingMinutes: block.isActive
      ? Math.round(Math.max(0, block.endMs - now) / MINUTE_MS)
      : null,
  };
  const byModel = report.breakdowns?.get(block);
  if (byModel) {
    json.modelBreakdowns = modelsByCost(byModel).map(([model, t]) => modelBreakdownJson(model, t));
  }
  if (block.isActive && report.tokenLimit !== undefined) {
    const s = limitStatusOf(block, report.tokenLimit, now);
    json.tokenLimitStatus = {
      limit: s.limit,
      projectedUsage: s.projectedUsage,
      percentUsed: s.projectedPercent,
      currentPercentUsed: s.usedPercent,
      status: s.state,
    };
  }
  return json;
}

/** ccusage's `blocks` JSON, plus ccmon's fields. */
export function blocksJson(report: BlockReport): BlocksJson {
  return {
    blocks: report.blocks.map((b) => blockJson(b, report)),
    tokenLimit: report.tokenLimit ?? null,
    ...metaJson(report.options, report.notes),
  };
}

const percent = (p: number): string => `${p.toFixed(p < 10 ? 1 : 0)}%`;

function statusCell(block: Block, now: number): string {
  if (block.isGap) return `gap ${formatMinutes((block.endMs - block.startMs) / MINUTE_MS)}`;
  if (block.isActive) return `ACTIVE ${formatMinutes((block.endMs - now) / MINUTE_MS)} left`;
  return formatMinutes((block.totals.lastMs - block.startMs) / MINUTE_MS);
}

function activeDetails(block: Block, report: BlockReport, style: TableStyle): string {
  const c = pc.createColors(style.color);
  const { now } = report.options;
  const rate = burnRateOf(block);
  const projection = projectionOf(block, now);
  const lines = [
    c.bold(
      `Active block ${report.localTime(block.startMs)} to ${report.localTime(block.endMs).slice(11)}, ${formatMinutes((block.endMs - now) / MINUTE_MS)} left`,
    ),
    rate
      ? `  burn rate    ${formatTokens(rate.tokensPerMinute)} tokens/min, ${formatCost(rate.costNanosPerHour)}/h`
      : '  burn rate    not yet: one minute of responses so far',
  ];
  if (projection) {
    lines.push(
      `  projected    ${formatTokens(projection.totalTokens)} tokens, ${formatCost(projection.costNanos)} at the block's end`,
    );
  }
  if (report.tokenLimit !== undefined) {
    const s = limitStatusOf(block, report.tokenLimit, now);
    const text = `  token limit  ${formatTokens(s.limit)}: ${percent(s.usedPercent)} used, ${percent(s.projectedPercent)} projected (${s.state})`;
    lines.push(s.state === 'exceeds' ? c.red(text) : s.state === 'warning' ? c.yellow(text) : text);
  }
  return `${lines.join('\n')}\n`;
}

export function blocksTable(report: BlockReport, style: TableStyle): string {
  const { options, blocks, tokenLimit } = report;
  const footer = tableFooter(report.notes, options.view, options.timezone, style);
  if (blocks.length === 0) return footer;
  const limitColumn: Column[] =
    tokenLimit !== undefined ? [{ header: '% Limit', align: 'right', dropRank: 1 }] : [];
  const columns: Column[] = [
    { header: 'Block Start' },
    { header: 'Status' },
    { header: 'Models', dropRank: 2 },
    { header: 'Tokens', align: 'right' },
    ...limitColumn,
    { header: 'Cost (USD)', align: 'right' },
  ];
  const limitCell = (tokens: number): string[] =>
    tokenLimit !== undefined ? [percent((tokens / tokenLimit) * 100)] : [];
  /** A line of sums without a block of its own: a model's under its block, or the total. */
  const sumRow = (label: string, t: UsageTotals, kind: TableRow['kind']): TableRow => ({
    cells: [
      label,
      '',
      '',
      formatTokens(tokensOf(t)),
      ...limitCell(0).map(() => ''),
      formatCost(t.costNanos, t.unpricedTokens),
    ],
    kind,
  });
  const rows: TableRow[] = blocks.flatMap((b): TableRow[] => {
    const tokens = tokensOf(b.totals);
    const row: TableRow = {
      cells: [
        report.localTime(b.startMs),
        statusCell(b, options.now),
        b.models.map(shortModel).join(', '),
        b.isGap ? '' : formatTokens(tokens),
        ...(b.isGap ? limitCell(0).map(() => '') : limitCell(tokens)),
        b.isGap ? '' : formatCost(b.totals.costNanos, b.totals.unpricedTokens),
      ],
      kind: b.isGap ? 'detail' : 'body',
    };
    const byModel = report.breakdowns?.get(b);
    if (!byModel) return [row];
    const modelRows = modelsByCost(byModel).map(([model, t]) =>
      sumRow(`  ${shortModel(model)}`, t, 'detail'),
    );
    return [row, ...modelRows];
  });
  rows.push(sumRow('Total', report.total.totals, 'total'));
  const active = blocks.find((b) => b.isActive);
  const details = active ? `\n${activeDetails(active, report, style)}` : '';
  return `${renderTable(columns, rows, style)}${details}\n${footer}`;
}

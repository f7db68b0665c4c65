import { BLOCK_MS, billingBlocks, burnRateOf, projectionOf } from '../../domain/blocks.js';
import type { CostMode, View } from '../../domain/usage.js';
import { tokensOf } from '../../domain/usage-totals.js';
import { responseTimeBefore, responseTimes } from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import { usageRows } from '../../store/usage-queries.js';
import type { BlockFigures, BlockResponse, BudgetResponse } from './api-types.js';
import { startOfMonth, startOfNextMonth } from './calendar.js';
import type { ResolvedQuery } from './resolved-query.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** As `ccmon blocks`: minute buckets keep block edges exact enough and the query small. */
const MINUTE = 60_000;

/**
 * The latest 5-hour block of the last day, as `ccmon blocks` computes it, for
 * all projects and models (a block is the account's, not a project's).
 */
function currentBlock(db: Db, view: View, mode: CostMode, now: number): BlockFigures | null {
  const since = chainStart(db, view, now);
  if (since === undefined) return null;
  const entries = usageRows(db, { view, mode, fromMs: since }, { bucketMs: MINUTE, model: true });
  const block = billingBlocks(entries, now)
    .filter((b) => !b.isGap)
    .at(-1);
  if (!block) return null;
  const t = block.totals;
  const rate = burnRateOf(block);
  const projection = projectionOf(block, now);
  return {
    start: block.startMs,
    end: block.endMs,
    firstMs: t.firstMs,
    lastMs: t.lastMs,
    active: block.isActive,
    responses: t.responses,
    tokens: {
      input: t.input,
      output: t.output,
      cacheRead: t.cacheRead,
      cacheCreation: t.cacheCreation,
      total: tokensOf(t),
    },
    costNanos: t.costNanos,
    models: block.models,
    burnRateNanosPerHour: rate ? Math.round(rate.costNanosPerHour) : null,
    tokensPerMinute: rate ? Math.round(rate.tokensPerMinute) : null,
    projectedCostNanos: projection?.costNanos ?? null,
    projectedTokens: projection?.totalTokens ?? null,
    timeLeftMs: block.isActive ? block.endMs - now : 0,
  };
}

/** The current block of a request's view and mode, with the request's scope. */
export function blockFigures(db: Db, rq: ResolvedQuery): BlockResponse {
  return { ...rq.scope, block: currentBlock(db, rq.q.view, rq.q.mode, rq.now) };
}

/**
 * Block edges depend on every response since the last silence of more than 5
 * hours, so the blocks are computed from there: found by looking back a day,
 * then 4, 16, ... days while activity never paused that long.
 */
function chainStart(db: Db, view: View, now: number): number | undefined {
  for (let window = DAY; ; window *= 4) {
    const times = responseTimes(db, view, now - window, now);
    const first = times[0];
    if (first === undefined) return undefined;
    for (let i = times.length - 1; i > 0; i--) {
      const t = times[i] as number;
      if (t - (times[i - 1] as number) > BLOCK_MS) return t;
    }
    const before = responseTimeBefore(db, view, first);
    if (before === undefined || first - before > BLOCK_MS) return first;
  }
}

/** This month's spend against the monthly budget, all projects and models. */
export function budgetFigures(
  db: Db,
  rq: ResolvedQuery,
  budgetNanos: number | null,
): BudgetResponse {
  const { now } = rq;
  const monthStart = startOfMonth(now, rq.q.timezone);
  const monthEnd = startOfNextMonth(now, rq.q.timezone);
  const spentNanos =
    usageRows(db, { view: rq.q.view, mode: rq.q.mode, fromMs: monthStart }, {})[0]?.costNanos ?? 0;
  const elapsed = Math.max(now - monthStart, HOUR);
  const projectedNanos = Math.round((spentNanos * (monthEnd - monthStart)) / elapsed);
  return {
    ...rq.scope,
    budgetNanos,
    monthStart,
    monthEnd,
    spentNanos,
    remainingNanos: budgetNanos === null ? null : budgetNanos - spentNanos,
    projectedNanos: Math.max(projectedNanos, spentNanos),
    usedFraction: budgetNanos === null ? null : spentNanos / budgetNanos,
  };
}

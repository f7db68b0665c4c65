import { nanosToUsd } from '../../domain/money.js';
import type { CostMode, View } from '../../domain/usage.js';
import { tokensOf, type UsageTotals } from '../../domain/usage-totals.js';
import type { ReportNote } from './report-notes.js';
import type { ReportOptions } from './report-options.js';
import { modelsByCost, type UsageGroup } from './usage-groups.js';

/**
 * ccusage's JSON names for ccmon's figures, so scripts written for ccusage
 * keep working. ccmon's own fields are added beside them, never instead.
 */
export interface TokensJson {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

/** ccmon's additions to every figure. */
export interface CcmonFiguresJson {
  responses: number;
  /** Tokens of models without a price: in the token counts, not in the cost. */
  unpricedTokens: number;
  /** Responses whose output count is Claude Code 2.1.x's placeholder. */
  outputUnderstated: number;
}

export interface ModelBreakdownJson extends TokensJson, CcmonFiguresJson {
  modelName: string;
  cost: number;
}

export interface TotalsJson extends TokensJson, CcmonFiguresJson {
  totalTokens: number;
  totalCost: number;
}

export interface GroupJson extends TotalsJson {
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdownJson[];
}

// Built as literals, not spreads of smaller objects: a session report writes
// tens of thousands of these, and spreading doubles what the GC has to clear.

export function totalsJson(t: UsageTotals): TotalsJson {
  return {
    inputTokens: t.input,
    outputTokens: t.output,
    cacheCreationTokens: t.cacheCreation,
    cacheReadTokens: t.cacheRead,
    totalTokens: tokensOf(t),
    totalCost: nanosToUsd(t.costNanos),
    responses: t.responses,
    unpricedTokens: t.unpricedTokens,
    outputUnderstated: t.understated,
  };
}

export function modelBreakdownJson(modelName: string, t: UsageTotals): ModelBreakdownJson {
  return {
    modelName,
    inputTokens: t.input,
    outputTokens: t.output,
    cacheCreationTokens: t.cacheCreation,
    cacheReadTokens: t.cacheRead,
    cost: nanosToUsd(t.costNanos),
    responses: t.responses,
    unpricedTokens: t.unpricedTokens,
    outputUnderstated: t.understated,
  };
}

/**
 * `head` (a row's own leading fields, e.g. its date) followed by the group's
 * figures, written into `head` itself: no second object to copy from.
 */
export function groupJson<Head extends object>(head: Head, g: UsageGroup): Head & GroupJson {
  const models = modelsByCost(g);
  const t = g.totals;
  const json = head as Head & GroupJson;
  json.inputTokens = t.input;
  json.outputTokens = t.output;
  json.cacheCreationTokens = t.cacheCreation;
  json.cacheReadTokens = t.cacheRead;
  json.totalTokens = tokensOf(t);
  json.totalCost = nanosToUsd(t.costNanos);
  json.responses = t.responses;
  json.unpricedTokens = t.unpricedTokens;
  json.outputUnderstated = t.understated;
  json.modelsUsed = models.map(([name]) => name).sort();
  json.modelBreakdowns = models.map(([name, totals]) => modelBreakdownJson(name, totals));
  return json;
}

/** ccmon's top-level fields: which trail the figures are from, and what qualifies them. */
export interface ReportMetaJson {
  view: View;
  timezone: string;
  costMode: CostMode;
  notes: string[];
}

export function metaJson(options: ReportOptions, notes: readonly ReportNote[]): ReportMetaJson {
  return {
    view: options.view,
    timezone: options.timezone,
    costMode: options.mode,
    notes: notes.map((n) => n.text),
  };
}

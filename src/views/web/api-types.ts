/**
 * The JSON the API answers with; the dashboard imports these types, so this
 * file is the contract between them (documented in docs/api.md). Times are Unix ms,
 * money is integer nano-dollars (1e-9 USD), token kinds use the OTLP names.
 */
import type { CostMode, View } from '../../domain/usage.js';

export type RangeName = '24h' | '7d' | '30d' | '90d' | 'month';
export type BucketUnit = 'hour' | 'day';
export type GroupBy = 'model' | 'project' | 'kind' | 'user';

/** What every /api answer starts with: which figures these are. */
export interface Scope {
  view: View;
  mode: CostMode;
  timezone: string;
  /** The resolved range: from inclusive, to exclusive; null: open-ended. */
  from: number;
  to: number | null;
  range: RangeName | 'custom';
  /** The `project` and `model` filters applied (empty: all). */
  filters: { project: string[]; model: string[] };
  generatedAt: number;
}

export interface TokenTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  total: number;
}

export interface Spend {
  costNanos: number;
  tokens: number;
}

export interface SummaryResponse extends Scope {
  tokens: TokenTotals;
  costNanos: number;
  responses: number;
  sessions: number;
  /** cacheRead / (input + cacheRead + cacheCreation); null without input. */
  cacheEfficiency: number | null;
  /** Spend since local midnight and since Monday, same project/model filters, ignoring the range. */
  today: Spend;
  week: Spend;
  burnRate: {
    /** Cost of the last 60 minutes (per hour). */
    lastHourNanosPerHour: number;
    /** Cost per hour of the current 5-hour block; null when no block is active. */
    blockNanosPerHour: number | null;
  };
  status: {
    success: number;
    truncated: number;
    errors: number;
    /** success / responses; null without responses. */
    successRate: number | null;
  };
  unpriced: { responses: number; tokens: number; models: string[] };
  /** Responses whose output count is a first-event placeholder (Claude Code 2.1.10 transcripts). */
  understated: { responses: number };
  /** Plain-language caveats for the figures above. */
  notes: string[];
}

export interface Series {
  key: string;
  label: string;
  /** One value per bucket. */
  tokens: number[];
  /** Null for token kinds (a kind's cost is not stored apart). */
  costNanos: number[] | null;
  responses: number[] | null;
}

export interface TimeseriesResponse extends Scope {
  bucket: BucketUnit;
  groupBy: GroupBy;
  /** Bucket starts in the time zone. */
  buckets: number[];
  series: Series[];
}

export interface SessionRow {
  id: string;
  project: string | null;
  version: string | null;
  firstMs: number;
  lastMs: number;
  responses: number;
  tokens: TokenTotals;
  costNanos: number;
  models: string[];
}

export interface SessionsResponse extends Scope {
  /** Sessions with responses in range, latest first (at most `limit`). */
  sessions: SessionRow[];
  total: number;
  bucket: BucketUnit;
  buckets: number[];
  /** Sessions with at least one response in each bucket. */
  activeSessions: number[];
}

export interface ToolsResponse extends Scope {
  tools: { name: string; count: number; rejected: number; failed: number }[];
}

export interface MessagesResponse extends Scope {
  byRole: { role: string; count: number }[];
  bucket: BucketUnit;
  buckets: number[];
  series: { role: string; counts: number[] }[];
}

export interface ProjectRowOut {
  id: number;
  name: string;
  path: string;
  costNanos: number;
  tokens: TokenTotals;
  sessions: number;
  responses: number;
  lastMs: number;
}

export interface ProjectsResponse extends Scope {
  projects: ProjectRowOut[];
}

export interface ModelsResponse extends Scope {
  models: {
    model: string;
    tokens: TokenTotals;
    costNanos: number;
    responses: number;
    unpricedResponses: number;
    understated: number;
  }[];
}

export interface BlockFigures {
  start: number;
  end: number;
  firstMs: number;
  lastMs: number;
  /** The 5 hours have not run out and the last response is less than 5 hours old. */
  active: boolean;
  responses: number;
  tokens: TokenTotals;
  costNanos: number;
  /** In order of first use. */
  models: string[];
  /** Cost per hour between the block's first and last response; null when they coincide. */
  burnRateNanosPerHour: number | null;
  tokensPerMinute: number | null;
  /** At that pace until the block's end; null for an ended block. */
  projectedCostNanos: number | null;
  projectedTokens: number | null;
  timeLeftMs: number;
}

export interface BlockResponse extends Scope {
  /** The latest block of the last 24 hours, or null. All projects and models. */
  block: BlockFigures | null;
}

export interface BudgetResponse extends Scope {
  /** Null when no monthly budget is set. */
  budgetNanos: number | null;
  monthStart: number;
  monthEnd: number;
  /** All projects and models, this month in the time zone. */
  spentNanos: number;
  remainingNanos: number | null;
  /** Spend by month end at this month's pace so far. */
  projectedNanos: number;
  /** spent / budget; null without a budget. */
  usedFraction: number | null;
}

export interface TelemetryResponse extends Scope {
  /** False when the store holds no OpenTelemetry data at all. */
  available: boolean;
  /** Why figures are missing and how to get them; null when all is there. */
  note: string | null;
  linesAdded: number;
  linesRemoved: number;
  commits: number;
  pullRequests: number;
  editDecisions: { accept: number; reject: number };
  activeTimeSeconds: number;
  apiLatency: {
    count: number;
    meanMs: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    maxMs: number | null;
  };
  users: {
    userId: string;
    responses: number;
    sessions: number;
    tokens: TokenTotals;
    costNanos: number;
    prompts: number;
    linesAdded: number;
    linesRemoved: number;
  }[];
}

export interface MetaResponse {
  version: string;
  view: View;
  mode: CostMode;
  timezone: string;
  startedAt: number;
  budgetNanos: number | null;
  projects: { id: number; name: string; path: string }[];
  models: string[];
  telemetry: boolean;
}

export interface HealthResponse {
  status: 'ok' | 'unavailable';
  version: string;
  uptimeSeconds: number;
  store: { writable: boolean; bytes: number; reason?: string };
  lastData: { transcriptsMs: number | null; telemetryMs: number | null };
  malformedLines: number;
  rejectedOtlpRequests: number;
  recentErrors: { ts: number; source: string; location: string; message: string }[];
}

export interface ErrorResponse {
  error: string;
}

/**
 * `GET /api/dashboard`: every figure the page shows, in one answer (the
 * same as the twelve calls it stands for, with the same parameters;
 * `bucket` is the trends' step, the daily cost chart is always by day).
 */
export interface DashboardResponse {
  summary: SummaryResponse;
  tokensByKind: TimeseriesResponse;
  costByModel: TimeseriesResponse;
  dailyCost: TimeseriesResponse;
  models: ModelsResponse;
  tools: ToolsResponse;
  messages: MessagesResponse;
  sessions: SessionsResponse;
  projects: ProjectsResponse;
  block: BlockResponse;
  budget: BudgetResponse;
  telemetry: TelemetryResponse;
}

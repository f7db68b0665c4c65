import { joinTrails } from '../domain/join-trails.js';
import type { PriceList } from '../domain/pricing.js';
import { type ResponseStatus, type TokenCounts, totalTokens } from '../domain/usage.js';
import type { ResponseCopy } from '../sources/transcripts/records.js';

export const STATUS_CODE: Record<ResponseStatus, number> = { success: 0, truncated: 1, error: 2 };

/** A `responses` row; property names are the column names so rows bind as named parameters. */
export interface ResponseRow {
  response_key: string;
  request_id: string | null;
  session_id: string | null;
  project_id: number | null;
  model: string;
  ts: number;
  status: number;
  speed: string | null;
  sidechain: number;
  agent_id: string | null;
  version: string | null;
  git_branch: string | null;
  entrypoint: string | null;
  user_id: string | null;
  has_transcript: number;
  t_input: number;
  t_output: number;
  t_cache_read: number;
  t_cache_creation: number;
  t_cache_5m: number;
  t_cache_1h: number;
  placeholder: number;
  t_reported_nanos: number | null;
  t_cost_nanos: number | null;
  has_event: number;
  e_input: number;
  e_output: number;
  e_cache_read: number;
  e_cache_creation: number;
  e_cache_5m: number;
  e_cache_1h: number;
  e_reported_nanos: number | null;
  e_cost_nanos: number | null;
  /** The joined figures, set only when an event exists (has_event = 1). */
  j_input: number | null;
  j_output: number | null;
  j_cache_read: number | null;
  j_cache_creation: number | null;
  j_reported_nanos: number | null;
  j_cost_nanos: number | null;
  j_understated: number | null;
}

export const RESPONSE_COLUMNS: readonly (keyof ResponseRow)[] = [
  'response_key',
  'request_id',
  'session_id',
  'project_id',
  'model',
  'ts',
  'status',
  'speed',
  'sidechain',
  'agent_id',
  'version',
  'git_branch',
  'entrypoint',
  'user_id',
  'has_transcript',
  't_input',
  't_output',
  't_cache_read',
  't_cache_creation',
  't_cache_5m',
  't_cache_1h',
  'placeholder',
  't_reported_nanos',
  't_cost_nanos',
  'has_event',
  'e_input',
  'e_output',
  'e_cache_read',
  'e_cache_creation',
  'e_cache_5m',
  'e_cache_1h',
  'e_reported_nanos',
  'e_cost_nanos',
  'j_input',
  'j_output',
  'j_cache_read',
  'j_cache_creation',
  'j_reported_nanos',
  'j_cost_nanos',
  'j_understated',
];

/** What a transcript-only row sets; the rest keeps its column default. */
export const TRANSCRIPT_COLUMNS: readonly (keyof ResponseRow)[] = RESPONSE_COLUMNS.filter(
  (c) => !c.startsWith('e_') && !c.startsWith('j_') && c !== 'has_event' && c !== 'user_id',
);

export function transcriptTokens(row: ResponseRow): TokenCounts {
  return {
    input: row.t_input,
    output: row.t_output,
    cacheRead: row.t_cache_read,
    cacheCreation: row.t_cache_creation,
    cacheCreation5m: row.t_cache_5m,
    cacheCreation1h: row.t_cache_1h,
  };
}

export function eventTokens(row: ResponseRow): TokenCounts {
  return {
    input: row.e_input,
    output: row.e_output,
    cacheRead: row.e_cache_read,
    cacheCreation: row.e_cache_creation,
    cacheCreation5m: row.e_cache_5m,
    cacheCreation1h: row.e_cache_1h,
  };
}

function setTranscriptTokens(row: ResponseRow, t: TokenCounts): void {
  row.t_input = t.input;
  row.t_output = t.output;
  row.t_cache_read = t.cacheRead;
  row.t_cache_creation = t.cacheCreation;
  row.t_cache_5m = t.cacheCreation5m;
  row.t_cache_1h = t.cacheCreation1h;
}

export function setEventTokens(row: ResponseRow, t: TokenCounts): void {
  row.e_input = t.input;
  row.e_output = t.output;
  row.e_cache_read = t.cacheRead;
  row.e_cache_creation = t.cacheCreation;
  row.e_cache_5m = t.cacheCreation5m;
  row.e_cache_1h = t.cacheCreation1h;
}

export function responseKeyOf(copy: Pick<ResponseCopy, 'messageId' | 'requestId'>): string | null {
  if (copy.messageId !== null) return copy.messageId;
  return copy.requestId !== null ? `req:${copy.requestId}` : null;
}

export function emptyRow(key: string, model: string, ts: number): ResponseRow {
  return {
    response_key: key,
    request_id: null,
    session_id: null,
    project_id: null,
    model,
    ts,
    status: 0,
    speed: null,
    sidechain: 0,
    agent_id: null,
    version: null,
    git_branch: null,
    entrypoint: null,
    user_id: null,
    has_transcript: 0,
    t_input: 0,
    t_output: 0,
    t_cache_read: 0,
    t_cache_creation: 0,
    t_cache_5m: 0,
    t_cache_1h: 0,
    placeholder: 0,
    t_reported_nanos: null,
    t_cost_nanos: null,
    has_event: 0,
    e_input: 0,
    e_output: 0,
    e_cache_read: 0,
    e_cache_creation: 0,
    e_cache_5m: 0,
    e_cache_1h: 0,
    e_reported_nanos: null,
    e_cost_nanos: null,
    j_input: null,
    j_output: null,
    j_cache_read: null,
    j_cache_creation: null,
    j_reported_nanos: null,
    j_cost_nanos: null,
    j_understated: null,
  };
}

/**
 * Folds one transcript copy of a response into its row. Tokens come from the
 * copy with the largest total (a final count beats a placeholder); identity
 * and time from the earliest copy, since a `--continue` copy carries the later
 * run's session and timestamp.
 */
export function applyTranscriptCopy(
  row: ResponseRow,
  copy: ResponseCopy,
  projectId: number,
): ResponseRow {
  const fresh = row.has_transcript === 0;
  const copyTotal = totalTokens(copy.tokens);
  const rowTotal = totalTokens(transcriptTokens(row));
  const takeTokens =
    fresh ||
    copyTotal > rowTotal ||
    (copyTotal === rowTotal && row.placeholder === 1 && !copy.placeholder);
  if (takeTokens) {
    setTranscriptTokens(row, copy.tokens);
    row.placeholder = copy.placeholder ? 1 : 0;
    row.status = STATUS_CODE[copy.status];
    row.model = copy.model;
    row.speed = copy.speed;
  }
  if (copy.reportedCostNanos !== null && (row.t_reported_nanos === null || takeTokens)) {
    row.t_reported_nanos = copy.reportedCostNanos;
  }
  if (copy.requestId !== null && row.request_id === null) row.request_id = copy.requestId;
  if (fresh || row.has_event === 1 || copy.timeMs < row.ts) {
    // Event-only rows carry the telemetry's clock; the transcript's identity wins.
    if (fresh || copy.timeMs < row.ts) row.ts = copy.timeMs;
    row.session_id = copy.sessionId;
    row.project_id = projectId;
    row.sidechain = copy.isSidechain ? 1 : 0;
    row.agent_id = copy.agentId;
    row.version = copy.version;
    row.git_branch = copy.gitBranch;
    row.entrypoint = copy.entrypoint;
  }
  row.has_transcript = 1;
  return row;
}

/** Recomputes the costs and the joined (j_*) figures from the trails. */
export function deriveFigures(row: ResponseRow, prices: PriceList): ResponseRow {
  const t = transcriptTokens(row);
  const e = eventTokens(row);
  row.t_cost_nanos = row.has_transcript ? costOrNull(prices, row.model, t) : null;
  row.e_cost_nanos = row.has_event ? costOrNull(prices, row.model, e) : null;
  if (!row.has_event) {
    // Without an event the joined view is the transcript's: computed on read.
    row.j_input = row.j_output = row.j_cache_read = row.j_cache_creation = null;
    row.j_reported_nanos = row.j_cost_nanos = row.j_understated = null;
    return row;
  }
  const joined = joinTrails(
    row.has_transcript
      ? { tokens: t, reportedNanos: row.t_reported_nanos, placeholder: row.placeholder === 1 }
      : null,
    row.has_event ? { tokens: e, reportedNanos: row.e_reported_nanos } : null,
  );
  row.j_input = joined.tokens.input;
  row.j_output = joined.tokens.output;
  row.j_cache_read = joined.tokens.cacheRead;
  row.j_cache_creation = joined.tokens.cacheCreation;
  row.j_reported_nanos = joined.reportedNanos;
  row.j_cost_nanos = costOrNull(prices, row.model, joined.tokens);
  row.j_understated = joined.outputUnderstated ? 1 : 0;
  return row;
}

/** Zero tokens cost nothing even for an unknown model (e.g. `<synthetic>` error lines). */
function costOrNull(prices: PriceList, model: string, tokens: TokenCounts): number | null {
  const cost = prices.costOf(model, tokens);
  if (cost !== undefined) return cost;
  return totalTokens(tokens) === 0 ? 0 : null;
}

import type { CostMode, View } from '../domain/usage.js';
import type { Db } from './open-store.js';

/** Which columns hold a view's figures: t_* transcripts, e_* telemetry, b_* both joined. */
const VIEW_COLUMNS: Record<View, { where: string; prefix: 't' | 'e' | 'b'; understated: string }> =
  {
    transcripts: { where: 'has_transcript = 1', prefix: 't', understated: 'placeholder' },
    telemetry: { where: 'has_event = 1', prefix: 'e', understated: '0' },
    both: { where: '1 = 1', prefix: 'b', understated: 'b_understated' },
  };

export function costExpression(view: View, mode: CostMode): string {
  const p = VIEW_COLUMNS[view].prefix;
  if (mode === 'calculate') return `${p}_cost_nanos`;
  if (mode === 'display') return `coalesce(${p}_reported_nanos, 0)`;
  return `coalesce(${p}_reported_nanos, ${p}_cost_nanos)`;
}

export interface UsageFilter {
  view: View;
  mode: CostMode;
  /** Inclusive start, exclusive end, Unix ms. */
  fromMs?: number;
  toMs?: number;
  projectIds?: readonly number[];
  models?: readonly string[];
  sessionId?: string;
}

export interface UsageGrouping {
  /** Bucket width in ms (e.g. 15 minutes); omitted: no time grouping. */
  bucketMs?: number;
  model?: boolean;
  project?: boolean;
  session?: boolean;
}

export interface UsageRow {
  /** Bucket start in Unix ms, or 0 without time grouping. */
  bucket: number;
  model: string;
  projectId: number;
  sessionId: string;
  responses: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  /** Cost of priced responses, nano-dollars. */
  costNanos: number;
  unpricedResponses: number;
  unpricedTokens: number;
  /** Responses whose output count is a placeholder (understated). */
  understated: number;
  firstMs: number;
  lastMs: number;
}

/**
 * The one aggregation every view is built from: sums of a view's tokens and
 * cost, grouped by any of time bucket, model, project and session. Grouping is
 * done by SQLite so a year of responses folds into a few thousand rows.
 */
export function usageRows(db: Db, filter: UsageFilter, group: UsageGrouping): UsageRow[] {
  const cols = VIEW_COLUMNS[filter.view];
  const p = cols.prefix;
  const cost = costExpression(filter.view, filter.mode);
  const where: string[] = [cols.where];
  const params: (string | number)[] = [];
  if (filter.fromMs !== undefined) {
    where.push('ts >= ?');
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    where.push('ts < ?');
    params.push(filter.toMs);
  }
  if (filter.projectIds) {
    where.push(`project_id IN (${filter.projectIds.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.projectIds);
  }
  if (filter.models) {
    where.push(`model IN (${filter.models.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.models);
  }
  if (filter.sessionId !== undefined) {
    where.push('session_id = ?');
    params.push(filter.sessionId);
  }
  const keys: string[] = [];
  const bucket = group.bucketMs
    ? `(ts / ${Math.trunc(group.bucketMs)}) * ${Math.trunc(group.bucketMs)}`
    : '0';
  if (group.bucketMs) keys.push('bucket');
  if (group.model) keys.push('model');
  if (group.project) keys.push('projectId');
  if (group.session) keys.push('sessionId');
  const tokens = `${p}_input + ${p}_output + ${p}_cache_read + ${p}_cache_creation`;
  const sql = `
    SELECT ${bucket} AS bucket,
      ${group.model ? 'model' : "''"} AS model,
      ${group.project ? 'coalesce(project_id, 0)' : '0'} AS projectId,
      ${group.session ? "coalesce(session_id, '')" : "''"} AS sessionId,
      count(*) AS responses,
      sum(${p}_input) AS input,
      sum(${p}_output) AS output,
      sum(${p}_cache_read) AS cacheRead,
      sum(${p}_cache_creation) AS cacheCreation,
      coalesce(sum(${cost}), 0) AS costNanos,
      sum(CASE WHEN ${cost} IS NULL THEN 1 ELSE 0 END) AS unpricedResponses,
      sum(CASE WHEN ${cost} IS NULL THEN ${tokens} ELSE 0 END) AS unpricedTokens,
      sum(${cols.understated}) AS understated,
      min(ts) AS firstMs,
      max(ts) AS lastMs
    FROM responses
    WHERE ${where.join(' AND ')}
    ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}`;
  return db
    .prepare<(string | number)[], UsageRow>(sql)
    .all(...params)
    .filter((r) => r.responses > 0);
}

/** Models with tokens but no price, for the warning that names them. */
export function unpricedModels(db: Db, view: View): string[] {
  const p = VIEW_COLUMNS[view].prefix;
  return db
    .prepare<[], { model: string }>(
      `SELECT DISTINCT model FROM responses WHERE ${VIEW_COLUMNS[view].where} AND ${p}_cost_nanos IS NULL ORDER BY model`,
    )
    .all()
    .map((r) => r.model);
}

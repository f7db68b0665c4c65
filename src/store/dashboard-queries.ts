import type { View } from '../domain/usage.js';
import type { Db } from './open-store.js';
import {
  bucketStart,
  costExpression,
  inList,
  type Param,
  responsesWhere,
  sessionsByBucket,
  type UsageFilter,
  usageRows,
  VIEW_SQL,
} from './usage-queries.js';

/**
 * The queries the dashboard and its JSON API need beyond `usageRows`: response
 * status, users, sessions, tools, messages, 5-hour blocks, store health and
 * OpenTelemetry figures. Token and cost sums per time/model/project/session
 * come from `usageRows`; these add what it does not group by.
 */

interface Where {
  sql: string;
  params: Param[];
}

/** Time range and projects for tables keyed by session (messages, tools, events, metrics). */
export interface ActivityFilter {
  fromMs?: number;
  toMs?: number;
  projectIds?: readonly number[];
}

function activityWhere(filter: ActivityFilter, ts: string, session: string): Where {
  const where = ['1 = 1'];
  const params: Param[] = [];
  if (filter.fromMs !== undefined) {
    where.push(`${ts} >= ?`);
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    where.push(`${ts} < ?`);
    params.push(filter.toMs);
  }
  if (filter.projectIds) {
    where.push(
      `${session} IN (SELECT id FROM sessions WHERE ${inList('project_id', filter.projectIds)})`,
    );
    params.push(...filter.projectIds);
  }
  return { sql: where.join(' AND '), params };
}

export interface StatusCounts {
  success: number;
  truncated: number;
  error: number;
}

/** Responses by outcome: success, truncated at max_tokens, API error (from the rollup). */
export function statusCounts(db: Db, filter: UsageFilter): StatusCounts {
  const [total] = usageRows(db, filter, {});
  if (!total) return { success: 0, truncated: 0, error: 0 };
  return {
    success: total.responses - total.truncated - total.errors,
    truncated: total.truncated,
    error: total.errors,
  };
}

export interface UserUsageRow {
  bucket: number;
  /** Telemetry's `user.id`; empty when no event named the user. */
  userId: string;
  responses: number;
  sessions: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  costNanos: number;
}

/**
 * Tokens and cost per user (and time bucket), with the sessions each used:
 * summed from rows per user and session, which the rollup answers.
 */
export function userUsageRows(db: Db, filter: UsageFilter, bucketMs?: number): UserUsageRow[] {
  const keyOf = (bucket: number, userId: string) => `${bucket}\n${userId}`;
  // Sessions counted from their keys alone, not from a row of figures each.
  const sessions = new Map<string, Set<string>>();
  for (const s of sessionsByBucket(db, filter, { bucketMs, user: true })) {
    const key = keyOf(s.bucket, s.userId);
    let set = sessions.get(key);
    if (!set) {
      set = new Set();
      sessions.set(key, set);
    }
    set.add(s.sessionId);
  }
  // One row per bucket and user: usageRows sums by its grouping.
  return usageRows(db, filter, { bucketMs, user: true }).map((r) => ({
    bucket: r.bucket,
    userId: r.userId,
    responses: r.responses,
    sessions: sessions.get(keyOf(r.bucket, r.userId))?.size ?? 0,
    input: r.input,
    output: r.output,
    cacheRead: r.cacheRead,
    cacheCreation: r.cacheCreation,
    costNanos: r.costNanos,
  }));
}

export interface ProjectRow {
  id: number;
  name: string;
  path: string;
}

export function allProjects(db: Db): ProjectRow[] {
  return db
    .prepare<[], ProjectRow>('SELECT id, name, path FROM projects ORDER BY name, path')
    .all();
}

export interface SessionFacts {
  id: string;
  projectId: number | null;
  version: string | null;
  gitBranch: string | null;
}

/** The facts of the sessions named (a page of a table, not every session). */
export function sessionFacts(db: Db, ids: readonly string[]): SessionFacts[] {
  if (ids.length === 0) return [];
  return db
    .prepare<string[], SessionFacts>(
      `SELECT id, project_id AS projectId, version, git_branch AS gitBranch FROM sessions
       WHERE ${inList('id', ids)}`,
    )
    .all(...ids);
}

/** Models that have responses in a view, for filter menus. */
export function modelsSeen(db: Db, view: View): string[] {
  return db
    .prepare<[], { model: string }>(
      // The running totals hold a row per model: no scan of every response.
      `SELECT DISTINCT model FROM usage_totals WHERE ${VIEW_SQL[view].prefix}_responses <> 0 ORDER BY model`,
    )
    .all()
    .map((r) => r.model);
}

export interface ToolRow {
  name: string;
  count: number;
  rejected: number;
  failed: number;
}

/** Tool calls from transcripts, with the user's rejections and the tools' own errors. */
export function toolCounts(db: Db, filter: ActivityFilter): ToolRow[] {
  const w = activityWhere(filter, 'ts', 'session_id');
  return db
    .prepare<Param[], ToolRow>(
      `SELECT name, count(*) AS count,
         sum(CASE WHEN outcome = 'rejected' THEN 1 ELSE 0 END) AS rejected,
         sum(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS failed
       FROM tool_uses WHERE ${w.sql} GROUP BY name ORDER BY count DESC, name`,
    )
    .all(...w.params);
}

export interface MessageRow {
  bucket: number;
  role: string;
  count: number;
}

/**
 * Transcript messages by role, optionally per time bucket: steps of
 * `bucketMs` shifted by `bucketOffsetMs` (a zone's offset), as usageRows has them.
 */
export function messageCounts(
  db: Db,
  filter: ActivityFilter,
  step: { bucketMs?: number; bucketOffsetMs?: number } = {},
): MessageRow[] {
  const w = activityWhere(filter, 'ts', 'session_id');
  const bucket = step.bucketMs ? bucketStart('ts', step) : '0';
  return db
    .prepare<Param[], MessageRow>(
      `SELECT ${bucket} AS bucket, role, count(*) AS count FROM messages WHERE ${w.sql} GROUP BY 1, 2`,
    )
    .all(...w.params);
}

export interface TimedUsage {
  ts: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  /** Null when the model has no price. */
  costNanos: number | null;
}

/** Every response of a view in [fromMs, toMs), oldest first: the raw material of 5-hour blocks. */
export function responsesBetween(db: Db, filter: UsageFilter): TimedUsage[] {
  const p = VIEW_SQL[filter.view].prefix;
  const w = responsesWhere(filter);
  return db
    .prepare<Param[], TimedUsage>(
      `SELECT ts, ${p}_input AS input, ${p}_output AS output, ${p}_cache_read AS cacheRead,
         ${p}_cache_creation AS cacheCreation, ${costExpression(filter.view, filter.mode)} AS costNanos
       FROM responses WHERE ${w.sql} ORDER BY ts`,
    )
    .all(...w.params);
}

/** Response times of a view in [fromMs, toMs], oldest first. */
export function responseTimes(db: Db, view: View, fromMs: number, toMs: number): number[] {
  return db
    .prepare<[number, number], { ts: number }>(
      `SELECT ts FROM responses WHERE ${VIEW_SQL[view].where} AND ts >= ? AND ts <= ? ORDER BY ts`,
    )
    .all(fromMs, toMs)
    .map((r) => r.ts);
}

/** The latest response time of a view before `ms`, if any. */
export function responseTimeBefore(db: Db, view: View, ms: number): number | undefined {
  const row = db
    .prepare<[number], { ts: number | null }>(
      `SELECT max(ts) AS ts FROM responses WHERE ${VIEW_SQL[view].where} AND ts < ?`,
    )
    .get(ms);
  return row?.ts ?? undefined;
}

export interface LastData {
  /** Latest response seen in a transcript. */
  transcriptsMs: number | null;
  /** Time of the OpenTelemetry event or metric point stored last. */
  telemetryMs: number | null;
}

export function lastDataTimes(db: Db): LastData {
  const row = db
    .prepare<[], LastData>(
      // Telemetry's last time is that of the newest event and point stored (by
      // id): the tables have no index by time alone, and what arrived last is
      // what /health means by it.
      `SELECT (SELECT max(ts) FROM responses WHERE has_transcript = 1) AS transcriptsMs,
         max(coalesce((SELECT ts FROM events ORDER BY id DESC LIMIT 1), 0),
             coalesce((SELECT ts FROM metric_points ORDER BY rowid DESC LIMIT 1), 0)) AS telemetryMs`,
    )
    .get();
  return {
    transcriptsMs: row?.transcriptsMs ?? null,
    telemetryMs: row?.telemetryMs ? row.telemetryMs : null,
  };
}

export function lineCount(db: Db, kind: string): number {
  return (
    db
      .prepare<[string], { count: number }>('SELECT count FROM line_counts WHERE kind = ?')
      .get(kind)?.count ?? 0
  );
}

/** Bytes the store's pages take (the main file; the WAL comes on top). */
export function storeBytes(db: Db): number {
  return (
    Number(db.pragma('page_count', { simple: true })) *
    Number(db.pragma('page_size', { simple: true }))
  );
}

export interface IngestError {
  ts: number;
  source: string;
  location: string;
  message: string;
}

export function recentIngestErrors(db: Db, limit: number): IngestError[] {
  return db
    .prepare<[number], IngestError>(
      'SELECT ts, source, location, message FROM ingest_errors ORDER BY id DESC LIMIT ?',
    )
    .all(limit);
}

/**
 * Whether the store takes writes now: takes the write lock and lets it go.
 * Waits at most `waitMs` for another writer instead of the store's 5 s.
 */
export function storeWritable(db: Db, waitMs = 200): { writable: boolean; reason?: string } {
  if (db.readonly) return { writable: false, reason: 'the store was opened read-only' };
  if (db.inTransaction) return { writable: true };
  const busy = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${Math.trunc(waitMs)}`);
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return { writable: true };
  } catch (error) {
    return { writable: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    db.pragma(`busy_timeout = ${busy}`);
  }
}

/** Whether any OpenTelemetry event or metric was ever received. */
export function hasTelemetry(db: Db): boolean {
  const row = db
    .prepare<[], { n: number }>(
      'SELECT (EXISTS (SELECT 1 FROM events)) + (EXISTS (SELECT 1 FROM metric_series)) AS n',
    )
    .get();
  return (row?.n ?? 0) > 0;
}

/** A metric's increments in range, summed by the attributes the dashboard splits it by. */
export interface MetricTotal {
  name: string;
  /** `user.id`, `type` (lines added/removed) and `decision` (accept/reject); '' when absent. */
  userId: string;
  type: string;
  decision: string;
  total: number;
}

/**
 * Sums of the named metrics' increments in range, grouped in SQLite by the
 * attributes the dashboard reads. Series are per session; a series whose
 * last point is before the range is skipped by its `last_ms` without
 * reading its points.
 */
export function metricTotals(
  db: Db,
  names: readonly string[],
  filter: ActivityFilter,
): MetricTotal[] {
  const onPoints: string[] = [];
  const pointParams: Param[] = [];
  if (filter.fromMs !== undefined) {
    onPoints.push('AND p.ts >= ?');
    pointParams.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    onPoints.push('AND p.ts < ?');
    pointParams.push(filter.toMs);
  }
  const series = activityWhere({ projectIds: filter.projectIds }, 's.last_ms', 's.session_id');
  // With a start, the series active since then are found by `last_ms`; by
  // name (the `+` keeps SQLite off that index) would visit every session's.
  const recent = filter.fromMs !== undefined ? 'AND s.last_ms >= ?' : '';
  // SQLite would read every point ever stored and look its series up; when
  // few series were active since the start (the last days of a long
  // history), their points are read through the series instead.
  const join =
    filter.fromMs !== undefined && fewSeriesSince(db, filter.fromMs)
      ? 'metric_series s INDEXED BY metric_series_last CROSS JOIN metric_points p'
      : 'metric_series s JOIN metric_points p';
  return db
    .prepare<Param[], MetricTotal>(
      `SELECT s.name AS name, coalesce(s.user_id, '') AS userId, coalesce(s.type, '') AS type,
         coalesce(s.decision, '') AS decision, sum(p.value) AS total
       FROM ${join} ON p.series_id = s.id ${onPoints.join(' ')}
       WHERE ${inList(recent ? '+s.name' : 's.name', names)} AND ${series.sql} ${recent}
       GROUP BY 1, 2, 3, 4`,
    )
    .all(
      ...pointParams,
      ...names,
      ...series.params,
      ...(filter.fromMs !== undefined ? [filter.fromMs] : []),
    );
}

/**
 * Whether at most a tenth of the metric series (and no more than a few
 * thousand rows of the index by last point) were active since `fromMs`: a
 * count that stops at that bound, so it costs little either way. Over a year
 * of 80,000 series, reading the last 7 days' points through their series took
 * 0.8 ms instead of 2.5; the last 90 days', 13 ms instead of 8.
 */
function fewSeriesSince(db: Db, fromMs: number): boolean {
  const all = db.prepare<[], number>('SELECT max(id) FROM metric_series').pluck().get() ?? 0;
  const bound = Math.ceil(all / 10);
  const recent =
    db
      .prepare<[number, number], number>(
        'SELECT count(*) FROM (SELECT 1 FROM metric_series WHERE last_ms >= ? LIMIT ?)',
      )
      .pluck()
      .get(fromMs, bound) ?? 0;
  return recent < bound;
}

export interface EventCount {
  userId: string;
  count: number;
}

/** How many prompts each user sent in range (user_prompt events). */
export function promptCountsByUser(db: Db, filter: ActivityFilter): EventCount[] {
  const w = activityWhere(filter, 'ts', 'session_id');
  // The name is written out, not bound, so that SQLite can use the partial index events_user_prompt.
  return db
    .prepare<Param[], EventCount>(
      `SELECT coalesce(user_id, '') AS userId, count(*) AS count FROM events
       WHERE name = 'user_prompt' AND ${w.sql} GROUP BY 1`,
    )
    .all(...w.params);
}

export interface LatencyFigures {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** API request latency from `api_request` events' `duration_ms` (sent as a string or number). */
export function apiLatency(
  db: Db,
  filter: ActivityFilter & { models?: readonly string[] },
): LatencyFigures {
  const w = activityWhere(filter, 'ts', 'session_id');
  const params: Param[] = [...w.params];
  let modelSql = '';
  if (filter.models) {
    modelSql = ` AND ${inList('model', filter.models)}`;
    params.push(...filter.models);
  }
  // Without filters, read from the partial index events_api_request alone (it holds the durations).
  const durations = db
    .prepare<Param[], number>(
      `SELECT duration_ms FROM events
       WHERE name = 'api_request' AND duration_ms IS NOT NULL AND ${w.sql}${modelSql}
       ORDER BY duration_ms`,
    )
    .pluck()
    .all(...params);
  if (durations.length === 0)
    return { count: 0, meanMs: null, p50Ms: null, p95Ms: null, maxMs: null };
  const at = (q: number) =>
    durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)] ?? null;
  return {
    count: durations.length,
    meanMs: durations.reduce((a, b) => a + b, 0) / durations.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: durations.at(-1) ?? null,
  };
}

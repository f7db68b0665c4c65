import type { CostMode, View } from '../domain/usage.js';
import type { Db } from './open-store.js';
import { costExpression, VIEW_SQL } from './usage-queries.js';

/**
 * The sums behind `/metrics` and `ccmon backfill`.
 *
 * A scrape reads the running totals that triggers keep (usage_totals,
 * cost_quarters, message_totals, tool_totals, event_totals, otel_totals): a
 * few hundred rows however much is stored. A history (backfill) groups the
 * stored rows themselves by time bucket, once.
 */

/**
 * Time buckets of a history: bucket k holds what happened in
 * (origin + (k-1) * step, origin + k * step]; bucket 0 everything up to origin.
 * Nothing after `untilMs` is read.
 */
export interface TimeBuckets {
  originMs: number;
  stepMs: number;
  untilMs: number;
}

function bucketOf(column: string, b: TimeBuckets): string {
  const origin = Math.trunc(b.originMs);
  const step = Math.trunc(b.stepMs);
  return `CASE WHEN ${column} <= ${origin} THEN 0 ELSE (${column} - ${origin} - 1) / ${step} + 1 END`;
}

const untilOf = (column: string, b: TimeBuckets): string => `${column} <= ${Math.trunc(b.untilMs)}`;

/** The totals column of each cost mode (see usage-queries' costExpression). */
const MODE_COLUMN: Record<CostMode, string> = {
  calculate: 'cost_nanos',
  display: 'display_nanos',
  auto: 'auto_nanos',
};

export interface ProjectRecord {
  id: number;
  path: string;
  name: string;
}

export function projectRecords(db: Db): ProjectRecord[] {
  return db.prepare<[], ProjectRecord>('SELECT id, path, name FROM projects').all();
}

export interface UsageTotal {
  /** 0 in a scrape; the time bucket in a history. */
  bucket: number;
  model: string;
  /** 0 when the project is unknown (a response seen only in telemetry). */
  projectId: number;
  /** Response status code (STATUS_CODE in response-row.ts). */
  status: number;
  responses: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  /** Nano-dollars; unpriced responses add nothing. */
  costNanos: number;
}

export interface UsageQuery {
  view: View;
  mode: CostMode;
}

/** A view's responses, tokens and cost by model, project and status, all time. */
export function usageTotals(db: Db, q: UsageQuery): UsageTotal[] {
  const p = VIEW_SQL[q.view].prefix;
  return db
    .prepare<[], UsageTotal>(
      `SELECT 0 AS bucket, model, project_id AS projectId, status, ${p}_responses AS responses,
         ${p}_input AS input, ${p}_output AS output, ${p}_cache_read AS cacheRead,
         ${p}_cache_creation AS cacheCreation, ${p}_${MODE_COLUMN[q.mode]} AS costNanos
       FROM usage_totals WHERE ${p}_responses <> 0`,
    )
    .all();
}

/** The same figures from the responses themselves, by time bucket. */
export function usageHistory(db: Db, q: UsageQuery, b: TimeBuckets): UsageTotal[] {
  const { prefix: p, counted: responses } = VIEW_SQL[q.view];
  return db
    .prepare<[], UsageTotal>(
      `SELECT ${bucketOf('ts', b)} AS bucket, model, coalesce(project_id, 0) AS projectId, status,
         sum(${responses}) AS responses,
         sum(${p}_input) AS input, sum(${p}_output) AS output,
         sum(${p}_cache_read) AS cacheRead, sum(${p}_cache_creation) AS cacheCreation,
         coalesce(sum(${costExpression(q.view, q.mode)}), 0) AS costNanos
       FROM responses WHERE ${untilOf('ts', b)}
       GROUP BY 1, 2, 3, 4 HAVING sum(${responses}) > 0`,
    )
    .all();
}

export interface CostTotal {
  model: string;
  projectId: number;
  costNanos: number;
}

/** Cost since `fromMs`, which must fall on a quarter hour (a local month start does). */
export function costSince(db: Db, q: UsageQuery, fromMs: number): CostTotal[] {
  const column = `${VIEW_SQL[q.view].prefix}_${MODE_COLUMN[q.mode]}`;
  return db
    .prepare<[number], CostTotal>(
      `SELECT model, project_id AS projectId, sum(${column}) AS costNanos
       FROM cost_quarters WHERE bucket >= ? GROUP BY 1, 2`,
    )
    .all(fromMs);
}

export interface SessionTotal {
  bucket: number;
  projectId: number;
  sessions: number;
  /** Latest activity in any of them, Unix ms (0: none recorded). */
  lastMs: number;
}

/** Sessions by project (by the bucket they started in, for a history). */
export function sessionTotals(db: Db, b?: TimeBuckets): SessionTotal[] {
  return db
    .prepare<[], SessionTotal>(
      `SELECT ${b ? bucketOf('first_ms', b) : '0'} AS bucket, coalesce(project_id, 0) AS projectId,
         count(*) AS sessions, max(last_ms) AS lastMs
       FROM sessions WHERE ${b ? untilOf('first_ms', b) : '1 = 1'}
       GROUP BY 1, 2`,
    )
    .all();
}

export interface CountByProject {
  bucket: number;
  /** Message role, or tool name. */
  key: string;
  projectId: number;
  count: number;
}

/**
 * Messages by role and project. Transcripts store user messages; an
 * assistant message is a response read from a transcript (once per message id).
 */
export function messageTotals(db: Db): CountByProject[] {
  return db
    .prepare<[], CountByProject>(
      `SELECT 0 AS bucket, role AS key, project_id AS projectId, count
       FROM message_totals WHERE count <> 0 AND role <> 'assistant'
       UNION ALL
       SELECT 0, 'assistant', project_id, sum(t_responses)
       FROM usage_totals GROUP BY project_id HAVING sum(t_responses) <> 0`,
    )
    .all();
}

/** Tool calls by tool name and project. */
export function toolTotals(db: Db): CountByProject[] {
  return db
    .prepare<[], CountByProject>(
      'SELECT 0 AS bucket, name AS key, project_id AS projectId, count FROM tool_totals WHERE count <> 0',
    )
    .all();
}

export function messageHistory(db: Db, b: TimeBuckets): CountByProject[] {
  const assistant = db
    .prepare<[], CountByProject>(
      `SELECT ${bucketOf('ts', b)} AS bucket, 'assistant' AS key, coalesce(project_id, 0) AS projectId,
         count(*) AS count
       FROM responses WHERE has_transcript = 1 AND ${untilOf('ts', b)}
       GROUP BY 1, 3`,
    )
    .all();
  return [
    ...countHistory(db, 'messages', 'role', b).filter((m) => m.key !== 'assistant'),
    ...assistant,
  ];
}

export function toolHistory(db: Db, b: TimeBuckets): CountByProject[] {
  return countHistory(db, 'tool_uses', 'name', b);
}

function countHistory(
  db: Db,
  table: 'messages' | 'tool_uses',
  key: 'role' | 'name',
  b: TimeBuckets,
): CountByProject[] {
  return db
    .prepare<[], CountByProject>(
      `SELECT ${bucketOf('t.ts', b)} AS bucket, t.${key} AS key,
         coalesce(s.project_id, 0) AS projectId, count(*) AS count
       FROM ${table} t LEFT JOIN sessions s ON s.id = t.session_id
       WHERE ${untilOf('t.ts', b)}
       GROUP BY 1, 2, 3`,
    )
    .all();
}

/**
 * Counts of Claude Code's events by the attributes /metrics groups them by
 * (the `event_keys` view of the store says which):
 *   api_request   le = duration bound in ms (-1 above all bounds, 0 none)
 *   api_error     a = status_code
 *   tool_result   a = tool_name, b = success ('true' / 'false')
 *   tool_decision a = tool_name, b = decision, c = source
 */
export interface EventTotal {
  bucket: number;
  name: string;
  model: string;
  a: string;
  b: string;
  c: string;
  le: number;
  count: number;
  durationMs: number;
}

export function eventTotals(db: Db): EventTotal[] {
  return db
    .prepare<[], EventTotal>(
      `SELECT 0 AS bucket, name, model, a, b, c, le, count, duration_ms AS durationMs
       FROM event_totals WHERE count <> 0`,
    )
    .all();
}

/** Event counts by time bucket (no durations: backfill has no histogram). */
export function eventHistory(db: Db, b: TimeBuckets): EventTotal[] {
  return db
    .prepare<[], EventTotal>(
      `SELECT ${bucketOf('ts', b)} AS bucket, name, model, a, b, c, 0 AS le, count(*) AS count,
         0 AS durationMs
       FROM event_keys WHERE ${untilOf('ts', b)}
       GROUP BY 1, 2, 3, 4, 5, 6`,
    )
    .all();
}

export interface OtelTotal {
  bucket: number;
  /** The OpenTelemetry metric name, e.g. `claude_code.token.usage`. */
  name: string;
  unit: string;
  /** JSON object of the point's and resource's attributes. */
  attrs: string;
  value: number;
}

/**
 * Claude Code's own metric sums. Without sessions they come from otel_totals,
 * where `session.id` is already summed away; per session they come from every
 * series, which grows with the number of sessions.
 */
export function otelTotals(db: Db, perSession: boolean): OtelTotal[] {
  const table = perSession ? 'metric_series' : 'otel_totals';
  return db
    .prepare<[], OtelTotal>(`SELECT 0 AS bucket, name, unit, attrs, total AS value FROM ${table}`)
    .all();
}

/** Claude Code's metric increments by time bucket, with the given attributes summed away. */
export function otelHistory(
  db: Db,
  dropAttributes: readonly string[],
  b: TimeBuckets,
): OtelTotal[] {
  const paths = dropAttributes.map((a) => `, '$."${a.replace(/["\\']/g, '')}"'`).join('');
  return db
    .prepare<[], OtelTotal>(
      `SELECT ${bucketOf('p.ts', b)} AS bucket, s.name AS name, s.unit AS unit,
         json_remove(s.attrs${paths}) AS attrs, sum(p.value) AS value
       FROM metric_points p JOIN metric_series s ON s.id = p.series_id
       WHERE ${untilOf('p.ts', b)}
       GROUP BY 1, 2, 3, 4`,
    )
    .all();
}

export interface LineCount {
  /** `read` (every line), `malformed` or `unknown:<type>`. */
  kind: string;
  count: number;
}

export function lineCounts(db: Db): LineCount[] {
  return db.prepare<[], LineCount>('SELECT kind, count FROM line_counts').all();
}

/** Bytes the store's pages take. */
export function storeSizeBytes(db: Db): number {
  const pages = Number(db.pragma('page_count', { simple: true }));
  return pages * Number(db.pragma('page_size', { simple: true }));
}

/**
 * First and last time anything was recorded, Unix ms; undefined for an empty
 * store. Events have no index by time alone, so their part reads the table:
 * this runs once per backfill, and an event replayed late still counts.
 */
export function activitySpan(db: Db): { firstMs: number; lastMs: number } | undefined {
  const row = db
    .prepare<[], { firstMs: number | null; lastMs: number | null }>(
      `SELECT min(f) AS firstMs, max(l) AS lastMs FROM (
         SELECT min(ts) AS f, max(ts) AS l FROM responses
         UNION ALL SELECT min(ts), max(ts) FROM events
         UNION ALL SELECT min(ts), max(ts) FROM metric_points
         UNION ALL SELECT min(ts), max(ts) FROM messages
       )`,
    )
    .get();
  if (!row || row.firstMs === null || row.lastMs === null) return undefined;
  return { firstMs: row.firstMs, lastMs: row.lastMs };
}

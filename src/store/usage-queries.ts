import type { Statement } from 'better-sqlite3';
import type { CostMode, View } from '../domain/usage.js';
import { addTotals } from '../domain/usage-totals.js';
import type { Db } from './open-store.js';
import { HOUR_MS, QUARTER_MS } from './usage-rollups.js';

export interface ViewSql {
  /** Which responses the view counts. */
  where: string;
  /** 1 for a response the view counts, 0 otherwise: `sum(counted)` counts them. */
  counted: string;
  /** Prefix of the view's figures: t_* transcripts, e_* telemetry, b_* both joined. */
  prefix: 't' | 'e' | 'b';
  /** 1 for a response whose output count is a placeholder. */
  understated: string;
}

/** How each view reads the `responses` table; every query of a view goes through this. */
export const VIEW_SQL: Readonly<Record<View, ViewSql>> = {
  transcripts: {
    where: 'has_transcript = 1',
    counted: 'has_transcript',
    prefix: 't',
    understated: 'placeholder',
  },
  telemetry: { where: 'has_event = 1', counted: 'has_event', prefix: 'e', understated: '0' },
  both: { where: '1 = 1', counted: '1', prefix: 'b', understated: 'b_understated' },
};

export type Param = string | number;

export function inList(column: string, values: readonly Param[]): string {
  return `${column} IN (${values.map(() => '?').join(', ') || 'NULL'})`;
}

/**
 * The conditions of a filter on time, projects, models and session, with the
 * time read from `timeColumn` (`ts` of a response, or a rollup's `bucket`).
 */
function filterConditions(
  filter: Omit<UsageFilter, 'mode' | 'view'>,
  timeColumn: string,
  first: string[],
): { sql: string; params: Param[] } {
  const where = [...first];
  const params: Param[] = [];
  if (filter.fromMs !== undefined) {
    where.push(`${timeColumn} >= ?`);
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    where.push(`${timeColumn} < ?`);
    params.push(filter.toMs);
  }
  if (filter.projectIds) {
    where.push(inList('project_id', filter.projectIds));
    params.push(...filter.projectIds);
  }
  if (filter.models) {
    where.push(inList('model', filter.models));
    params.push(...filter.models);
  }
  if (filter.sessionIds) {
    where.push(inList('session_id', filter.sessionIds));
    params.push(...filter.sessionIds);
  }
  return { sql: where.join(' AND ') || '1 = 1', params };
}

/** The WHERE clause (and its parameters) selecting a filter's responses. */
export function responsesWhere(filter: Omit<UsageFilter, 'mode'>): {
  sql: string;
  params: Param[];
} {
  return filterConditions(filter, 'ts', [VIEW_SQL[filter.view].where]);
}

export function costExpression(view: View, mode: CostMode): string {
  const p = VIEW_SQL[view].prefix;
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
  sessionIds?: readonly string[];
}

export interface UsageGrouping {
  /** Bucket width in ms (e.g. 15 minutes); omitted: no time grouping. */
  bucketMs?: number;
  /**
   * Buckets start where `ts + bucketOffsetMs` is a multiple of `bucketMs`: with a
   * zone's offset and a day's width, buckets are that zone's days (while the
   * offset holds). Rows still give each bucket's start in Unix ms.
   */
  bucketOffsetMs?: number;
  model?: boolean;
  project?: boolean;
  session?: boolean;
  /** Telemetry's `user.id` ('' where no event named one). */
  user?: boolean;
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
  userId: string;
  /** Responses cut at max_tokens, and API errors. */
  truncated: number;
  errors: number;
}

/**
 * The one aggregation every view is built from: sums of a view's tokens and
 * cost, grouped by any of time bucket, model, project and session. Grouping is
 * done by SQLite so a year of responses folds into a few thousand rows.
 */
export function usageRows(db: Db, filter: UsageFilter, group: UsageGrouping): UsageRow[] {
  if (sessionsAnswer(db, filter, group)) {
    const { fromMs: _from, toMs: _to, ...whole } = filter;
    return usageRowsFromRollup(db, 'usage_sessions', whole, group);
  }
  if (!bucketsOnQuarters(group)) return usageRowsOfResponses(db, filter, group);
  if (hoursAnswer(filter, group)) return usageRowsAroundHours(db, filter, group);
  return usageRowsOfQuarters(db, filter, group);
}

/**
 * A range off the quarter hour (the dashboard's "last 7 days" from now): its
 * whole quarter hours from the rollup, the minutes before and after them from
 * the responses, summed by key. Exact, and still a few rows' work.
 */
function usageRowsOfQuarters(db: Db, filter: UsageFilter, group: UsageGrouping): UsageRow[] {
  return mergedParts(
    aroundQuarters(
      filter,
      (inner) => usageRowsFromRollup(db, 'usage_quarters', inner, group),
      (edge) => usageRowsOfResponses(db, edge, group),
    ),
  );
}

/**
 * A range the hour rollup can answer but for its ends (the dashboard's "last
 * 90 days" from now): its whole hours from `usage_hours`, the parts of an hour
 * before and after them as any quarter-hour range is answered, summed by key.
 */
function usageRowsAroundHours(db: Db, filter: UsageFilter, group: UsageGrouping): UsageRow[] {
  return mergedParts(
    aroundSteps(
      filter,
      HOUR_MS,
      (inner) => usageRowsFromRollup(db, 'usage_hours', inner, group),
      (edge) => usageRowsOfQuarters(db, edge, group),
    ),
  );
}

function mergedParts(parts: UsageRow[][]): UsageRow[] {
  return parts.length === 1 ? (parts[0] ?? []) : mergeUsageRows(parts);
}

/**
 * A range cut where steps of `stepMs` begin: `inner` reads its whole steps,
 * `edge` the time before and after them (or all of a range too short to
 * hold a whole step). A range already on steps is one `inner` read.
 */
function aroundSteps<Row>(
  filter: UsageFilter,
  stepMs: number,
  inner: (filter: UsageFilter) => Row[],
  edge: (filter: UsageFilter) => Row[],
): Row[][] {
  const { fromMs, toMs } = filter;
  const whole = {
    fromMs: fromMs === undefined ? undefined : Math.ceil(fromMs / stepMs) * stepMs,
    toMs: toMs === undefined ? undefined : Math.floor(toMs / stepMs) * stepMs,
  };
  if (whole.fromMs !== undefined && whole.toMs !== undefined && whole.toMs <= whole.fromMs) {
    return [edge(filter)];
  }
  const parts = [inner({ ...filter, ...whole })];
  if (fromMs !== whole.fromMs) parts.push(edge({ ...filter, toMs: whole.fromMs }));
  if (toMs !== whole.toMs) parts.push(edge({ ...filter, fromMs: whole.toMs }));
  return parts;
}

function aroundQuarters<Row>(
  filter: UsageFilter,
  inner: (filter: UsageFilter) => Row[],
  edge: (filter: UsageFilter) => Row[],
): Row[][] {
  return aroundSteps(filter, QUARTER_MS, inner, edge);
}

/** A session with responses in a time bucket (0 without buckets), and its user where asked. */
export interface SessionInBucket {
  bucket: number;
  sessionId: string;
  /** Telemetry's `user.id` with `user`, else ''. */
  userId: string;
}

/**
 * The sessions with responses in each time bucket (a pair may repeat): only
 * the keys, read without summing figures, for counting sessions.
 */
export function sessionsByBucket(
  db: Db,
  filter: UsageFilter,
  group: { bucketMs?: number; bucketOffsetMs?: number; user?: boolean },
): SessionInBucket[] {
  const keys = (bucket: string, userId: string) =>
    `SELECT DISTINCT ${bucket} AS bucket, session_id AS sessionId, ${userId} AS userId`;
  const ofResponses = (f: UsageFilter) => {
    const where = responsesWhere(f);
    const bucket = group.bucketMs ? bucketStart('ts', group) : '0';
    return db
      .prepare<Param[], SessionInBucket>(
        `${keys(bucket, group.user ? "coalesce(user_id, '')" : "''")}
         FROM responses WHERE ${where.sql} AND session_id <> ''`,
      )
      .all(...where.params);
  };
  if (!bucketsOnQuarters(group)) return ofResponses(filter);
  const ofQuarters = (f: UsageFilter) => {
    const where = filterConditions(f, 'bucket', [
      `${VIEW_SQL[f.view].prefix}_responses > 0`,
      "session_id <> ''",
    ]);
    const bucket = !group.bucketMs
      ? '0'
      : group.bucketMs === QUARTER_MS
        ? 'bucket'
        : bucketStart('bucket', group);
    return db
      .prepare<Param[], SessionInBucket>(
        `${keys(bucket, group.user ? 'user_id' : "''")} FROM usage_quarters WHERE ${where.sql}`,
      )
      .all(...where.params);
  };
  return aroundQuarters(filter, ofQuarters, ofResponses).flat();
}

/**
 * How many sessions (with an id) have responses of the filter's view. Over a
 * range that holds every response, distinct keys of the session rollup (a
 * year of sessions counted in about 3 ms instead of 40 by summing them).
 */
export function sessionCount(db: Db, filter: UsageFilter): number {
  if (holdsEveryResponse(db, filter)) return rolledUpSessionCount(db, sessionRollupWhere(filter));
  return new Set(sessionsByBucket(db, filter, {}).map((s) => s.sessionId)).size;
}

/**
 * The session rollup's rows of a filter whose range holds every response: its
 * other conditions, on sessions with an id and responses of the view.
 */
function sessionRollupWhere(filter: UsageFilter): { sql: string; params: Param[] } {
  const { fromMs: _from, toMs: _to, ...whole } = filter;
  return filterConditions(whole, 'first_ms', [
    `${VIEW_SQL[filter.view].prefix}_responses > 0`,
    "session_id <> ''",
  ]);
}

function rolledUpSessionCount(db: Db, where: { sql: string; params: Param[] }): number {
  return (
    db
      .prepare<Param[], number>(
        `SELECT count(DISTINCT session_id) FROM usage_sessions WHERE ${where.sql}`,
      )
      .pluck()
      .get(...where.params) ?? 0
  );
}

/** What the projects table and the latest sessions are made of. */
export interface ProjectsAndSessions {
  /** Usage by project, or by project and session: sum them by `projectId`. */
  projectRows: UsageRow[];
  /** Sessions (with an id) per project (0: none). */
  sessionsByProject: Map<number, number>;
  /** The latest `limit` sessions (with an id), by their last response. */
  latest: { sessionId: string; lastMs: number }[];
  /** How many sessions (with an id) in all. */
  totalSessions: number;
}

const byLastThenId = (
  a: { sessionId: string; lastMs: number },
  b: { sessionId: string; lastMs: number },
) => b.lastMs - a.lastMs || (a.sessionId < b.sessionId ? -1 : 1);

/**
 * Usage per project and the latest sessions, for a filter's view. Over a
 * range that holds every response, from the session rollup by SQL (a year's
 * 10,000 sessions are counted and the latest found without a row each);
 * otherwise from one read of the usage per project and session.
 */
export function projectsAndSessions(
  db: Db,
  filter: UsageFilter,
  limit: number,
): ProjectsAndSessions {
  if (!holdsEveryResponse(db, filter)) {
    const projectRows = usageRows(db, filter, { project: true, session: true });
    const lastMsOf = new Map<string, number>();
    const sessions = new Map<number, number>();
    for (const r of projectRows) {
      if (r.sessionId === '') continue;
      lastMsOf.set(r.sessionId, Math.max(lastMsOf.get(r.sessionId) ?? 0, r.lastMs));
      sessions.set(r.projectId, (sessions.get(r.projectId) ?? 0) + 1);
    }
    const all = [...lastMsOf].map(([sessionId, lastMs]) => ({ sessionId, lastMs }));
    all.sort(byLastThenId);
    return {
      projectRows,
      sessionsByProject: sessions,
      latest: all.slice(0, limit),
      totalSessions: all.length,
    };
  }
  const where = sessionRollupWhere(filter);
  const latest = db
    .prepare<Param[], { sessionId: string; lastMs: number }>(
      `SELECT session_id AS sessionId, max(last_ms) AS lastMs FROM usage_sessions
       WHERE ${where.sql} GROUP BY session_id ORDER BY lastMs DESC, session_id LIMIT ?`,
    )
    .all(...where.params, limit);
  const sessionsByProject = new Map(
    db
      .prepare<Param[], [number, number]>(
        `SELECT project_id, count(DISTINCT session_id) FROM usage_sessions
         WHERE ${where.sql} GROUP BY project_id`,
      )
      .raw()
      .all(...where.params),
  );
  return {
    projectRows: usageRows(db, filter, { project: true }),
    sessionsByProject,
    latest,
    totalSessions: rolledUpSessionCount(db, where),
  };
}

/** Rows of several disjoint time ranges, with rows of the same key summed. */
function mergeUsageRows(parts: UsageRow[][]): UsageRow[] {
  const byKey = new Map<string, UsageRow>();
  for (const rows of parts) {
    for (const row of rows) {
      const key = `${row.bucket}\n${row.model}\n${row.projectId}\n${row.sessionId}\n${row.userId}`;
      const into = byKey.get(key);
      if (!into) byKey.set(key, { ...row });
      else {
        addTotals(into, row);
        into.truncated += row.truncated;
        into.errors += row.errors;
      }
    }
  }
  return [...byKey.values()];
}

/** `usageRows` read from every response of the filter. */
function usageRowsOfResponses(db: Db, filter: UsageFilter, group: UsageGrouping): UsageRow[] {
  const cols = VIEW_SQL[filter.view];
  const p = cols.prefix;
  const cost = costExpression(filter.view, filter.mode);
  const where = responsesWhere(filter);
  const keys: string[] = [];
  const bucket = group.bucketMs ? bucketStart('ts', group) : '0';
  if (group.bucketMs) keys.push('bucket');
  if (group.model) keys.push('model');
  if (group.project) keys.push('projectId');
  if (group.session) keys.push('sessionId');
  if (group.user) keys.push('userId');
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
      max(ts) AS lastMs,
      ${group.user ? "coalesce(user_id, '')" : "''"} AS userId,
      sum(status = 1) AS truncated,
      sum(status = 2) AS errors
    FROM responses
    WHERE ${where.sql}
    ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}`;
  return usageRowsOf(db, sql, where.params);
}

/** SQL: the start of `column`'s bucket (integer division floors: times are after 1970). */
export function bucketStart(column: string, group: UsageGrouping): string {
  const width = Math.trunc(group.bucketMs ?? 0);
  const offset = Math.trunc(group.bucketOffsetMs ?? 0);
  if (!offset) return `(${column} / ${width}) * ${width}`;
  return `((${column} + ${offset}) / ${width}) * ${width} - ${offset}`;
}

/** The rollup's cost column of each mode. */
const MODE_COLUMN: Record<CostMode, string> = {
  calculate: 'cost_nanos',
  display: 'display_nanos',
  auto: 'auto_nanos',
};

const onQuarter = (ms: number | undefined) => ms === undefined || ms % QUARTER_MS === 0;

/**
 * SQL: a rollup's sums for a filter's view and mode, as `usageRowsOf` reads
 * them after the keys; `summed: false` reads one rollup row's own figures,
 * for a query that groups by exactly the rollup's key.
 */
function rollupSums(filter: UsageFilter, userKey = "''", summed = true): string {
  const p = VIEW_SQL[filter.view].prefix;
  const unpriced = filter.mode === 'display' ? null : `${p}_unpriced_${filter.mode}`;
  const sum = summed ? (column: string) => `sum(${column})` : (column: string) => column;
  return `${sum(`${p}_responses`)} AS responses,
      ${sum(`${p}_input`)} AS input,
      ${sum(`${p}_output`)} AS output,
      ${sum(`${p}_cache_read`)} AS cacheRead,
      ${sum(`${p}_cache_creation`)} AS cacheCreation,
      ${sum(`${p}_${MODE_COLUMN[filter.mode]}`)} AS costNanos,
      ${unpriced ? sum(unpriced) : '0'} AS unpricedResponses,
      ${unpriced ? sum(`${unpriced}_tokens`) : '0'} AS unpricedTokens,
      ${sum(`${p}_understated`)} AS understated,
      coalesce(${summed ? 'min(first_ms)' : 'first_ms'}, 0) AS firstMs,
      coalesce(${summed ? 'max(last_ms)' : 'last_ms'}, 0) AS lastMs,
      ${userKey} AS userId,
      ${sum(`${p}_truncated`)} AS truncated,
      ${sum(`${p}_errors`)} AS errors`;
}

/** Whether time buckets (if any) are whole quarter hours, as the quarter-hour rollup can give. */
function bucketsOnQuarters(group: UsageGrouping): boolean {
  return (
    group.bucketMs === undefined ||
    (group.bucketMs % QUARTER_MS === 0 && (group.bucketOffsetMs ?? 0) % QUARTER_MS === 0)
  );
}

const onHour = (ms: number | undefined) => ms === undefined || ms % HOUR_MS === 0;

/**
 * Whether the hour rollup holds the answer, at least for the whole hours of
 * the range: buckets on hours, by model at most.
 */
function hoursAnswer(filter: UsageFilter, group: UsageGrouping): boolean {
  return (
    !group.project &&
    !group.session &&
    !group.user &&
    filter.projectIds === undefined &&
    filter.sessionIds === undefined &&
    (group.bucketMs === undefined ||
      (group.bucketMs % HOUR_MS === 0 && (group.bucketOffsetMs ?? 0) % HOUR_MS === 0))
  );
}

/**
 * Whether the session rollup holds the answer: by session or project (not by
 * user, which it does not keep), over the whole history or a range that holds
 * all of it.
 */
function sessionsAnswer(db: Db, filter: UsageFilter, group: UsageGrouping): boolean {
  return (
    (group.session === true || group.project === true) &&
    group.user !== true &&
    group.bucketMs === undefined &&
    holdsEveryResponse(db, filter)
  );
}

const timeSpanStatements = new WeakMap<
  Db,
  Statement<[], { first: number | null; last: number | null }>
>();

/** Whether the filter's time range holds every response in the store (its bounds change nothing). */
function holdsEveryResponse(db: Db, filter: UsageFilter): boolean {
  const { fromMs, toMs } = filter;
  if (fromMs === undefined && toMs === undefined) return true;
  let statement = timeSpanStatements.get(db);
  if (!statement) {
    // Two subqueries: SQLite reads a min or a max from the index only when it is alone.
    statement = db.prepare<[], { first: number | null; last: number | null }>(
      'SELECT (SELECT min(ts) FROM responses) AS first, (SELECT max(ts) FROM responses) AS last',
    );
    timeSpanStatements.set(db, statement);
  }
  const { first = null, last = null } = statement.get() ?? {};
  if (first === null || last === null) return true;
  return (fromMs === undefined || fromMs <= first) && (toMs === undefined || last < toMs);
}

/**
 * `usageRows` from a rollup the triggers keep: the same sums, from a few rows
 * per quarter hour (`usage_quarters`) or per session (`usage_sessions`, which
 * has no time) instead of every response. First and last times are those of
 * the rows' responses when they were written.
 */
function usageRowsFromRollup(
  db: Db,
  table: 'usage_quarters' | 'usage_hours' | 'usage_sessions',
  filter: UsageFilter,
  group: UsageGrouping,
): UsageRow[] {
  const p = VIEW_SQL[filter.view].prefix;
  // Rows without the view's responses would only stretch first and last times.
  const where = filterConditions(filter, 'bucket', [`${p}_responses > 0`]);
  const keys: string[] = [];
  const width = group.bucketMs ? Math.trunc(group.bucketMs) : 0;
  // In the order of usage_sessions' key, so that SQLite groups as it reads.
  if (group.session) keys.push('sessionId');
  if (group.project) keys.push('projectId');
  if (group.model) keys.push('model');
  if (group.user) keys.push('userId');
  // A rollup's own step: grouping by its key reads the table in order.
  const own = table === 'usage_hours' ? HOUR_MS : QUARTER_MS;
  const bucketExpr = width === own ? 'bucket' : width ? bucketStart('bucket', group) : '0';
  // By the expression: the name `bucket` would be the table's column, not the alias.
  if (width) keys.unshift(bucketExpr);
  // Grouped by exactly usage_sessions' key, each row is its own group: read
  // as it is. A session report's 19,000 rows iterated in about 75 ms instead of 95.
  const ownRows =
    table === 'usage_sessions' &&
    group.session === true &&
    group.project === true &&
    group.model === true &&
    !width &&
    group.user !== true;
  const sql = `
    SELECT ${bucketExpr} AS bucket,
      ${group.model ? 'model' : "''"} AS model,
      ${group.project ? 'project_id' : '0'} AS projectId,
      ${group.session ? 'session_id' : "''"} AS sessionId,
      ${rollupSums(filter, group.user ? 'user_id' : "''", !ownRows)}
    FROM ${table}
    WHERE ${where.sql}
    ${keys.length && !ownRows ? `GROUP BY ${keys.join(', ')}` : ''}`;
  return usageRowsOf(db, sql, where.params);
}

/** A time bucket's usage, and its models in order of first use. */
export interface BucketUsage {
  row: UsageRow;
  models: string[];
}

/**
 * Usage per hour (or quarter hour where the filter needs projects or is off
 * the hour) in time order, read in the rollup's own order (no sorting), with
 * the models each used; undefined when the filter's times are off the
 * quarter hour (no rollup can answer).
 */
export function usageByBucket(
  db: Db,
  filter: UsageFilter,
): { widthMs: number; buckets: BucketUsage[] } | undefined {
  if (!onQuarter(filter.fromMs) || !onQuarter(filter.toMs)) return undefined;
  const hours = hoursAnswer(filter, {}) && onHour(filter.fromMs) && onHour(filter.toMs);
  const p = VIEW_SQL[filter.view].prefix;
  const where = filterConditions(filter, 'bucket', [`${p}_responses > 0`]);
  const sql = `
    SELECT bucket, '' AS model, 0 AS projectId, '' AS sessionId,
      ${rollupSums(filter)},
      group_concat(model, char(10) ORDER BY first_ms) AS models
    FROM ${hours ? 'usage_hours' : 'usage_quarters'}
    WHERE ${where.sql} GROUP BY bucket ORDER BY bucket`;
  const rows = db
    .prepare<Param[], [...UsageColumns, string]>(sql)
    .raw()
    .all(...where.params);
  return {
    widthMs: hours ? HOUR_MS : QUARTER_MS,
    buckets: rows.map((c) => ({ row: usageRowOf(c), models: [...new Set(c[18].split('\n'))] })),
  };
}

/**
 * `usageRows` for several time ranges at once, each on quarter hours, in one
 * query: a row per range (and model, with `model`), its `bucket` the range's
 * start. The ranges must not overlap.
 */
export function usageRowsInRanges(
  db: Db,
  filter: UsageFilter,
  ranges: readonly { fromMs: number; toMs: number }[],
  group: { model?: boolean },
): UsageRow[] {
  if (ranges.length === 0) return [];
  if (!ranges.every((r) => onQuarter(r.fromMs) && onQuarter(r.toMs))) {
    throw new Error('usageRowsInRanges: ranges must start and end on quarter hours');
  }
  const p = VIEW_SQL[filter.view].prefix;
  const where = filterConditions(filter, 'q.bucket', []);
  const sql = `
    WITH ranges(from_ms, to_ms) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?))
    SELECT ranges.from_ms AS bucket,
      ${group.model ? 'q.model' : "''"} AS model,
      0 AS projectId,
      '' AS sessionId,
      ${rollupSums(filter)}
    FROM ranges JOIN usage_quarters q ON q.bucket >= ranges.from_ms AND q.bucket < ranges.to_ms
    WHERE ${where.sql} AND ${p}_responses > 0
    GROUP BY ranges.from_ms${group.model ? ', q.model' : ''}`;
  const json = JSON.stringify(ranges.map((r) => [r.fromMs, r.toMs]));
  return usageRowsOf(db, sql, [json, ...where.params]);
}

/** A usage query's result columns, in the order every usage query selects them. */
type UsageColumns = [
  number,
  string,
  number,
  string,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  string,
  number,
  number,
];

type RawStatement = Statement<Param[], UsageColumns>;
const statements = new WeakMap<Db, Map<string, RawStatement>>();

/**
 * A usage query prepared once per store: a server answers the same few
 * shapes again and again, and preparing them costs more than a week's rows.
 */
function preparedRaw(db: Db, sql: string): RawStatement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= 500) cache.clear();
    statement = db.prepare<Param[], UsageColumns>(sql).raw();
    cache.set(sql, statement);
  }
  return statement;
}

/**
 * Runs a usage query and returns its rows with responses. Rows are read as
 * arrays and made into objects here: better-sqlite3 builds an object column
 * by column, about three times slower for a year's thousands of rows. They
 * are iterated, not read all at once, so that each array is garbage before
 * the next is made: kept until the end, tens of thousands of them were
 * copied by the garbage collector with the objects made from them.
 */
function usageRowsOf(db: Db, sql: string, params: Param[]): UsageRow[] {
  const rows: UsageRow[] = [];
  for (const c of preparedRaw(db, sql).iterate(...params)) {
    if (c[4] > 0) rows.push(usageRowOf(c));
  }
  return rows;
}

function usageRowOf(c: UsageColumns | [...UsageColumns, string]): UsageRow {
  return {
    bucket: c[0],
    model: c[1],
    projectId: c[2],
    sessionId: c[3],
    responses: c[4],
    input: c[5],
    output: c[6],
    cacheRead: c[7],
    cacheCreation: c[8],
    costNanos: c[9],
    unpricedResponses: c[10],
    unpricedTokens: c[11],
    understated: c[12],
    firstMs: c[13],
    lastMs: c[14],
    userId: c[15],
    truncated: c[16],
    errors: c[17],
  };
}

/**
 * The whole hours a view's responses span, [fromMs, toMs); undefined when it
 * has none. Read from the rollup's key, two index lookups.
 */
export function usageBounds(db: Db, view: View): { fromMs: number; toMs: number } | undefined {
  const counted = `${VIEW_SQL[view].prefix}_responses > 0`;
  const first = db
    .prepare<[], { b: number }>(
      `SELECT bucket AS b FROM usage_quarters WHERE ${counted} ORDER BY bucket LIMIT 1`,
    )
    .get();
  const last = db
    .prepare<[], { b: number }>(
      `SELECT bucket AS b FROM usage_quarters WHERE ${counted} ORDER BY bucket DESC LIMIT 1`,
    )
    .get();
  if (!first || !last) return undefined;
  // Widened to whole hours (nothing is outside), so that the hour rollup can answer.
  return {
    fromMs: Math.floor(first.b / HOUR_MS) * HOUR_MS,
    toMs: Math.ceil((last.b + QUARTER_MS) / HOUR_MS) * HOUR_MS,
  };
}

/** Models with tokens but no price, for the warning that names them. */
export function unpricedModels(db: Db, view: View): string[] {
  const p = VIEW_SQL[view].prefix;
  return db
    .prepare<[], { model: string }>(
      `SELECT DISTINCT model FROM responses WHERE ${VIEW_SQL[view].where} AND ${p}_cost_nanos IS NULL ORDER BY model`,
    )
    .all()
    .map((r) => r.model);
}

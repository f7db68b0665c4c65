/**
 * Rollups of the responses, kept by triggers: what reports and the dashboard
 * read, so a year of responses is a few tens of thousands of rows, not a scan
 * of every response. Every figure a view and cost mode give is kept (t_
 * transcripts, e_ telemetry, b_ both), with the first and last response time.
 *
 * - `usage_quarters`: by quarter hour, model, project and session (a session
 *   works in one project with one or two models, so its key adds few rows).
 *   Zone offsets are multiples of 15 minutes, so local days and months are
 *   whole numbers of buckets.
 * - `usage_hours`: by hour and model only, a fraction of the quarter hours'
 *   rows: what a year of days, months and blocks reads in zones on whole hours.
 * - `usage_sessions`: by session, project and model, for whole-history
 *   session figures without sorting the quarter hours by session.
 */

export const QUARTER_MS = 900_000;
export const HOUR_MS = 3_600_000;

const VIEW_PREFIXES = ['t', 'e', 'b'] as const;
type Prefix = (typeof VIEW_PREFIXES)[number];

/** 1 for a row the view counts (as VIEW_SQL's `counted`). */
const COUNTED: Record<Prefix, string> = { t: 'R.has_transcript', e: 'R.has_event', b: '1' };
const UNDERSTATED: Record<Prefix, string> = { t: 'R.placeholder', e: '0', b: 'R.b_understated' };

/**
 * Column name and the per-row expression summed into it, with `R.` standing
 * for the row; from schema version 4 on, responses by status too.
 */
function viewColumns(v: Prefix, withStatus: boolean): [string, string][] {
  const tokens = `R.${v}_input + R.${v}_output + R.${v}_cache_read + R.${v}_cache_creation`;
  const auto = `coalesce(R.${v}_reported_nanos, R.${v}_cost_nanos)`;
  const only = (expr: string) =>
    v === 'b' ? expr : `CASE WHEN ${COUNTED[v]} = 1 THEN ${expr} ELSE 0 END`;
  return [
    [`${v}_responses`, COUNTED[v]],
    [`${v}_input`, only(`R.${v}_input`)],
    [`${v}_output`, only(`R.${v}_output`)],
    [`${v}_cache_read`, only(`R.${v}_cache_read`)],
    [`${v}_cache_creation`, only(`R.${v}_cache_creation`)],
    [`${v}_cost_nanos`, only(`coalesce(R.${v}_cost_nanos, 0)`)],
    [`${v}_display_nanos`, only(`coalesce(R.${v}_reported_nanos, 0)`)],
    [`${v}_auto_nanos`, only(`coalesce(${auto}, 0)`)],
    [`${v}_unpriced_calculate`, only(`(R.${v}_cost_nanos IS NULL)`)],
    [
      `${v}_unpriced_calculate_tokens`,
      only(`CASE WHEN R.${v}_cost_nanos IS NULL THEN ${tokens} ELSE 0 END`),
    ],
    [`${v}_unpriced_auto`, only(`(${auto} IS NULL)`)],
    [`${v}_unpriced_auto_tokens`, only(`CASE WHEN ${auto} IS NULL THEN ${tokens} ELSE 0 END`)],
    [`${v}_understated`, only(UNDERSTATED[v])],
    // Status 1: truncated at max_tokens; 2: an API error.
    ...(withStatus
      ? ([
          [`${v}_truncated`, only('(R.status = 1)')],
          [`${v}_errors`, only('(R.status = 2)')],
        ] as [string, string][])
      : []),
  ];
}

const SUMMED_V3: [string, string][] = VIEW_PREFIXES.flatMap((v) => viewColumns(v, false));
const SUMMED: [string, string][] = VIEW_PREFIXES.flatMap((v) => viewColumns(v, true));

/** A rollup: its table, its key columns and each one's expression on a response `r`. */
interface Rollup {
  table: string;
  /** Its triggers are `<triggers>_insert`, `_update` and `_delete`. */
  triggers: string;
  columns: readonly string[];
  of: (r: string) => string[];
  definitions: string;
  /** The summed columns and their expressions. */
  summed: readonly [string, string][];
  /** Its key from a `usage_quarters` row `q`, where it can be summed from that rollup. */
  ofQuarter?: readonly string[];
}

/** Schema version 3: no session in the key. */
const QUARTER_MODEL_PROJECT: Rollup = {
  table: 'usage_quarters',
  triggers: 'responses_quarters',
  columns: ['bucket', 'model', 'project_id'],
  of: (r) => [
    `${r}.ts / ${QUARTER_MS} * ${QUARTER_MS}`,
    `${r}.model`,
    `coalesce(${r}.project_id, 0)`,
  ],
  definitions: `bucket INTEGER NOT NULL,
    model TEXT NOT NULL,
    project_id INTEGER NOT NULL,`,
  summed: SUMMED_V3,
};

/**
 * Schema version 4 on: sessions and users too ('' for a response without
 * one; a session is one user's, so users add no rows), and status counts.
 */
const QUARTER_MODEL_PROJECT_SESSION: Rollup = {
  ...QUARTER_MODEL_PROJECT,
  columns: [...QUARTER_MODEL_PROJECT.columns, 'session_id', 'user_id'],
  of: (r) => [
    ...QUARTER_MODEL_PROJECT.of(r),
    `coalesce(${r}.session_id, '')`,
    `coalesce(${r}.user_id, '')`,
  ],
  definitions: `${QUARTER_MODEL_PROJECT.definitions}
    session_id TEXT NOT NULL,
    user_id TEXT NOT NULL,`,
  summed: SUMMED,
};

const HOUR_MODEL: Rollup = {
  table: 'usage_hours',
  triggers: 'responses_hours',
  columns: ['bucket', 'model'],
  of: (r) => [`${r}.ts / ${HOUR_MS} * ${HOUR_MS}`, `${r}.model`],
  definitions: `bucket INTEGER NOT NULL,
    model TEXT NOT NULL,`,
  summed: SUMMED,
  ofQuarter: [`q.bucket / ${HOUR_MS} * ${HOUR_MS}`, 'q.model'],
};

const SESSION_PROJECT_MODEL: Rollup = {
  table: 'usage_sessions',
  triggers: 'responses_sessions',
  columns: ['session_id', 'project_id', 'model'],
  of: (r) => [`coalesce(${r}.session_id, '')`, `coalesce(${r}.project_id, 0)`, `${r}.model`],
  definitions: `session_id TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    model TEXT NOT NULL,`,
  summed: SUMMED,
  ofQuarter: ['q.session_id', 'q.project_id', 'q.model'],
};

const rowExpr = (expr: string, r: string) => expr.replaceAll('R.', `${r}.`);

function upsert(key: Rollup, r: 'NEW' | 'OLD', sign: '' | '-'): string {
  const columns = [...key.columns, ...key.summed.map(([c]) => c), 'first_ms', 'last_ms'];
  const values = [
    ...key.of(r),
    ...key.summed.map(([, e]) => `${sign}(${rowExpr(e, r)})`),
    sign ? 'NULL' : `${r}.ts`,
    sign ? 'NULL' : `${r}.ts`,
  ];
  const sets = key.summed.map(([c]) => `${c} = ${c} + excluded.${c}`);
  sets.push(
    'first_ms = min(coalesce(first_ms, excluded.first_ms), coalesce(excluded.first_ms, first_ms))',
    'last_ms = max(coalesce(last_ms, excluded.last_ms), coalesce(excluded.last_ms, last_ms))',
  );
  return `INSERT INTO ${key.table} (${columns.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT (${key.columns.join(', ')}) DO UPDATE SET ${sets.join(', ')};`;
}

function fill(key: Rollup): string {
  const columns = [...key.columns, ...key.summed.map(([c]) => c), 'first_ms', 'last_ms'];
  const keys = key.columns.map((_, i) => i + 1);
  return `INSERT INTO ${key.table} (${columns.join(', ')})
  SELECT ${key.of('r').join(', ')}, ${key.summed.map(([, e]) => `sum(${rowExpr(e, 'r')})`).join(', ')}, min(r.ts), max(r.ts)
  FROM responses r GROUP BY ${keys.join(', ')}`;
}

/**
 * Fills a rollup from `usage_quarters`, which holds the same sums at a finer
 * key: a pass over a few thousand rollup rows instead of every response.
 */
function fillFromQuarters(key: Rollup): string {
  const { ofQuarter } = key;
  if (!ofQuarter) throw new Error(`${key.table} cannot be summed from usage_quarters`);
  const columns = [...key.columns, ...key.summed.map(([c]) => c), 'first_ms', 'last_ms'];
  const keys = key.columns.map((_, i) => i + 1);
  return `INSERT INTO ${key.table} (${columns.join(', ')})
  SELECT ${ofQuarter.join(', ')}, ${key.summed.map(([c]) => `sum(q.${c})`).join(', ')}, min(q.first_ms), max(q.last_ms)
  FROM usage_quarters q GROUP BY ${keys.join(', ')}`;
}

/**
 * As `fill`, for responses that all come from transcripts alone (what a bulk
 * first scan writes): their `b` figures are their `t` figures and their `e`
 * figures are zero, so each sum is computed once instead of three times
 * (a first scan's quarter hours in about half the time).
 */
function fillFromTranscriptsOnly(key: Rollup): string {
  const columns = [...key.columns, ...key.summed.map(([c]) => c), 'first_ms', 'last_ms'];
  const keys = key.columns.map((_, i) => i + 1);
  const transcript = key.summed.filter(([c]) => c.startsWith('t_'));
  const sameAsTranscript = (c: string) => {
    if (c.startsWith('t_')) return c;
    if (c.startsWith('b_')) return `t_${c.slice(2)}`;
    return '0';
  };
  return `INSERT INTO ${key.table} (${columns.join(', ')})
  SELECT ${key.columns.join(', ')}, ${key.summed.map(([c]) => sameAsTranscript(c)).join(', ')}, first_ms, last_ms
  FROM (SELECT ${key
    .of('r')
    .map((e, i) => `${e} AS ${key.columns[i]}`)
    .join(', ')},
      ${transcript.map(([c, e]) => `sum(${rowExpr(e, 'r')}) AS ${c}`).join(', ')},
      min(r.ts) AS first_ms, max(r.ts) AS last_ms
    FROM responses r GROUP BY ${keys.join(', ')})`;
}

function createRollup(key: Rollup): string {
  return `
  CREATE TABLE ${key.table} (
    ${key.definitions}
    ${key.summed.map(([c]) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n    ')},
    first_ms INTEGER,
    last_ms INTEGER,
    PRIMARY KEY (${key.columns.join(', ')})
  ) WITHOUT ROWID;
  CREATE TRIGGER ${key.triggers}_insert AFTER INSERT ON responses BEGIN
    ${upsert(key, 'NEW', '')}
  END;
  CREATE TRIGGER ${key.triggers}_update AFTER UPDATE ON responses BEGIN
    ${upsert(key, 'OLD', '-')}
    ${upsert(key, 'NEW', '')}
  END;
  CREATE TRIGGER ${key.triggers}_delete AFTER DELETE ON responses BEGIN
    ${upsert(key, 'OLD', '-')}
  END;
  ${fill(key)};
`;
}

/** Refills the rollups (a bulk first scan's end): the quarter hours from the responses, the rest from them. */
export const FILL_USAGE_ROLLUPS: readonly string[] = [
  `DELETE FROM ${QUARTER_MODEL_PROJECT_SESSION.table}`,
  fill(QUARTER_MODEL_PROJECT_SESSION),
  `DELETE FROM ${HOUR_MODEL.table}`,
  fillFromQuarters(HOUR_MODEL),
  `DELETE FROM ${SESSION_PROJECT_MODEL.table}`,
  fillFromQuarters(SESSION_PROJECT_MODEL),
];

/** As FILL_USAGE_ROLLUPS, when every response comes from transcripts alone. */
export const FILL_USAGE_ROLLUPS_FROM_TRANSCRIPTS: readonly string[] = [
  `DELETE FROM ${QUARTER_MODEL_PROJECT_SESSION.table}`,
  fillFromTranscriptsOnly(QUARTER_MODEL_PROJECT_SESSION),
  ...FILL_USAGE_ROLLUPS.slice(2),
];

/** Schema version 3: the quarter-hour rollup without sessions. */
export const USAGE_QUARTERS_MIGRATION = createRollup(QUARTER_MODEL_PROJECT);

/** Schema version 4: the quarter-hour rollup keyed by session and user too, the hour and session rollups. */
export const USAGE_SESSIONS_MIGRATION = `
  DROP TRIGGER responses_quarters_insert;
  DROP TRIGGER responses_quarters_update;
  DROP TRIGGER responses_quarters_delete;
  DROP TABLE usage_quarters;
  ${createRollup(QUARTER_MODEL_PROJECT_SESSION)}
  ${createRollup(HOUR_MODEL)}
  ${createRollup(SESSION_PROJECT_MODEL)}`;

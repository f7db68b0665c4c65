/**
 * Versioned schema. Each entry moves the store from version i to i + 1; the
 * version lives in SQLite's `user_version`. Never edit a shipped migration:
 * append a new one.
 */
import { RUNNING_TOTALS_MIGRATION, TELEMETRY_TOTALS_MIGRATION } from './running-totals.js';
import { USAGE_QUARTERS_MIGRATION, USAGE_SESSIONS_MIGRATION } from './usage-rollups.js';

/**
 * Secondary indexes of the tables a first scan fills in bulk. A first scan
 * builds them once at its end, which is several times faster than keeping
 * them up to date row by row; every other write keeps them current.
 */
export const BULK_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'responses_key', sql: 'CREATE UNIQUE INDEX responses_key ON responses(response_key)' },
  { name: 'responses_ts', sql: 'CREATE INDEX responses_ts ON responses(ts)' },
  {
    name: 'responses_request',
    sql: 'CREATE INDEX responses_request ON responses(request_id) WHERE request_id IS NOT NULL',
  },
  { name: 'messages_key', sql: 'CREATE UNIQUE INDEX messages_key ON messages(key)' },
  { name: 'messages_ts', sql: 'CREATE INDEX messages_ts ON messages(ts)' },
  { name: 'tool_uses_id', sql: 'CREATE UNIQUE INDEX tool_uses_id ON tool_uses(id)' },
  { name: 'tool_uses_ts', sql: 'CREATE INDEX tool_uses_ts ON tool_uses(ts)' },
];

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- One row per transcript file: where the next read starts, and how to tell
  -- that the file was truncated or replaced since.
  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    dev INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    lines INTEGER NOT NULL,
    head BLOB,
    missing INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE projects (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    project_id INTEGER REFERENCES projects(id),
    first_ms INTEGER NOT NULL,
    last_ms INTEGER NOT NULL,
    version TEXT,
    git_branch TEXT,
    entrypoint TEXT,
    reported_cost_nanos INTEGER,
    user_id TEXT
  );

  -- One row per API response, whichever trail saw it first. t_* are the
  -- transcript's counts, e_* the api_request event's, j_* the two joined
  -- (set only when an event exists); b_* is the joined view of every row.
  CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    response_key TEXT NOT NULL,
    request_id TEXT,
    session_id TEXT,
    project_id INTEGER,
    model TEXT NOT NULL,
    ts INTEGER NOT NULL,
    status INTEGER NOT NULL,
    speed TEXT,
    sidechain INTEGER NOT NULL DEFAULT 0,
    agent_id TEXT,
    version TEXT,
    git_branch TEXT,
    entrypoint TEXT,
    user_id TEXT,
    has_transcript INTEGER NOT NULL,
    t_input INTEGER NOT NULL DEFAULT 0,
    t_output INTEGER NOT NULL DEFAULT 0,
    t_cache_read INTEGER NOT NULL DEFAULT 0,
    t_cache_creation INTEGER NOT NULL DEFAULT 0,
    t_cache_5m INTEGER NOT NULL DEFAULT 0,
    t_cache_1h INTEGER NOT NULL DEFAULT 0,
    placeholder INTEGER NOT NULL DEFAULT 0,
    t_reported_nanos INTEGER,
    t_cost_nanos INTEGER,
    has_event INTEGER NOT NULL DEFAULT 0,
    e_input INTEGER NOT NULL DEFAULT 0,
    e_output INTEGER NOT NULL DEFAULT 0,
    e_cache_read INTEGER NOT NULL DEFAULT 0,
    e_cache_creation INTEGER NOT NULL DEFAULT 0,
    e_cache_5m INTEGER NOT NULL DEFAULT 0,
    e_cache_1h INTEGER NOT NULL DEFAULT 0,
    e_reported_nanos INTEGER,
    e_cost_nanos INTEGER,
    j_input INTEGER,
    j_output INTEGER,
    j_cache_read INTEGER,
    j_cache_creation INTEGER,
    j_reported_nanos INTEGER,
    j_cost_nanos INTEGER,
    j_understated INTEGER,
    -- Computed on read, so a transcript-only row (the bulk) writes none of it.
    b_input INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_input ELSE t_input END) VIRTUAL,
    b_output INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_output ELSE t_output END) VIRTUAL,
    b_cache_read INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_cache_read ELSE t_cache_read END) VIRTUAL,
    b_cache_creation INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_cache_creation ELSE t_cache_creation END) VIRTUAL,
    b_reported_nanos INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_reported_nanos ELSE t_reported_nanos END) VIRTUAL,
    b_cost_nanos INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_cost_nanos ELSE t_cost_nanos END) VIRTUAL,
    b_understated INTEGER GENERATED ALWAYS AS (CASE WHEN has_event = 1 THEN j_understated ELSE placeholder END) VIRTUAL
  );

  -- A user line (prompt or tool result), keyed by its uuid.
  CREATE TABLE messages (id INTEGER PRIMARY KEY, key TEXT NOT NULL, role TEXT NOT NULL, session_id TEXT, ts INTEGER NOT NULL);

  CREATE TABLE tool_uses (
    rowid_ INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    session_id TEXT,
    ts INTEGER NOT NULL,
    outcome TEXT,
    lines_added INTEGER NOT NULL DEFAULT 0,
    lines_removed INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE compactions (key TEXT PRIMARY KEY, session_id TEXT, ts INTEGER NOT NULL) WITHOUT ROWID;

  -- Counters of what was read: lines by result, unknown types by name.
  CREATE TABLE line_counts (kind TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
  -- The most recent ingestion errors, for /health and \`ccmon scan\`.
  CREATE TABLE ingest_errors (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, source TEXT NOT NULL, location TEXT NOT NULL, message TEXT NOT NULL);

  -- OpenTelemetry: events (log records) and metric increments.
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    event_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    ts INTEGER NOT NULL,
    session_id TEXT,
    user_id TEXT,
    model TEXT,
    attrs TEXT NOT NULL
  );
  CREATE INDEX events_name_ts ON events(name, ts);

  CREATE TABLE metric_series (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    attrs_key TEXT NOT NULL,
    attrs TEXT NOT NULL,
    unit TEXT NOT NULL,
    temporality TEXT NOT NULL,
    start_ns TEXT,
    last_time_ns TEXT,
    last_value REAL,
    total REAL NOT NULL DEFAULT 0,
    last_ms INTEGER,
    UNIQUE (name, attrs_key)
  );
  CREATE TABLE metric_points (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL);
  CREATE INDEX metric_points_series_ts ON metric_points(series_id, ts);
  ${BULK_INDEXES.map((i) => `${i.sql};`).join('\n  ')}
  `,
  RUNNING_TOTALS_MIGRATION,
  USAGE_QUARTERS_MIGRATION,
  // Version 4: what the reports and the dashboard read over long ranges.
  `${USAGE_SESSIONS_MIGRATION}
  CREATE INDEX metric_series_last ON metric_series(last_ms);
  CREATE INDEX responses_event_only ON responses(ts) WHERE has_transcript = 0;`,
  // Version 5: api_request durations in their own column, and in the events'
  // index by name and time, so that API latency over a year reads that index
  // instead of parsing every event's attributes.
  `ALTER TABLE events ADD COLUMN duration_ms REAL;
  UPDATE events SET duration_ms = json_extract(attrs, '$.duration_ms')
  WHERE name = 'api_request' AND json_type(attrs, '$.duration_ms') IN ('integer', 'real');
  DROP INDEX events_name_ts;
  CREATE INDEX events_name_ts ON events(name, ts, duration_ms);`,
  TELEMETRY_TOTALS_MIGRATION,
  // Version 7: the events' indexes by time. One index by (name, ts) took an
  // insert into the middle of the tree for every name a batch of events
  // carries (about 11 of the 40 pages an OTLP write transaction wrote). Only
  // two names are read by time, each now from its own partial index, whose
  // inserts land at the right edge while events arrive live.
  `DROP INDEX events_name_ts;
  CREATE INDEX events_api_request ON events(ts, duration_ms) WHERE name = 'api_request';
  CREATE INDEX events_user_prompt ON events(ts, user_id) WHERE name = 'user_prompt';`,
  // Version 8: the series attributes the dashboard groups and filters by, in
  // their own columns (a string attribute, else NULL), written once per
  // series. Read from the JSON for every point, they took about a third of
  // the time of Claude Code's metric sums over a year (52 ms, now 37).
  `ALTER TABLE metric_series ADD COLUMN session_id TEXT;
  ALTER TABLE metric_series ADD COLUMN user_id TEXT;
  ALTER TABLE metric_series ADD COLUMN type TEXT;
  ALTER TABLE metric_series ADD COLUMN decision TEXT;
  UPDATE metric_series SET
    session_id = CASE WHEN json_type(attrs, '$."session.id"') = 'text' THEN json_extract(attrs, '$."session.id"') END,
    user_id = CASE WHEN json_type(attrs, '$."user.id"') = 'text' THEN json_extract(attrs, '$."user.id"') END,
    type = CASE WHEN json_type(attrs, '$.type') = 'text' THEN json_extract(attrs, '$.type') END,
    decision = CASE WHEN json_type(attrs, '$.decision') = 'text' THEN json_extract(attrs, '$.decision') END;`,
];

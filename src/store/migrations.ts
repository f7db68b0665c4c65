/**
 * Versioned schema. Each entry moves the store from version i to i + 1; the
 * version lives in SQLite's `user_version`. Never edit a shipped migration:
 * append a new one.
 */
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
  -- transcript's counts, e_* the api_request event's, b_* the joined view.
  CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    response_key TEXT NOT NULL UNIQUE,
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
    has_event INTEGER NOT NULL,
    e_input INTEGER NOT NULL DEFAULT 0,
    e_output INTEGER NOT NULL DEFAULT 0,
    e_cache_read INTEGER NOT NULL DEFAULT 0,
    e_cache_creation INTEGER NOT NULL DEFAULT 0,
    e_cache_5m INTEGER NOT NULL DEFAULT 0,
    e_cache_1h INTEGER NOT NULL DEFAULT 0,
    e_reported_nanos INTEGER,
    e_cost_nanos INTEGER,
    b_input INTEGER NOT NULL DEFAULT 0,
    b_output INTEGER NOT NULL DEFAULT 0,
    b_cache_read INTEGER NOT NULL DEFAULT 0,
    b_cache_creation INTEGER NOT NULL DEFAULT 0,
    b_reported_nanos INTEGER,
    b_cost_nanos INTEGER,
    b_understated INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX responses_ts ON responses(ts);
  CREATE INDEX responses_request ON responses(request_id) WHERE request_id IS NOT NULL;

  CREATE TABLE messages (key TEXT PRIMARY KEY, role TEXT NOT NULL, session_id TEXT, ts INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX messages_ts ON messages(ts);

  CREATE TABLE tool_uses (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    session_id TEXT,
    ts INTEGER NOT NULL,
    outcome TEXT,
    lines_added INTEGER NOT NULL DEFAULT 0,
    lines_removed INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE INDEX tool_uses_ts ON tool_uses(ts);

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
  `,
];

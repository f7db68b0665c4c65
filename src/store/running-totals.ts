import { FILL_USAGE_ROLLUPS, FILL_USAGE_ROLLUPS_FROM_TRANSCRIPTS } from './usage-rollups.js';

/**
 * Running totals for /metrics, kept by triggers, so a scrape reads a few
 * hundred rows however many responses, messages and events are stored.
 */

const FILL_USAGE_TOTALS = `
  INSERT INTO usage_totals (model, project_id, status, t_responses, e_responses, b_responses, t_input, t_output, t_cache_read, t_cache_creation, e_input, e_output, e_cache_read, e_cache_creation, b_input, b_output, b_cache_read, b_cache_creation, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  SELECT r.model, coalesce(r.project_id, 0), r.status, sum(r.has_transcript), sum(r.has_event), sum(1), sum(r.t_input), sum(r.t_output), sum(r.t_cache_read), sum(r.t_cache_creation), sum(r.e_input), sum(r.e_output), sum(r.e_cache_read), sum(r.e_cache_creation), sum(r.b_input), sum(r.b_output), sum(r.b_cache_read), sum(r.b_cache_creation), sum(coalesce(r.t_cost_nanos, 0)), sum(coalesce(r.t_reported_nanos, 0)), sum(coalesce(r.t_reported_nanos, r.t_cost_nanos, 0)), sum(coalesce(r.e_cost_nanos, 0)), sum(coalesce(r.e_reported_nanos, 0)), sum(coalesce(r.e_reported_nanos, r.e_cost_nanos, 0)), sum(coalesce(r.b_cost_nanos, 0)), sum(coalesce(r.b_reported_nanos, 0)), sum(coalesce(r.b_reported_nanos, r.b_cost_nanos, 0))
  FROM responses r GROUP BY 1, 2, 3`;

/**
 * As FILL_USAGE_TOTALS, when every response comes from transcripts alone:
 * the \`b\` sums are the \`t\` sums and the \`e\` sums are zero.
 */
const FILL_USAGE_TOTALS_FROM_TRANSCRIPTS = `
  INSERT INTO usage_totals (model, project_id, status, t_responses, e_responses, b_responses, t_input, t_output, t_cache_read, t_cache_creation, e_input, e_output, e_cache_read, e_cache_creation, b_input, b_output, b_cache_read, b_cache_creation, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  SELECT model, project_id, status, n, 0, n, input, output, cache_read, cache_creation, 0, 0, 0, 0, input, output, cache_read, cache_creation, cost, display, auto, 0, 0, 0, cost, display, auto
  FROM (SELECT r.model AS model, coalesce(r.project_id, 0) AS project_id, r.status AS status, count(*) AS n,
      sum(r.t_input) AS input, sum(r.t_output) AS output, sum(r.t_cache_read) AS cache_read, sum(r.t_cache_creation) AS cache_creation,
      sum(coalesce(r.t_cost_nanos, 0)) AS cost, sum(coalesce(r.t_reported_nanos, 0)) AS display, sum(coalesce(r.t_reported_nanos, r.t_cost_nanos, 0)) AS auto
    FROM responses r GROUP BY 1, 2, 3)`;

const FILL_COST_QUARTERS = `
  INSERT INTO cost_quarters (bucket, model, project_id, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  SELECT r.ts / 900000 * 900000, r.model, coalesce(r.project_id, 0), sum(coalesce(r.t_cost_nanos, 0)), sum(coalesce(r.t_reported_nanos, 0)), sum(coalesce(r.t_reported_nanos, r.t_cost_nanos, 0)), sum(coalesce(r.e_cost_nanos, 0)), sum(coalesce(r.e_reported_nanos, 0)), sum(coalesce(r.e_reported_nanos, r.e_cost_nanos, 0)), sum(coalesce(r.b_cost_nanos, 0)), sum(coalesce(r.b_reported_nanos, 0)), sum(coalesce(r.b_reported_nanos, r.b_cost_nanos, 0))
  FROM responses r GROUP BY 1, 2, 3`;

const FILL_MESSAGE_TOTALS = `
  INSERT INTO message_totals (role, project_id, count)
  SELECT m.role, coalesce(s.project_id, 0), count(*)
  FROM messages m LEFT JOIN sessions s ON s.id = m.session_id GROUP BY 1, 2`;

const FILL_TOOL_TOTALS = `
  INSERT INTO tool_totals (name, project_id, count)
  SELECT t.name, coalesce(s.project_id, 0), count(*)
  FROM tool_uses t LEFT JOIN sessions s ON s.id = t.session_id GROUP BY 1, 2`;

/** cost_quarters from usage_quarters (filled first), which holds the same sums by a finer key. */
const COST_COLUMNS = ['t', 'e', 'b'].flatMap((v) =>
  ['cost_nanos', 'display_nanos', 'auto_nanos'].map((c) => `${v}_${c}`),
);
const FILL_COST_QUARTERS_FROM_ROLLUP = `
  INSERT INTO cost_quarters (bucket, model, project_id, ${COST_COLUMNS.join(', ')})
  SELECT bucket, model, project_id, ${COST_COLUMNS.map((c) => `sum(${c})`).join(', ')}
  FROM usage_quarters GROUP BY 1, 2, 3`;

const CLEAR_TOTALS = [
  'DELETE FROM usage_totals',
  'DELETE FROM cost_quarters',
  'DELETE FROM message_totals',
  'DELETE FROM tool_totals',
];

/** Refills the running totals and rollups from whatever the store holds. */
export const REFILL_TOTALS: readonly string[] = [
  ...CLEAR_TOTALS,
  FILL_USAGE_TOTALS,
  FILL_MESSAGE_TOTALS,
  FILL_TOOL_TOTALS,
  ...FILL_USAGE_ROLLUPS,
  FILL_COST_QUARTERS_FROM_ROLLUP,
];

/**
 * Refills the totals a bulk first scan leaves to the end (its triggers are off
 * meanwhile). Such a scan starts on a store without responses and holds the
 * write lock throughout, so every response is from transcripts alone: no
 * telemetry could be joined to one (the same totals as REFILL_TOTALS, tested).
 */
export const REFILL_BULK_TOTALS: readonly string[] = [
  ...CLEAR_TOTALS,
  FILL_USAGE_TOTALS_FROM_TRANSCRIPTS,
  FILL_MESSAGE_TOTALS,
  FILL_TOOL_TOTALS,
  ...FILL_USAGE_ROLLUPS_FROM_TRANSCRIPTS,
  FILL_COST_QUARTERS_FROM_ROLLUP,
];

/** The tables whose totals triggers a bulk first scan turns off. */
export const BULK_TRIGGER_TABLES: readonly string[] = ['responses', 'messages', 'tool_uses'];

/**
 * The event_totals key of each counted event. \`nameColumn\` is \`+name\` when the
 * view is read by id (telemetry totals catching up): SQLite would otherwise
 * pick the name index and read every event of those names.
 */
function eventKeysView(nameColumn: 'name' | '+name'): string {
  return `  CREATE VIEW event_keys AS
  SELECT name,
    coalesce(model, json_extract(attrs, '$.model'), '') AS model,
    CASE name
      WHEN 'api_error' THEN coalesce(json_extract(attrs, '$.status_code'), '')
      WHEN 'api_request' THEN ''
      ELSE coalesce(json_extract(attrs, '$.tool_name'), '')
    END AS a,
    CASE name
      WHEN 'tool_result' THEN CASE WHEN json_extract(attrs, '$.success') IN (1, 'true') THEN 'true' ELSE 'false' END
      WHEN 'tool_decision' THEN coalesce(json_extract(attrs, '$.decision'), '')
      ELSE ''
    END AS b,
    CASE name WHEN 'tool_decision' THEN coalesce(json_extract(attrs, '$.source'), '') ELSE '' END AS c,
    CASE WHEN name <> 'api_request' OR d IS NULL THEN 0
      WHEN d <= 100 THEN 100 WHEN d <= 250 THEN 250 WHEN d <= 500 THEN 500
      WHEN d <= 1000 THEN 1000 WHEN d <= 2500 THEN 2500 WHEN d <= 5000 THEN 5000
      WHEN d <= 10000 THEN 10000 WHEN d <= 25000 THEN 25000 WHEN d <= 50000 THEN 50000
      WHEN d <= 100000 THEN 100000 WHEN d <= 250000 THEN 250000 WHEN d <= 500000 THEN 500000
      ELSE -1
    END AS le,
    CASE WHEN name = 'api_request' THEN coalesce(d, 0) ELSE 0 END AS duration_ms,
    id, ts
  FROM (SELECT *, CAST(json_extract(attrs, '$.duration_ms') AS REAL) AS d FROM events)
  WHERE ${nameColumn} IN ('api_request', 'api_error', 'tool_result', 'tool_decision');
`;
}

export const RUNNING_TOTALS_MIGRATION = `  -- Running totals for /metrics, kept by triggers: a scrape reads a few
  -- hundred rows however many responses, messages and events are stored.
  -- Per view: t_ transcripts, e_ telemetry, b_ both joined. Cost per --mode:
  -- *_cost_nanos (calculate), *_display_nanos (display), *_auto_nanos (auto).

  CREATE TABLE usage_totals (
    model TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    status INTEGER NOT NULL,
    t_responses INTEGER NOT NULL DEFAULT 0,
    e_responses INTEGER NOT NULL DEFAULT 0,
    b_responses INTEGER NOT NULL DEFAULT 0,
    t_input INTEGER NOT NULL DEFAULT 0,
    t_output INTEGER NOT NULL DEFAULT 0,
    t_cache_read INTEGER NOT NULL DEFAULT 0,
    t_cache_creation INTEGER NOT NULL DEFAULT 0,
    e_input INTEGER NOT NULL DEFAULT 0,
    e_output INTEGER NOT NULL DEFAULT 0,
    e_cache_read INTEGER NOT NULL DEFAULT 0,
    e_cache_creation INTEGER NOT NULL DEFAULT 0,
    b_input INTEGER NOT NULL DEFAULT 0,
    b_output INTEGER NOT NULL DEFAULT 0,
    b_cache_read INTEGER NOT NULL DEFAULT 0,
    b_cache_creation INTEGER NOT NULL DEFAULT 0,
    t_cost_nanos INTEGER NOT NULL DEFAULT 0,
    t_display_nanos INTEGER NOT NULL DEFAULT 0,
    t_auto_nanos INTEGER NOT NULL DEFAULT 0,
    e_cost_nanos INTEGER NOT NULL DEFAULT 0,
    e_display_nanos INTEGER NOT NULL DEFAULT 0,
    e_auto_nanos INTEGER NOT NULL DEFAULT 0,
    b_cost_nanos INTEGER NOT NULL DEFAULT 0,
    b_display_nanos INTEGER NOT NULL DEFAULT 0,
    b_auto_nanos INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model, project_id, status)
  ) WITHOUT ROWID;

  -- Cost by quarter hour, for the month to date in any --timezone (zone
  -- offsets are multiples of 15 minutes, so a local month starts on a bucket).
  CREATE TABLE cost_quarters (
    bucket INTEGER NOT NULL,
    model TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    t_cost_nanos INTEGER NOT NULL DEFAULT 0,
    t_display_nanos INTEGER NOT NULL DEFAULT 0,
    t_auto_nanos INTEGER NOT NULL DEFAULT 0,
    e_cost_nanos INTEGER NOT NULL DEFAULT 0,
    e_display_nanos INTEGER NOT NULL DEFAULT 0,
    e_auto_nanos INTEGER NOT NULL DEFAULT 0,
    b_cost_nanos INTEGER NOT NULL DEFAULT 0,
    b_display_nanos INTEGER NOT NULL DEFAULT 0,
    b_auto_nanos INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, model, project_id)
  ) WITHOUT ROWID;

  CREATE TRIGGER responses_totals_insert AFTER INSERT ON responses BEGIN
  INSERT INTO usage_totals (model, project_id, status, t_responses, e_responses, b_responses, t_input, t_output, t_cache_read, t_cache_creation, e_input, e_output, e_cache_read, e_cache_creation, b_input, b_output, b_cache_read, b_cache_creation, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (NEW.model, coalesce(NEW.project_id, 0), NEW.status, NEW.has_transcript, NEW.has_event, 1, NEW.t_input, NEW.t_output, NEW.t_cache_read, NEW.t_cache_creation, NEW.e_input, NEW.e_output, NEW.e_cache_read, NEW.e_cache_creation, NEW.b_input, NEW.b_output, NEW.b_cache_read, NEW.b_cache_creation, coalesce(NEW.t_cost_nanos, 0), coalesce(NEW.t_reported_nanos, 0), coalesce(NEW.t_reported_nanos, NEW.t_cost_nanos, 0), coalesce(NEW.e_cost_nanos, 0), coalesce(NEW.e_reported_nanos, 0), coalesce(NEW.e_reported_nanos, NEW.e_cost_nanos, 0), coalesce(NEW.b_cost_nanos, 0), coalesce(NEW.b_reported_nanos, 0), coalesce(NEW.b_reported_nanos, NEW.b_cost_nanos, 0))
  ON CONFLICT (model, project_id, status) DO UPDATE SET
      t_responses = t_responses + excluded.t_responses,
      e_responses = e_responses + excluded.e_responses,
      b_responses = b_responses + excluded.b_responses,
      t_input = t_input + excluded.t_input,
      t_output = t_output + excluded.t_output,
      t_cache_read = t_cache_read + excluded.t_cache_read,
      t_cache_creation = t_cache_creation + excluded.t_cache_creation,
      e_input = e_input + excluded.e_input,
      e_output = e_output + excluded.e_output,
      e_cache_read = e_cache_read + excluded.e_cache_read,
      e_cache_creation = e_cache_creation + excluded.e_cache_creation,
      b_input = b_input + excluded.b_input,
      b_output = b_output + excluded.b_output,
      b_cache_read = b_cache_read + excluded.b_cache_read,
      b_cache_creation = b_cache_creation + excluded.b_cache_creation,
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  INSERT INTO cost_quarters (bucket, model, project_id, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (NEW.ts / 900000 * 900000, NEW.model, coalesce(NEW.project_id, 0), coalesce(NEW.t_cost_nanos, 0), coalesce(NEW.t_reported_nanos, 0), coalesce(NEW.t_reported_nanos, NEW.t_cost_nanos, 0), coalesce(NEW.e_cost_nanos, 0), coalesce(NEW.e_reported_nanos, 0), coalesce(NEW.e_reported_nanos, NEW.e_cost_nanos, 0), coalesce(NEW.b_cost_nanos, 0), coalesce(NEW.b_reported_nanos, 0), coalesce(NEW.b_reported_nanos, NEW.b_cost_nanos, 0))
  ON CONFLICT (bucket, model, project_id) DO UPDATE SET
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  END;

  CREATE TRIGGER responses_totals_update AFTER UPDATE ON responses BEGIN
  INSERT INTO usage_totals (model, project_id, status, t_responses, e_responses, b_responses, t_input, t_output, t_cache_read, t_cache_creation, e_input, e_output, e_cache_read, e_cache_creation, b_input, b_output, b_cache_read, b_cache_creation, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (OLD.model, coalesce(OLD.project_id, 0), OLD.status, -(OLD.has_transcript), -(OLD.has_event), -(1), -(OLD.t_input), -(OLD.t_output), -(OLD.t_cache_read), -(OLD.t_cache_creation), -(OLD.e_input), -(OLD.e_output), -(OLD.e_cache_read), -(OLD.e_cache_creation), -(OLD.b_input), -(OLD.b_output), -(OLD.b_cache_read), -(OLD.b_cache_creation), -(coalesce(OLD.t_cost_nanos, 0)), -(coalesce(OLD.t_reported_nanos, 0)), -(coalesce(OLD.t_reported_nanos, OLD.t_cost_nanos, 0)), -(coalesce(OLD.e_cost_nanos, 0)), -(coalesce(OLD.e_reported_nanos, 0)), -(coalesce(OLD.e_reported_nanos, OLD.e_cost_nanos, 0)), -(coalesce(OLD.b_cost_nanos, 0)), -(coalesce(OLD.b_reported_nanos, 0)), -(coalesce(OLD.b_reported_nanos, OLD.b_cost_nanos, 0)))
  ON CONFLICT (model, project_id, status) DO UPDATE SET
      t_responses = t_responses + excluded.t_responses,
      e_responses = e_responses + excluded.e_responses,
      b_responses = b_responses + excluded.b_responses,
      t_input = t_input + excluded.t_input,
      t_output = t_output + excluded.t_output,
      t_cache_read = t_cache_read + excluded.t_cache_read,
      t_cache_creation = t_cache_creation + excluded.t_cache_creation,
      e_input = e_input + excluded.e_input,
      e_output = e_output + excluded.e_output,
      e_cache_read = e_cache_read + excluded.e_cache_read,
      e_cache_creation = e_cache_creation + excluded.e_cache_creation,
      b_input = b_input + excluded.b_input,
      b_output = b_output + excluded.b_output,
      b_cache_read = b_cache_read + excluded.b_cache_read,
      b_cache_creation = b_cache_creation + excluded.b_cache_creation,
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  INSERT INTO cost_quarters (bucket, model, project_id, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (OLD.ts / 900000 * 900000, OLD.model, coalesce(OLD.project_id, 0), -(coalesce(OLD.t_cost_nanos, 0)), -(coalesce(OLD.t_reported_nanos, 0)), -(coalesce(OLD.t_reported_nanos, OLD.t_cost_nanos, 0)), -(coalesce(OLD.e_cost_nanos, 0)), -(coalesce(OLD.e_reported_nanos, 0)), -(coalesce(OLD.e_reported_nanos, OLD.e_cost_nanos, 0)), -(coalesce(OLD.b_cost_nanos, 0)), -(coalesce(OLD.b_reported_nanos, 0)), -(coalesce(OLD.b_reported_nanos, OLD.b_cost_nanos, 0)))
  ON CONFLICT (bucket, model, project_id) DO UPDATE SET
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  INSERT INTO usage_totals (model, project_id, status, t_responses, e_responses, b_responses, t_input, t_output, t_cache_read, t_cache_creation, e_input, e_output, e_cache_read, e_cache_creation, b_input, b_output, b_cache_read, b_cache_creation, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (NEW.model, coalesce(NEW.project_id, 0), NEW.status, NEW.has_transcript, NEW.has_event, 1, NEW.t_input, NEW.t_output, NEW.t_cache_read, NEW.t_cache_creation, NEW.e_input, NEW.e_output, NEW.e_cache_read, NEW.e_cache_creation, NEW.b_input, NEW.b_output, NEW.b_cache_read, NEW.b_cache_creation, coalesce(NEW.t_cost_nanos, 0), coalesce(NEW.t_reported_nanos, 0), coalesce(NEW.t_reported_nanos, NEW.t_cost_nanos, 0), coalesce(NEW.e_cost_nanos, 0), coalesce(NEW.e_reported_nanos, 0), coalesce(NEW.e_reported_nanos, NEW.e_cost_nanos, 0), coalesce(NEW.b_cost_nanos, 0), coalesce(NEW.b_reported_nanos, 0), coalesce(NEW.b_reported_nanos, NEW.b_cost_nanos, 0))
  ON CONFLICT (model, project_id, status) DO UPDATE SET
      t_responses = t_responses + excluded.t_responses,
      e_responses = e_responses + excluded.e_responses,
      b_responses = b_responses + excluded.b_responses,
      t_input = t_input + excluded.t_input,
      t_output = t_output + excluded.t_output,
      t_cache_read = t_cache_read + excluded.t_cache_read,
      t_cache_creation = t_cache_creation + excluded.t_cache_creation,
      e_input = e_input + excluded.e_input,
      e_output = e_output + excluded.e_output,
      e_cache_read = e_cache_read + excluded.e_cache_read,
      e_cache_creation = e_cache_creation + excluded.e_cache_creation,
      b_input = b_input + excluded.b_input,
      b_output = b_output + excluded.b_output,
      b_cache_read = b_cache_read + excluded.b_cache_read,
      b_cache_creation = b_cache_creation + excluded.b_cache_creation,
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  INSERT INTO cost_quarters (bucket, model, project_id, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (NEW.ts / 900000 * 900000, NEW.model, coalesce(NEW.project_id, 0), coalesce(NEW.t_cost_nanos, 0), coalesce(NEW.t_reported_nanos, 0), coalesce(NEW.t_reported_nanos, NEW.t_cost_nanos, 0), coalesce(NEW.e_cost_nanos, 0), coalesce(NEW.e_reported_nanos, 0), coalesce(NEW.e_reported_nanos, NEW.e_cost_nanos, 0), coalesce(NEW.b_cost_nanos, 0), coalesce(NEW.b_reported_nanos, 0), coalesce(NEW.b_reported_nanos, NEW.b_cost_nanos, 0))
  ON CONFLICT (bucket, model, project_id) DO UPDATE SET
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  END;

  CREATE TRIGGER responses_totals_delete AFTER DELETE ON responses BEGIN
  INSERT INTO usage_totals (model, project_id, status, t_responses, e_responses, b_responses, t_input, t_output, t_cache_read, t_cache_creation, e_input, e_output, e_cache_read, e_cache_creation, b_input, b_output, b_cache_read, b_cache_creation, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (OLD.model, coalesce(OLD.project_id, 0), OLD.status, -(OLD.has_transcript), -(OLD.has_event), -(1), -(OLD.t_input), -(OLD.t_output), -(OLD.t_cache_read), -(OLD.t_cache_creation), -(OLD.e_input), -(OLD.e_output), -(OLD.e_cache_read), -(OLD.e_cache_creation), -(OLD.b_input), -(OLD.b_output), -(OLD.b_cache_read), -(OLD.b_cache_creation), -(coalesce(OLD.t_cost_nanos, 0)), -(coalesce(OLD.t_reported_nanos, 0)), -(coalesce(OLD.t_reported_nanos, OLD.t_cost_nanos, 0)), -(coalesce(OLD.e_cost_nanos, 0)), -(coalesce(OLD.e_reported_nanos, 0)), -(coalesce(OLD.e_reported_nanos, OLD.e_cost_nanos, 0)), -(coalesce(OLD.b_cost_nanos, 0)), -(coalesce(OLD.b_reported_nanos, 0)), -(coalesce(OLD.b_reported_nanos, OLD.b_cost_nanos, 0)))
  ON CONFLICT (model, project_id, status) DO UPDATE SET
      t_responses = t_responses + excluded.t_responses,
      e_responses = e_responses + excluded.e_responses,
      b_responses = b_responses + excluded.b_responses,
      t_input = t_input + excluded.t_input,
      t_output = t_output + excluded.t_output,
      t_cache_read = t_cache_read + excluded.t_cache_read,
      t_cache_creation = t_cache_creation + excluded.t_cache_creation,
      e_input = e_input + excluded.e_input,
      e_output = e_output + excluded.e_output,
      e_cache_read = e_cache_read + excluded.e_cache_read,
      e_cache_creation = e_cache_creation + excluded.e_cache_creation,
      b_input = b_input + excluded.b_input,
      b_output = b_output + excluded.b_output,
      b_cache_read = b_cache_read + excluded.b_cache_read,
      b_cache_creation = b_cache_creation + excluded.b_cache_creation,
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  INSERT INTO cost_quarters (bucket, model, project_id, t_cost_nanos, t_display_nanos, t_auto_nanos, e_cost_nanos, e_display_nanos, e_auto_nanos, b_cost_nanos, b_display_nanos, b_auto_nanos)
  VALUES (OLD.ts / 900000 * 900000, OLD.model, coalesce(OLD.project_id, 0), -(coalesce(OLD.t_cost_nanos, 0)), -(coalesce(OLD.t_reported_nanos, 0)), -(coalesce(OLD.t_reported_nanos, OLD.t_cost_nanos, 0)), -(coalesce(OLD.e_cost_nanos, 0)), -(coalesce(OLD.e_reported_nanos, 0)), -(coalesce(OLD.e_reported_nanos, OLD.e_cost_nanos, 0)), -(coalesce(OLD.b_cost_nanos, 0)), -(coalesce(OLD.b_reported_nanos, 0)), -(coalesce(OLD.b_reported_nanos, OLD.b_cost_nanos, 0)))
  ON CONFLICT (bucket, model, project_id) DO UPDATE SET
      t_cost_nanos = t_cost_nanos + excluded.t_cost_nanos,
      t_display_nanos = t_display_nanos + excluded.t_display_nanos,
      t_auto_nanos = t_auto_nanos + excluded.t_auto_nanos,
      e_cost_nanos = e_cost_nanos + excluded.e_cost_nanos,
      e_display_nanos = e_display_nanos + excluded.e_display_nanos,
      e_auto_nanos = e_auto_nanos + excluded.e_auto_nanos,
      b_cost_nanos = b_cost_nanos + excluded.b_cost_nanos,
      b_display_nanos = b_display_nanos + excluded.b_display_nanos,
      b_auto_nanos = b_auto_nanos + excluded.b_auto_nanos;
  END;

  ${FILL_USAGE_TOTALS};

  ${FILL_COST_QUARTERS};

  -- Messages and tool calls by project, looked up from the session when written
  -- (transcripts write a line's session before its message and tool calls).
  CREATE TABLE message_totals (
    role TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (role, project_id)
  ) WITHOUT ROWID;
  CREATE TRIGGER messages_totals_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_totals (role, project_id, count)
    VALUES (NEW.role, coalesce((SELECT project_id FROM sessions WHERE id = NEW.session_id), 0), 1)
    ON CONFLICT (role, project_id) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER messages_totals_delete AFTER DELETE ON messages BEGIN
    UPDATE message_totals SET count = count - 1
    WHERE role = OLD.role AND project_id = coalesce((SELECT project_id FROM sessions WHERE id = OLD.session_id), 0);
  END;
  ${FILL_MESSAGE_TOTALS};

  CREATE TABLE tool_totals (
    name TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (name, project_id)
  ) WITHOUT ROWID;
  CREATE TRIGGER tool_uses_totals_insert AFTER INSERT ON tool_uses BEGIN
    INSERT INTO tool_totals (name, project_id, count)
    VALUES (NEW.name, coalesce((SELECT project_id FROM sessions WHERE id = NEW.session_id), 0), 1)
    ON CONFLICT (name, project_id) DO UPDATE SET count = count + 1;
  END;
  -- A tool result read before its call is stored as 'unknown' and renamed later.
  CREATE TRIGGER tool_uses_totals_rename AFTER UPDATE OF name, session_id ON tool_uses
  WHEN NEW.name IS NOT OLD.name OR NEW.session_id IS NOT OLD.session_id BEGIN
    UPDATE tool_totals SET count = count - 1
    WHERE name = OLD.name AND project_id = coalesce((SELECT project_id FROM sessions WHERE id = OLD.session_id), 0);
    INSERT INTO tool_totals (name, project_id, count)
    VALUES (NEW.name, coalesce((SELECT project_id FROM sessions WHERE id = NEW.session_id), 0), 1)
    ON CONFLICT (name, project_id) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER tool_uses_totals_delete AFTER DELETE ON tool_uses BEGIN
    UPDATE tool_totals SET count = count - 1
    WHERE name = OLD.name AND project_id = coalesce((SELECT project_id FROM sessions WHERE id = OLD.session_id), 0);
  END;
  ${FILL_TOOL_TOTALS};

  CREATE INDEX sessions_project ON sessions(project_id, last_ms);

  -- Claude Code's events by the attributes /metrics groups them by:
  --   api_request   a, b, c = ''; le = the smallest duration bound (ms) at or
  --                 above duration_ms, -1 above them all, 0 without a duration
  --   api_error     a = status_code
  --   tool_result   a = tool_name, b = success ('true' / 'false')
  --   tool_decision a = tool_name, b = decision, c = source
  CREATE TABLE event_totals (
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    c TEXT NOT NULL,
    le INTEGER NOT NULL,
    count INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    PRIMARY KEY (name, model, a, b, c, le)
  ) WITHOUT ROWID;
${eventKeysView('name')}  CREATE TRIGGER events_totals_insert AFTER INSERT ON events
  WHEN NEW.name IN ('api_request', 'api_error', 'tool_result', 'tool_decision') BEGIN
    INSERT INTO event_totals (name, model, a, b, c, le, count, duration_ms)
    SELECT name, model, a, b, c, le, 1, duration_ms FROM event_keys WHERE id = NEW.id
    ON CONFLICT (name, model, a, b, c, le) DO UPDATE SET
      count = count + 1, duration_ms = duration_ms + excluded.duration_ms;
  END;
  INSERT INTO event_totals (name, model, a, b, c, le, count, duration_ms)
  SELECT name, model, a, b, c, le, count(*), sum(duration_ms) FROM event_keys GROUP BY 1, 2, 3, 4, 5, 6;

  -- Claude Code's metric sums with session.id summed away (the series are per session).
  CREATE TABLE otel_totals (
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    attrs TEXT NOT NULL,
    total REAL NOT NULL,
    PRIMARY KEY (name, unit, attrs)
  ) WITHOUT ROWID;
  CREATE TRIGGER metric_series_totals_insert AFTER INSERT ON metric_series BEGIN
    INSERT INTO otel_totals (name, unit, attrs, total)
    VALUES (NEW.name, NEW.unit, json_remove(NEW.attrs, '$."session.id"'), NEW.total)
    ON CONFLICT (name, unit, attrs) DO UPDATE SET total = total + excluded.total;
  END;
  CREATE TRIGGER metric_series_totals_update AFTER UPDATE OF total ON metric_series
  WHEN NEW.total <> OLD.total BEGIN
    UPDATE otel_totals SET total = total + NEW.total - OLD.total
    WHERE name = NEW.name AND unit = NEW.unit AND attrs = json_remove(NEW.attrs, '$."session.id"');
  END;
  INSERT INTO otel_totals (name, unit, attrs, total)
  SELECT name, unit, json_remove(attrs, '$."session.id"'), sum(total) FROM metric_series GROUP BY 1, 2, 3;
`;

/**
 * Version 6: Claude Code's event and metric totals are brought up to date once
 * per write transaction (catchUpTelemetryTotals) instead of by a trigger per
 * row: an OTLP batch of hundreds of events then updates each total once. A
 * watermark per table says up to which row the totals count.
 */
export const TELEMETRY_TOTALS_MIGRATION = `
  DROP TRIGGER events_totals_insert;
  DROP TRIGGER metric_series_totals_insert;
  DROP TRIGGER metric_series_totals_update;
  DROP VIEW event_keys;
${eventKeysView('+name')}
  CREATE TABLE totals_watermarks (name TEXT PRIMARY KEY, last_id INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO totals_watermarks (name, last_id) VALUES
    ('events', coalesce((SELECT max(id) FROM events), 0)),
    ('metric_series', coalesce((SELECT max(id) FROM metric_series), 0)),
    ('metric_points', coalesce((SELECT max(rowid) FROM metric_points), 0));
`;

/**
 * Adds the events and metric points written since the watermarks to
 * event_totals and otel_totals, and moves the watermarks. Run in the
 * transaction that wrote them. otel_totals sums the points (every increment
 * of a series is one), with session.id removed from the series' attributes;
 * it has a row, if only of 0, for every series.
 */
export const CATCH_UP_TELEMETRY_TOTALS: readonly string[] = [
  `INSERT INTO event_totals (name, model, a, b, c, le, count, duration_ms)
   SELECT name, model, a, b, c, le, count(*), sum(duration_ms) FROM event_keys
   WHERE id > (SELECT last_id FROM totals_watermarks WHERE name = 'events')
   GROUP BY 1, 2, 3, 4, 5, 6
   ON CONFLICT (name, model, a, b, c, le) DO UPDATE SET
     count = count + excluded.count, duration_ms = duration_ms + excluded.duration_ms`,
  `UPDATE totals_watermarks SET last_id = (SELECT max(id) FROM events)
   WHERE name = 'events' AND last_id < (SELECT max(id) FROM events)`,
  // A new series is shown from its first point on, even one that adds nothing.
  `INSERT INTO otel_totals (name, unit, attrs, total)
   SELECT name, unit, json_remove(attrs, '$."session.id"'), 0 FROM metric_series
   WHERE id > (SELECT last_id FROM totals_watermarks WHERE name = 'metric_series')
   ON CONFLICT (name, unit, attrs) DO NOTHING`,
  `UPDATE totals_watermarks SET last_id = (SELECT max(id) FROM metric_series)
   WHERE name = 'metric_series' AND last_id < (SELECT max(id) FROM metric_series)`,
  `INSERT INTO otel_totals (name, unit, attrs, total)
   SELECT s.name, s.unit, json_remove(s.attrs, '$."session.id"'), sum(p.value)
   FROM metric_points p JOIN metric_series s ON s.id = p.series_id
   WHERE p.rowid > (SELECT last_id FROM totals_watermarks WHERE name = 'metric_points')
   GROUP BY 1, 2, 3
   ON CONFLICT (name, unit, attrs) DO UPDATE SET total = total + excluded.total`,
  `UPDATE totals_watermarks SET last_id = (SELECT max(rowid) FROM metric_points)
   WHERE name = 'metric_points' AND last_id < (SELECT max(rowid) FROM metric_points)`,
];

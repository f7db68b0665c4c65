// A heavy user's store, written with SQL through ccmon's own openStore (dist/), so the
// schema, migrations and running-totals triggers are the product's. Used by the scrape,
// report and dashboard suites, which need a year of history that no corpus could give
// in reasonable time.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DAY_MS = 86_400_000;
/** Each day's activity: the 12 hours before the same time of day as endMs. */
const ACTIVE_MS = 12 * 3_600_000;
const ACTIVE_OFFSET_MS = DAY_MS - ACTIVE_MS;

/** Ten models with prices in ccmon's table, the heavy ones used most (by weight). */
export const MODELS = [
  ['claude-sonnet-4-5-20250929', 30],
  ['claude-opus-4-5-20251101', 20],
  ['claude-haiku-4-5-20251001', 15],
  ['claude-sonnet-4-20250514', 10],
  ['claude-opus-4-1-20250805', 8],
  ['claude-opus-4-20250514', 5],
  ['claude-3-7-sonnet-20250219', 4],
  ['claude-3-5-haiku-20241022', 4],
  ['claude-3-5-sonnet-20241022', 2],
  ['claude-3-haiku-20240307', 2],
];
export const PROJECTS = 50;
/** From this many responses on, every project x model pair has responses. */
export const ALL_PAIRS_FROM = 25_000;
/** Responses per session (a session is a stretch of consecutive responses). */
const SESSION_RESPONSES = 50;

/** SQL: the model of session number `session`, chosen by weight (one model per session). */
function modelOf(session) {
  let upTo = 0;
  const arms = MODELS.map(([name, weight]) => {
    upTo += weight;
    return `WHEN (${session} * 37) % 100 < ${upTo} THEN '${name}'`;
  });
  return `CASE ${arms.join(' ')} END`;
}

/**
 * SQL: the model of session number `session`'s side calls (every 5th response). Each run
 * of 50 sessions covers all 50 projects, and the side model changes every 50 sessions, so
 * every project x model pair exists from 500 sessions on, each session using two models.
 */
function sideModelOf(session) {
  const n = `${session} / 50`;
  return `CASE (${n}) % ${MODELS.length} ${MODELS.map(([name], k) => `WHEN ${k} THEN '${name}'`).join(' ')} END`;
}

/** SQL: the project id of session number `session` (every project meets every model). */
const projectOf = (session) => `1 + (${session} * 7 + ${session} / 100) % ${PROJECTS}`;

/**
 * Fills an empty, migrated store with a heavy user's history:
 * - `responses` API responses over the `days` days up to endMs, spread evenly over the
 *   12 active hours of each day (ending at endMs' time of day; the other 12 are a pause);
 * - sessions of 50 consecutive responses, each in one of 50 projects, with a main model
 *   chosen by weight and every 5th response a side call on a second model (so every
 *   project x model pair exists from 500 sessions, 25,000 responses, on);
 * - one third also seen as telemetry (joined), 1 % truncated, 0.5 % errors;
 * - user messages (0.4 per response), tool calls (0.2), events (0.2: api_request,
 *   tool_result, tool_decision) and 8 Claude Code metric series per session.
 * Rows go in with INSERT ... SELECT, so the running-totals triggers fire as for any write.
 */
export function fillHeavyStore(db, { responses, endMs, days = 365 }) {
  const startMs = endMs - days * DAY_MS;
  const sessions = Math.ceil(responses / SESSION_RESPONSES);
  const messages = Math.round(responses * 0.4);
  const toolUses = Math.round(responses * 0.2);
  const events = Math.round(responses * 0.2);
  const series = (n) =>
    `WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${n - 1})`;
  // Row k of n: day k * days / n, in that day's 12 active hours (the last ones end at
  // endMs), so every night is a pause of 12 hours, as a person's work has.
  const tsOf = (k, n) => {
    const p = `((${k}) * ${days}.0 / ${n})`;
    return `(${startMs + ACTIVE_OFFSET_MS} + CAST(${p} AS INTEGER) * ${DAY_MS} + CAST((${p} - CAST(${p} AS INTEGER)) * ${ACTIVE_MS} AS INTEGER))`;
  };
  db.exec(`
    ${series(PROJECTS)}
    INSERT INTO projects (id, path, name) SELECT i + 1, '/home/dev/work/project-' || (i + 1), 'project-' || (i + 1) FROM c;

    ${series(sessions)}
    INSERT INTO sessions (id, project_id, first_ms, last_ms, version, git_branch, entrypoint, user_id)
    SELECT printf('sess-%08d', i), ${projectOf('i')},
      ${tsOf(`i * ${SESSION_RESPONSES}`, responses)}, ${tsOf(`(i + 1) * ${SESSION_RESPONSES} - 1`, responses)},
      '2.1.' || (i / 500), 'main', 'cli', 'user-1'
    FROM c;

    ${series(responses)}
    INSERT INTO responses (response_key, request_id, session_id, project_id, model, ts, status,
      version, git_branch, entrypoint, user_id, has_transcript,
      t_input, t_output, t_cache_read, t_cache_creation, t_cache_5m, t_cost_nanos,
      has_event, e_input, e_output, e_cache_read, e_cache_creation, e_cache_5m, e_reported_nanos, e_cost_nanos,
      j_input, j_output, j_cache_read, j_cache_creation, j_reported_nanos, j_cost_nanos, j_understated)
    SELECT 'msg_' || i, 'req_' || i, printf('sess-%08d', s), ${projectOf('s')}, model,
      ${tsOf('i', responses)}, CASE WHEN i % 200 = 7 THEN 2 WHEN i % 100 = 3 THEN 1 ELSE 0 END,
      '2.1.' || (s / 500), 'main', 'cli', 'user-1', 1,
      input, output, cache_read, cache_creation, cache_creation, cost,
      ev, ev * input, ev * output, ev * cache_read, ev * cache_creation, ev * cache_creation,
      CASE WHEN ev = 1 THEN cost END, CASE WHEN ev = 1 THEN cost END,
      CASE WHEN ev = 1 THEN input END, CASE WHEN ev = 1 THEN output END,
      CASE WHEN ev = 1 THEN cache_read END, CASE WHEN ev = 1 THEN cache_creation END,
      CASE WHEN ev = 1 THEN cost END, CASE WHEN ev = 1 THEN cost END, CASE WHEN ev = 1 THEN 0 END
    FROM (
      SELECT i, s, model, input, output, cache_read, cache_creation, ev,
        input * 3000 + output * 15000 + cache_read * 300 + cache_creation * 3750 AS cost
      FROM (
        SELECT i, s, CASE WHEN i % 5 = 0 THEN ${sideModelOf('s')} ELSE ${modelOf('s')} END AS model,
          3 + (i * 13) % 40 AS input, 40 + (i * 97) % 1800 AS output,
          8000 + (i * 7919) % 140000 AS cache_read, (i * 631) % 6000 AS cache_creation,
          (i % 3 = 0) AS ev
        FROM (SELECT i, i / ${SESSION_RESPONSES} AS s FROM c)
      )
    );

    ${series(messages)}
    INSERT INTO messages (key, role, session_id, ts)
    SELECT 'user-' || i, 'user', printf('sess-%08d', i * ${responses} / ${messages} / ${SESSION_RESPONSES}),
      ${tsOf('i', messages)} FROM c;

    ${series(toolUses)}
    INSERT INTO tool_uses (id, name, session_id, ts, outcome, lines_added, lines_removed)
    SELECT 'toolu_' || i,
      CASE i % 8 WHEN 0 THEN 'Read' WHEN 1 THEN 'Bash' WHEN 2 THEN 'Edit' WHEN 3 THEN 'Grep'
        WHEN 4 THEN 'Glob' WHEN 5 THEN 'Write' WHEN 6 THEN 'TodoWrite' ELSE 'mcp__github__search_' || (i % 5) END,
      printf('sess-%08d', i * ${responses} / ${toolUses} / ${SESSION_RESPONSES}),
      ${tsOf('i', toolUses)},
      CASE WHEN i % 17 = 0 THEN 'error' ELSE 'success' END,
      CASE WHEN i % 8 IN (2, 5) THEN i % 40 ELSE 0 END, CASE WHEN i % 8 = 2 THEN i % 9 ELSE 0 END
    FROM c;

    ${series(events)}
    INSERT INTO events (event_key, name, ts, session_id, user_id, model, duration_ms, attrs)
    SELECT printf('sess-%08d', s) || '#' || i || '#' || name, name, ts, printf('sess-%08d', s), 'user-1',
      CASE WHEN name = 'api_request' THEN model END,
      CASE WHEN name = 'api_request' THEN 800 + (i * 389) % 30000 END,
      CASE name
        WHEN 'api_request' THEN json_object('session.id', printf('sess-%08d', s), 'user.id', 'user-1',
          'model', model, 'duration_ms', 800 + (i * 389) % 30000, 'input_tokens', 10, 'output_tokens', 300)
        WHEN 'tool_result' THEN json_object('session.id', printf('sess-%08d', s), 'user.id', 'user-1',
          'tool_name', 'Tool' || (i % 12), 'success', CASE WHEN i % 17 = 0 THEN 'false' ELSE 'true' END,
          'duration_ms', i % 4000)
        ELSE json_object('session.id', printf('sess-%08d', s), 'user.id', 'user-1',
          'tool_name', CASE i % 2 WHEN 0 THEN 'Edit' ELSE 'Write' END, 'decision', 'accept', 'source', 'config')
      END
    FROM (
      SELECT i, s, ${tsOf('i', events)} AS ts,
        CASE i % 3 WHEN 0 THEN 'api_request' WHEN 1 THEN 'tool_result' ELSE 'tool_decision' END AS name,
        ${modelOf('s')} AS model
      FROM (SELECT i, i * ${responses} / ${events} / ${SESSION_RESPONSES} AS s FROM c)
    );

    ${series(sessions)}
    INSERT INTO metric_series (name, attrs_key, attrs, unit, temporality, total, last_ms,
      session_id, user_id, type, decision)
    SELECT name, attrs, attrs, unit, 'delta', total, last_ms, json_extract(attrs, '$."session.id"'),
      json_extract(attrs, '$."user.id"'), json_extract(attrs, '$.type'), NULL FROM (
      SELECT m.name, m.unit, m.total,
        ${tsOf(`(i + 1) * ${SESSION_RESPONSES} - 1`, responses)} AS last_ms,
        CASE
          WHEN m.name = 'claude_code.token.usage' THEN json_object('model', ${modelOf('i')},
            'session.id', printf('sess-%08d', i), 'type', m.kind, 'user.id', 'user-1')
          WHEN m.name = 'claude_code.cost.usage' THEN json_object('model', ${modelOf('i')},
            'session.id', printf('sess-%08d', i), 'user.id', 'user-1')
          ELSE json_object('session.id', printf('sess-%08d', i), 'type', m.kind, 'user.id', 'user-1')
        END AS attrs
      FROM c, (
        SELECT 'claude_code.token.usage' AS name, 'input' AS kind, 'tokens' AS unit, 900 AS total
        UNION ALL SELECT 'claude_code.token.usage', 'output', 'tokens', 40000
        UNION ALL SELECT 'claude_code.token.usage', 'cacheRead', 'tokens', 3000000
        UNION ALL SELECT 'claude_code.token.usage', 'cacheCreation', 'tokens', 150000
        UNION ALL SELECT 'claude_code.cost.usage', NULL, 'USD', 2.5
        UNION ALL SELECT 'claude_code.lines_of_code.count', 'added', 'count', 120
        UNION ALL SELECT 'claude_code.lines_of_code.count', 'removed', 'count', 30
        UNION ALL SELECT 'claude_code.active_time.total', 'cli', 's', 900
      ) m
    );
    INSERT INTO metric_points (series_id, ts, value) SELECT id, last_ms, total FROM metric_series;
  `);
}

/**
 * Creates (replacing) the store file `path` with ccmon's openStore from dist/ and fills it
 * (see fillHeavyStore). Returns how long the fill took, in seconds.
 */
export async function createHeavyStore(repoRoot, path, options) {
  const dist = (...parts) => pathToFileURL(join(repoRoot, 'dist', ...parts)).href;
  const { openStore } = await import(dist('store', 'open-store.js'));
  const { CATCH_UP_TELEMETRY_TOTALS } = await import(dist('store', 'running-totals.js'));
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const db = openStore(path);
  try {
    const started = performance.now();
    fillHeavyStore(db, options);
    // Event and metric totals for /metrics, as ccmon's telemetry writer keeps them.
    for (const sql of CATCH_UP_TELEMETRY_TOTALS) db.exec(sql);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
  }
}

/** One sentence for a suite's notes: what fillHeavyStore wrote. */
export function describeHeavyStore(responses, fillSeconds) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  return `Store: ${n(responses)} synthetic responses over the 365 days up to now, 12 active hours a day (bench/synthetic-store.mjs: SQL through ccmon's own openStore, so its migrations, running-totals triggers and telemetry totals apply; filled in ${fillSeconds.toFixed(1)} s): ${PROJECTS} projects x ${MODELS.length} models (every pair used from ${n(ALL_PAIRS_FROM)} responses on), ${n(responses / SESSION_RESPONSES)} sessions of ${SESSION_RESPONSES} responses, 1/3 also seen as telemetry, ${n(responses * 0.4)} user messages, ${n(responses * 0.2)} tool calls, ${n(responses * 0.2)} events, 8 Claude Code metric series per session.`;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  apiLatency,
  lastDataTimes,
  type MetricTotal,
  metricTotals,
  promptCountsByUser,
} from '../../src/store/dashboard-queries.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, StoreError } from '../../src/store/open-store.js';
import { CATCH_UP_TELEMETRY_TOTALS } from '../../src/store/running-totals.js';
import { tempDir } from '../helpers/store.js';

describe('the store file', () => {
  it('is created with its folders, in WAL mode, at the latest schema', () => {
    const path = join(tempDir(), 'deep', 'er', 'ccmon.db');
    const db = openStore(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(db.pragma('user_version', { simple: true }))).toBeGreaterThan(0);
    db.close();
  });

  it('a corrupt file is refused with a message naming it, and left untouched', () => {
    const path = join(tempDir(), 'ccmon.db');
    writeFileSync(path, 'this is not a database, but someone cares about it\n'.repeat(100));
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a SQLite file with damaged pages is refused and left untouched', () => {
    const path = join(tempDir(), 'ccmon.db');
    openStore(path).close();
    const bytes = readFileSync(path);
    bytes.fill(0xab, 100, Math.min(bytes.length, 4096 * 3));
    writeFileSync(path, bytes);
    expect(() => openStore(path)).toThrow(/ccmon\.db/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a store written by a newer ccmon is refused, not migrated down', () => {
    const path = join(tempDir(), 'ccmon.db');
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openStore(path)).toThrow(/newer ccmon/);
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });
});

/** A store as schema version `version` left it, open for a test to add rows. */
function storeAtVersion(path: string, version: number): Database.Database {
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  for (const sql of MIGRATIONS.slice(0, version)) old.exec(sql);
  old.pragma(`user_version = ${version}`);
  return old;
}

describe('upgrading a store', () => {
  it('version 5 moves api_request durations into their own column, read by API latency', () => {
    const path = join(tempDir(), 'ccmon.db');
    // A store as version 4 left it: durations only in the attributes, numbers or not.
    const old = storeAtVersion(path, 4);
    const insert = old.prepare(
      'INSERT INTO events (event_key, name, ts, session_id, model, attrs) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const attrs = (d: unknown) => JSON.stringify({ model: 'claude-opus-4-5', duration_ms: d });
    insert.run('a', 'api_request', 1000, 's1', 'claude-opus-4-5', attrs(120));
    insert.run('b', 'api_request', 2000, 's1', 'claude-opus-4-5', attrs(45.5));
    insert.run('c', 'api_request', 3000, 's1', 'claude-opus-4-5', attrs(900));
    insert.run('d', 'api_request', 4000, 's1', 'claude-opus-4-5', JSON.stringify({ model: 'x' }));
    insert.run('e', 'api_request', 5000, 's1', 'claude-opus-4-5', attrs('slow'));
    insert.run('f', 'tool_result', 6000, 's1', null, attrs(7));
    old.close();

    const db = openStore(path);
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    const stored = db
      .prepare('SELECT event_key, duration_ms FROM events ORDER BY event_key')
      .all()
      .map((r) => Object.values(r as object));
    expect(stored).toEqual([
      ['a', 120],
      ['b', 45.5],
      ['c', 900],
      ['d', null],
      ['e', null],
      ['f', null],
    ]);
    expect(apiLatency(db, { fromMs: 0, toMs: 10_000 })).toEqual({
      count: 3,
      meanMs: (120 + 45.5 + 900) / 3,
      p50Ms: 120,
      p95Ms: 900,
      maxMs: 900,
    });
    expect(apiLatency(db, { fromMs: 1500, toMs: 10_000, models: ['claude-opus-4-5'] }).count).toBe(
      2,
    );
    expect(apiLatency(db, { fromMs: 0, toMs: 10_000, models: ['claude-haiku-4-5'] }).count).toBe(0);
    db.close();
  });
});

describe('upgrading a store to version 6', () => {
  it('keeps the telemetry totals the triggers kept, and catches up from there without counting twice', () => {
    const path = join(tempDir(), 'ccmon.db');
    const old = storeAtVersion(path, 5);
    const event = (db: Database.Database, key: string, name: string, attrs: object) =>
      db
        .prepare(
          'INSERT INTO events (event_key, name, ts, session_id, attrs) VALUES (?, ?, 1, ?, ?)',
        )
        .run(key, name, 's1', JSON.stringify(attrs));
    const series = (db: Database.Database, session: string, total: number) => {
      const attrs = JSON.stringify({ 'session.id': session, type: 'added' });
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO metric_series (name, attrs_key, attrs, unit, temporality) VALUES ('claude_code.lines_of_code.count', ?, ?, 'count', 'delta')`,
        )
        .run(attrs, attrs);
      db.prepare('UPDATE metric_series SET total = total + ? WHERE id = ?').run(
        total,
        lastInsertRowid,
      );
      db.prepare('INSERT INTO metric_points (series_id, ts, value) VALUES (?, 1, ?)').run(
        lastInsertRowid,
        total,
      );
    };
    event(old, 'a', 'api_request', { model: 'claude-opus-4-5', duration_ms: 300 });
    event(old, 'b', 'tool_result', { tool_name: 'Edit', success: true });
    series(old, 's1', 10);
    old.close();

    const db = openStore(path);
    event(db, 'c', 'api_request', { model: 'claude-opus-4-5', duration_ms: 20_000 });
    event(db, 'd', 'tool_result', { tool_name: 'Edit', success: true });
    series(db, 's2', 5);
    for (const sql of CATCH_UP_TELEMETRY_TOTALS) db.exec(sql);
    // And again with nothing new: nothing changes.
    for (const sql of CATCH_UP_TELEMETRY_TOTALS) db.exec(sql);

    expect(
      db
        .prepare('SELECT name, model, a, b, le, count, duration_ms FROM event_totals ORDER BY 1, 5')
        .all(),
    ).toEqual([
      {
        name: 'api_request',
        model: 'claude-opus-4-5',
        a: '',
        b: '',
        le: 500,
        count: 1,
        duration_ms: 300,
      },
      {
        name: 'api_request',
        model: 'claude-opus-4-5',
        a: '',
        b: '',
        le: 25000,
        count: 1,
        duration_ms: 20000,
      },
      { name: 'tool_result', model: '', a: 'Edit', b: 'true', le: 0, count: 2, duration_ms: 0 },
    ]);
    expect(db.prepare('SELECT name, attrs, total FROM otel_totals').all()).toEqual([
      { name: 'claude_code.lines_of_code.count', attrs: '{"type":"added"}', total: 15 },
    ]);
    db.close();
  });
});

describe('upgrading a store to version 7', () => {
  it('replaces the index by event name and time with partial ones that the latency and prompt figures read, with the same answers', () => {
    const path = join(tempDir(), 'ccmon.db');
    const old = storeAtVersion(path, 6);
    const insert = old.prepare(
      'INSERT INTO events (event_key, name, ts, session_id, user_id, duration_ms, attrs) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // Stored out of time order on purpose: the last one stored is not the latest.
    insert.run('a', 'api_request', 3000, 's1', 'u1', 900, '{}');
    insert.run('b', 'user_prompt', 1000, 's1', 'u1', null, '{}');
    insert.run('c', 'user_prompt', 2000, 's1', 'u2', null, '{}');
    insert.run('d', 'api_request', 1500, 's1', 'u2', 120, '{}');
    insert.run('e', 'user_prompt', 2500, 's1', null, null, '{}');
    insert.run('f', 'tool_result', 4000, 's1', 'u1', null, '{}');
    insert.run('g', 'api_request', 500, 's1', 'u1', 45, '{}');
    const range = { fromMs: 1000, toMs: 3500 };
    const before = {
      latency: apiLatency(old, range),
      prompts: promptCountsByUser(old, range),
    };
    old.close();

    const db = openStore(path);
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY 1",
      )
      .pluck()
      .all();
    expect(indexes).toContain('events_api_request');
    expect(indexes).toContain('events_user_prompt');
    expect(indexes).not.toContain('events_name_ts');

    expect(apiLatency(db, range)).toEqual(before.latency);
    expect(before.latency).toMatchObject({ count: 2, p50Ms: 120, maxMs: 900 });
    expect(promptCountsByUser(db, range)).toEqual(before.prompts);
    expect(before.prompts).toEqual(
      expect.arrayContaining([
        { userId: '', count: 1 },
        { userId: 'u1', count: 1 },
        { userId: 'u2', count: 1 },
      ]),
    );
    const plan = (sql: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join('; ');
    expect(
      plan(
        "SELECT duration_ms FROM events WHERE name = 'api_request' AND duration_ms IS NOT NULL AND ts >= 0",
      ),
    ).toMatch(/COVERING INDEX events_api_request/);
    expect(
      plan(
        "SELECT coalesce(user_id, '') AS u, count(*) FROM events WHERE name = 'user_prompt' AND ts >= 0 GROUP BY 1",
      ),
    ).toMatch(/COVERING INDEX events_user_prompt/);
    // Telemetry's last time is that of the event stored last.
    expect(lastDataTimes(db).telemetryMs).toBe(500);
    db.close();
  });
});

describe('upgrading a store to version 8', () => {
  it('copies the series attributes the dashboard reads into their own columns, with the same metric totals', () => {
    const path = join(tempDir(), 'ccmon.db');
    const old = storeAtVersion(path, 7);
    const addSeries = (name: string, attrs: object, ts: number, value: number) => {
      const text = JSON.stringify(attrs);
      const { lastInsertRowid } = old
        .prepare(
          `INSERT INTO metric_series (name, attrs_key, attrs, unit, temporality, total, last_ms)
           VALUES (?, ?, ?, 'count', 'delta', ?, ?)`,
        )
        .run(name, text, text, value, ts);
      old
        .prepare('INSERT INTO metric_points (series_id, ts, value) VALUES (?, ?, ?)')
        .run(lastInsertRowid, ts, value);
    };
    const lines = 'claude_code.lines_of_code.count';
    const decisions = 'claude_code.code_edit_tool.decision';
    addSeries(lines, { 'session.id': 's1', 'user.id': 'u1', type: 'added' }, 1000, 40);
    addSeries(lines, { 'session.id': 's2', 'user.id': 'u1', type: 'added' }, 2000, 2);
    addSeries(lines, { 'session.id': 's2', 'user.id': 'u2', type: 'removed' }, 2000, 7);
    // Not strings: read as absent, as before.
    addSeries(lines, { 'session.id': 's3', 'user.id': 42, type: true }, 2500, 5);
    addSeries(decisions, { 'session.id': 's1', decision: 'accept', language: 'TS' }, 1500, 3);
    addSeries(decisions, { 'session.id': 's1', decision: 'reject' }, 1500, 1);
    // Before the range: not counted.
    addSeries(lines, { 'session.id': 's0', 'user.id': 'u1', type: 'added' }, 10, 1000);
    old.prepare("INSERT INTO projects (id, path, name) VALUES (7, '/p/seven', 'seven')").run();
    old
      .prepare("INSERT INTO sessions (id, project_id, first_ms, last_ms) VALUES ('s2', 7, 0, 0)")
      .run();
    old.close();

    const db = openStore(path);
    expect(
      db
        .prepare(
          'SELECT session_id AS s, user_id AS u, type, decision FROM metric_series ORDER BY id',
        )
        .all(),
    ).toEqual([
      { s: 's1', u: 'u1', type: 'added', decision: null },
      { s: 's2', u: 'u1', type: 'added', decision: null },
      { s: 's2', u: 'u2', type: 'removed', decision: null },
      { s: 's3', u: null, type: null, decision: null },
      { s: 's1', u: null, type: null, decision: 'accept' },
      { s: 's1', u: null, type: null, decision: 'reject' },
      { s: 's0', u: 'u1', type: 'added', decision: null },
    ]);
    const byKey = (rows: MetricTotal[]) =>
      rows.map((r) => `${r.name} ${r.userId}/${r.type}/${r.decision} ${r.total}`).sort();
    expect(byKey(metricTotals(db, [lines, decisions], { fromMs: 500, toMs: 3000 }))).toEqual([
      `${decisions} //accept 3`,
      `${decisions} //reject 1`,
      `${lines} // 5`,
      `${lines} u1/added/ 42`,
      `${lines} u2/removed/ 7`,
    ]);
    // By project: only session s2's series.
    expect(byKey(metricTotals(db, [lines], { fromMs: 500, projectIds: [7] }))).toEqual([
      `${lines} u1/added/ 2`,
      `${lines} u2/removed/ 7`,
    ]);
    db.close();
  });
});

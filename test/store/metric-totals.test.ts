import { describe, expect, it } from 'vitest';
import { type MetricTotal, metricTotals } from '../../src/store/dashboard-queries.js';
import { storeWith } from '../helpers/store.js';

const LINES = 'claude_code.lines_of_code.count';
const ACTIVE = 'claude_code.active_time.total';
const MINUTE = 60_000;

/**
 * A long history of sessions, one after the other: each session's series
 * (lines added, active time) has a point a minute while it works, so the
 * last sessions' series are a small part of all of them.
 */
function history() {
  const { db } = storeWith([]);
  const points: {
    name: string;
    user: string;
    type: string;
    ts: number;
    value: number;
    project: number;
  }[] = [];
  const addSeries = db.prepare(
    `INSERT INTO metric_series (name, attrs_key, attrs, unit, temporality, total, last_ms, session_id, user_id, type)
     VALUES (?, ?, '{}', 'count', 'delta', ?, ?, ?, ?, ?)`,
  );
  const addPoint = db.prepare('INSERT INTO metric_points (series_id, ts, value) VALUES (?, ?, ?)');
  for (let session = 0; session < 40; session++) {
    const start = session * 60 * MINUTE;
    const user = `u${session % 3}`;
    for (const [name, type] of [
      [LINES, 'added'],
      [ACTIVE, ''],
    ] as const) {
      const values = Array.from({ length: 20 }, (_, i) => (name === LINES ? i + session : 1.5));
      const last = start + 19 * MINUTE;
      const { lastInsertRowid } = addSeries.run(
        name,
        `${name}/${session}`,
        values.reduce((a, b) => a + b, 0),
        last,
        `s${session}`,
        user,
        type || null,
      );
      values.forEach((value, i) => {
        addPoint.run(lastInsertRowid, start + i * MINUTE, value);
        points.push({
          name,
          user,
          type,
          ts: start + i * MINUTE,
          value,
          project: 1 + (session % 2),
        });
      });
    }
  }
  // Two projects: even sessions in one, odd ones in the other.
  db.prepare(
    "INSERT INTO projects (id, path, name) VALUES (1, '/p/even', 'even'), (2, '/p/odd', 'odd')",
  ).run();
  const addSession = db.prepare(
    'INSERT INTO sessions (id, project_id, first_ms, last_ms) VALUES (?, ?, 0, 0)',
  );
  for (let session = 0; session < 40; session++) addSession.run(`s${session}`, 1 + (session % 2));
  return { db, points, endMs: 40 * 60 * MINUTE };
}

const keyOf = (t: { name: string; userId: string; type: string }) =>
  `${t.name} ${t.userId} ${t.type}`;

function byKey(rows: MetricTotal[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [keyOf(r), r.total]));
}

describe("Claude Code's metric sums in a range", () => {
  const { db, points, endMs } = history();
  it.each([
    ['the last minutes of the last session', endMs - 50 * MINUTE],
    ['the last two sessions, from inside one', endMs - 110 * MINUTE],
    ['the last third of the history', endMs - 14 * 60 * MINUTE],
    ['all of it', 0],
  ])('equal the points in range, however the series are reached: %s', (_what, fromMs) => {
    const want: Record<string, number> = {};
    for (const p of points) {
      if (p.ts < fromMs) continue;
      const key = keyOf({ name: p.name, userId: p.user, type: p.type });
      want[key] = (want[key] ?? 0) + p.value;
    }
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(byKey(metricTotals(db, [LINES, ACTIVE], { fromMs }))).toEqual(want);
  });

  it.each([
    ['the last two sessions', endMs - 110 * MINUTE],
    ['all of it', 0],
  ])('of one project equal its points in range: %s', (_what, fromMs) => {
    const want: Record<string, number> = {};
    for (const p of points) {
      if (p.ts < fromMs || p.project !== 2) continue;
      const key = keyOf({ name: p.name, userId: p.user, type: p.type });
      want[key] = (want[key] ?? 0) + p.value;
    }
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(byKey(metricTotals(db, [LINES, ACTIVE], { fromMs, projectIds: [2] }))).toEqual(want);
  });
});

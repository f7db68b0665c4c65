import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { COST_MODES, VIEWS } from '../../src/domain/usage.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import { userUsageRows } from '../../src/store/dashboard-queries.js';
import { REFILL_TOTALS } from '../../src/store/running-totals.js';
import {
  projectsAndSessions,
  sessionCount,
  type UsageRow,
  usageRows,
  VIEW_SQL,
} from '../../src/store/usage-queries.js';
import { sendOtlp } from '../helpers/otlp-bodies.js';
import { storeWith } from '../helpers/store.js';
import { RUNS } from '../helpers/truth.js';
import { configDirWith } from '../reports/synth-transcript.js';

const FIGURES = [
  'responses',
  'input',
  'output',
  'cacheRead',
  'cacheCreation',
  'costNanos',
  'unpricedResponses',
  'unpricedTokens',
  'understated',
] as const;

/** Sums of rows by a key, over the figures both paths must agree on. */
function byKey(rows: UsageRow[], key: (r: UsageRow) => string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of rows) {
    const sums = out[key(r)] ?? FIGURES.map(() => 0);
    FIGURES.forEach((f, i) => {
      sums[i] = (sums[i] ?? 0) + r[f];
    });
    out[key(r)] = sums;
  }
  return out;
}

/** Only Sonnet 4.5 priced for transcripts: unpriced figures must agree too. */
const SONNET_ONLY = new PriceList({
  'claude-sonnet-4-5': {
    input: 3,
    output: 15,
    cacheRead: 0.3,
    cacheWrite5m: 3.75,
    cacheWrite1h: 6,
  },
});

describe('the rollups agree with the responses they sum', () => {
  it("a bulk first scan's totals and rollups are those a refill from every response gives", () => {
    const { db } = storeWith([]);
    // Older runs add Claude Code's own costs.
    ingestTranscripts(db, SONNET_ONLY, projectsDirs(RUNS.map((r) => r.dir)));
    const tables = [
      'usage_totals',
      'usage_quarters',
      'usage_hours',
      'usage_sessions',
      'cost_quarters',
      'message_totals',
      'tool_totals',
    ];
    const snapshot = () =>
      Object.fromEntries(
        tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).raw().all()]),
      );
    const afterScan = snapshot();
    expect(afterScan.usage_quarters?.length).toBeGreaterThan(10);
    db.transaction(() => {
      for (const sql of REFILL_TOTALS) db.exec(sql);
    })();
    expect(afterScan).toEqual(snapshot());
  });

  for (const telemetryFirst of [false, true]) {
    it(`all fixture runs, ${telemetryFirst ? 'telemetry' : 'transcripts'} first, every view and mode`, () => {
      const { db } = storeWith([]);
      const dirs = RUNS.map((r) => r.dir);
      if (telemetryFirst) for (const d of dirs) sendOtlp(db, d);
      ingestTranscripts(db, SONNET_ONLY, projectsDirs(dirs));
      if (!telemetryFirst) for (const d of dirs) sendOtlp(db, d);
      // The /metrics cost rollup, however it was filled (triggers, or a bulk scan's end).
      const costs = ['t', 'e', 'b'].flatMap((v) =>
        ['cost_nanos', 'reported_nanos'].map((c) => `${v}_${c}`),
      );
      const fromResponses = db
        .prepare(
          `SELECT ts / 900000 * 900000 AS bucket, model, coalesce(project_id, 0) AS project,
             ${costs.map((c) => `sum(coalesce(${c}, 0)) AS ${c}`).join(', ')},
             ${['t', 'e', 'b'].map((v) => `sum(coalesce(${v}_reported_nanos, ${v}_cost_nanos, 0)) AS ${v}_auto`).join(', ')}
           FROM responses GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        )
        .raw()
        .all();
      const kept = db
        .prepare(
          `SELECT bucket, model, project_id, t_cost_nanos, t_display_nanos, e_cost_nanos, e_display_nanos,
             b_cost_nanos, b_display_nanos, t_auto_nanos, e_auto_nanos, b_auto_nanos
           FROM cost_quarters WHERE ${['t', 'e', 'b'].map((v) => `${v}_cost_nanos <> 0 OR ${v}_display_nanos <> 0 OR ${v}_auto_nanos <> 0`).join(' OR ')}
           ORDER BY 1, 2, 3`,
        )
        .raw()
        .all();
      expect(kept).toEqual(fromResponses);
      for (const view of VIEWS) {
        for (const mode of COST_MODES) {
          const filter = { view, mode };
          // By the minute, usageRows reads every response; by the quarter hour, the rollup.
          const scanned = usageRows(db, filter, {
            session: true,
            model: true,
            project: true,
            bucketMs: 60_000,
          });
          const rolled = usageRows(db, filter, {
            session: true,
            model: true,
            project: true,
            bucketMs: 900_000,
          });
          const key = (r: UsageRow) =>
            `${Math.floor(r.bucket / 900_000)} ${r.model} ${r.projectId} ${r.sessionId}`;
          expect(byKey(rolled, key), `${view} ${mode}`).toEqual(byKey(scanned, key));
          // By the hour and model only: the hour rollup.
          const hourKey = (r: UsageRow) => `${Math.floor(r.bucket / 3_600_000)} ${r.model}`;
          expect(
            byKey(usageRows(db, filter, { model: true, bucketMs: 3_600_000 }), hourKey),
            `${view} ${mode} by the hour`,
          ).toEqual(byKey(scanned, hourKey));
          // Sessions' first and last activity, as the session report shows them.
          const times = (rows: UsageRow[]) => {
            const out: Record<string, [number, number]> = {};
            for (const r of rows) {
              const [first, last] = out[r.sessionId] ?? [r.firstMs, r.lastMs];
              out[r.sessionId] = [Math.min(first, r.firstMs), Math.max(last, r.lastMs)];
            }
            return out;
          };
          expect(times(usageRows(db, filter, { session: true })), `${view} ${mode}`).toEqual(
            times(scanned),
          );
          // Sessions counted: the session rollup over all of it, their keys over part of it.
          const countedSessions = (where: string, ...params: number[]) =>
            db
              .prepare(
                `SELECT count(DISTINCT session_id) FROM responses
                 WHERE ${VIEW_SQL[view].where} AND session_id <> '' ${where}`,
              )
              .pluck()
              .get(...params);
          expect(sessionCount(db, filter), `${view} sessions`).toBe(countedSessions(''));
          const span = db.prepare('SELECT min(ts) AS a, max(ts) AS b FROM responses').get() as {
            a: number;
            b: number;
          };
          const middle = Math.round((span.a + span.b) / 2);
          expect(sessionCount(db, { ...filter, fromMs: middle }), `${view} sessions after`).toBe(
            countedSessions('AND ts >= ?', middle),
          );
          expect(sessionCount(db, { ...filter, fromMs: span.a, toMs: span.b + 1 })).toBe(
            countedSessions(''),
          );
          expect(sessionCount(db, { ...filter, projectIds: [1] }), `${view} project 1`).toBe(
            countedSessions('AND project_id = 1'),
          );
          // Projects and the latest sessions, from the session rollup by SQL over all of
          // it, as from usage per project and session (read through any path) otherwise.
          for (const range of [{}, { fromMs: span.a, toMs: span.b + 1 }, { fromMs: middle }]) {
            const f = { ...filter, ...range };
            const pairs = usageRows(db, f, { project: true, session: true });
            const lastMs = new Map<string, number>();
            const perProject = new Map<number, { sessions: number; figures: number[] }>();
            for (const r of pairs) {
              const p = perProject.get(r.projectId) ?? {
                sessions: 0,
                figures: FIGURES.map(() => 0),
              };
              FIGURES.forEach((name, i) => {
                p.figures[i] = (p.figures[i] ?? 0) + r[name];
              });
              perProject.set(r.projectId, p);
              if (r.sessionId === '') continue;
              p.sessions++;
              lastMs.set(r.sessionId, Math.max(lastMs.get(r.sessionId) ?? 0, r.lastMs));
            }
            const expectedLatest = [...lastMs]
              .map(([sessionId, last]) => ({ sessionId, lastMs: last }))
              .sort((a, b) => b.lastMs - a.lastMs || (a.sessionId < b.sessionId ? -1 : 1));
            const got = projectsAndSessions(db, f, 3);
            const where = `${view} ${JSON.stringify(range)}`;
            expect(got.totalSessions, where).toBe(expectedLatest.length);
            expect(got.latest, where).toEqual(expectedLatest.slice(0, 3));
            const gotProjects = new Map<number, { sessions: number; figures: number[] }>();
            for (const r of got.projectRows) {
              const p = gotProjects.get(r.projectId) ?? {
                sessions: got.sessionsByProject.get(r.projectId) ?? 0,
                figures: FIGURES.map(() => 0),
              };
              FIGURES.forEach((name, i) => {
                p.figures[i] = (p.figures[i] ?? 0) + r[name];
              });
              gotProjects.set(r.projectId, p);
            }
            expect(gotProjects, where).toEqual(perProject);
          }
          // A range off the quarter hour: rollup inside, responses at both ends.
          const [all] = usageRows(db, filter, {});
          if (all) {
            const off = { ...filter, fromMs: all.firstMs + 1, toMs: all.lastMs - 7_000 };
            const scannedOff = usageRows(db, off, { session: true, model: true, bucketMs: 60_000 });
            const rolledOff = usageRows(db, off, { session: true, model: true, bucketMs: 900_000 });
            expect(byKey(rolledOff, key), `${view} ${mode} off the quarter hour`).toEqual(
              byKey(scannedOff, key),
            );
            expect(times(rolledOff)).toEqual(times(scannedOff));
            // By the hour and model: whole hours from the hour rollup, the ends as above.
            expect(
              byKey(usageRows(db, off, { model: true, bucketMs: 3_600_000 }), hourKey),
              `${view} ${mode} off the hour`,
            ).toEqual(byKey(scannedOff, hourKey));
            // Without time buckets, the parts fold into one row per key.
            expect(byKey(usageRows(db, off, { model: true }), (r) => r.model)).toEqual(
              byKey(scannedOff, (r) => r.model),
            );
          }
          // A range that holds every response is the whole history (the session rollup).
          const [every] = usageRows(db, filter, {});
          if (every) {
            const around = { ...filter, fromMs: every.firstMs - 60_000, toMs: every.lastMs + 1 };
            const bySession = (r: UsageRow) => `${r.sessionId} ${r.model} ${r.projectId}`;
            const inRange = usageRows(db, around, { session: true, model: true, project: true });
            expect(byKey(inRange, bySession), `${view} ${mode} around everything`).toEqual(
              byKey(scanned, bySession),
            );
            expect(times(inRange)).toEqual(times(scanned));
            // By user too: not kept by the session rollup, so read from the quarter hours.
            const users = usageRows(db, around, { session: true, user: true });
            expect(byKey(users, (r) => `${r.sessionId} ${r.userId}`)).toEqual(
              byKey(
                usageRows(db, filter, { session: true, user: true, bucketMs: 60_000 }),
                (r) => `${r.sessionId} ${r.userId}`,
              ),
            );
          }
          // Per user: figures summed, sessions counted from their keys.
          const perUser = (f: typeof filter) => {
            const out: Record<string, [number, number, number]> = {};
            const sessions: Record<string, Set<string>> = {};
            for (const r of usageRows(db, f, { session: true, user: true, bucketMs: 60_000 })) {
              const [responses, cost] = out[r.userId] ?? [0, 0, 0];
              const set = sessions[r.userId] ?? new Set<string>();
              if (r.sessionId !== '') set.add(r.sessionId);
              sessions[r.userId] = set;
              out[r.userId] = [responses + r.responses, cost + r.costNanos, set.size];
            }
            return out;
          };
          const usersOf = (f: typeof filter) =>
            Object.fromEntries(
              userUsageRows(db, f).map((u) => [u.userId, [u.responses, u.costNanos, u.sessions]]),
            );
          expect(Object.values(perUser(filter)).some(([, , n]) => n > 0)).toBe(true);
          expect(usersOf(filter), `${view} ${mode} per user`).toEqual(perUser(filter));
          if (every) {
            const off = { ...filter, fromMs: every.firstMs + 1, toMs: every.lastMs - 7_000 };
            expect(usersOf(off), `${view} ${mode} per user, off the quarter hour`).toEqual(
              perUser(off),
            );
          }
          const [total] = usageRows(db, filter, {});
          expect(byKey(total ? [total] : [], () => 'all')).toEqual(byKey(scanned, () => 'all'));
        }
      }
    });
  }

  it('a range over many hours, off the hour at both ends: whole hours from the hour rollup', () => {
    const { db } = storeWith([]);
    // Every 7 minutes for 30 hours, on two models: ends inside hours and quarter hours.
    const start = Date.parse('2026-11-20T22:03:10Z');
    const times = Array.from({ length: 260 }, (_, i) =>
      new Date(start + i * 7 * 60_000).toISOString(),
    );
    const opus = configDirWith(times, 'claude-opus-4-5-20251101');
    // Its own responses, not copies of the first dir's (same ids would be deduplicated).
    const opusFile = join(opus, 'projects', '-home-dev-projects-demo', 'synth-session.jsonl');
    writeFileSync(opusFile, readFileSync(opusFile, 'utf8').replaceAll('_synth_', '_synth_opus_'));
    const dirs = [configDirWith(times), opus];
    ingestTranscripts(db, new PriceList(), projectsDirs(dirs));
    const filter = { view: 'transcripts' as const, mode: 'calculate' as const };
    const off = {
      ...filter,
      fromMs: start + 50 * 60_000 + 1,
      toMs: start + 27 * 3_600_000 + 9_000,
    };
    const scanned = usageRows(db, off, { model: true, bucketMs: 60_000 });
    expect(new Set(scanned.map((r) => r.model)).size).toBe(2);
    expect(scanned.length).toBeGreaterThan(400);
    const hourKey = (r: UsageRow) => `${Math.floor(r.bucket / 3_600_000)} ${r.model}`;
    expect(byKey(usageRows(db, off, { model: true, bucketMs: 3_600_000 }), hourKey)).toEqual(
      byKey(scanned, hourKey),
    );
    expect(byKey(usageRows(db, off, { model: true }), (r) => r.model)).toEqual(
      byKey(scanned, (r) => r.model),
    );
    // Days of a zone two hours ahead of UTC.
    const offset = 2 * 3_600_000;
    const dayKey = (r: UsageRow) => `${Math.floor((r.bucket + offset) / 86_400_000)} ${r.model}`;
    expect(
      byKey(
        usageRows(db, off, { model: true, bucketMs: 86_400_000, bucketOffsetMs: offset }),
        dayKey,
      ),
    ).toEqual(byKey(scanned, dayKey));
  });
});

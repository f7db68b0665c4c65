import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/domain/money.js';
import type { Db } from '../../src/store/open-store.js';
import type { DashboardResponse } from '../../src/views/web/api-types.js';
import {
  DASHBOARD_JOBS,
  type FigureSettings,
  runDashboardJob,
} from '../../src/views/web/dashboard-jobs.js';
import { FiguresPool } from '../../src/views/web/figures-pool.js';
import { tempDir } from '../helpers/store.js';
import { FIXTURE_DAY_NOON, fixtureStore, serveDashboard } from './fixture-store.js';

// The reader threads run the built worker (npm test builds first), as `ccmon serve` does.
const WORKER_URL = new URL('../../dist/views/web/figures-worker.js', import.meta.url);

const settings: FigureSettings = {
  view: 'both',
  mode: 'auto',
  timezone: 'UTC',
  budgetNanos: usdToNanos(10),
};

let db: Db;
let dbPath: string;
let pool: FiguresPool;
const logged: string[] = [];

beforeAll(() => {
  dbPath = join(tempDir(), 'ccmon.db');
  db = fixtureStore(undefined, { path: dbPath, telemetry: true });
  pool = new FiguresPool({ dbPath, settings }, (line) => logged.push(line), {
    workerUrl: WORKER_URL,
  });
});

afterAll(async () => {
  await pool.close();
  db.close();
});

/** The answer computed on this thread, job after job, as without a pool. */
function inline(search: string, at: number): DashboardResponse {
  const out: Partial<DashboardResponse> = {};
  for (const job of DASHBOARD_JOBS)
    Object.assign(out, runDashboardJob(db, settings, search, at, job));
  return out as DashboardResponse;
}

describe('the dashboard figures on reader threads', () => {
  it.each([
    '?range=7d&bucket=hour&limit=50',
    '?range=30d&bucket=day&limit=5',
    '?from=2026-11-23&to=2026-11-24&bucket=hour&tz=America%2FNew_York',
    '?range=7d&project=json-tools%2Fwork',
    '?range=7d&model=claude-haiku-4-5-20251001&view=transcripts&mode=calculate',
  ])('equal those computed on the main thread: %s', async (search) => {
    const { answer, jobMs } = await pool.dashboard(search, FIXTURE_DAY_NOON);
    expect(Object.keys(jobMs)).toEqual([...DASHBOARD_JOBS]);
    for (const ms of Object.values(jobMs)) expect(ms).toBeGreaterThan(0);
    expect(Object.keys(answer).sort()).toEqual([
      'block',
      'budget',
      'costByModel',
      'dailyCost',
      'messages',
      'models',
      'projects',
      'sessions',
      'summary',
      'telemetry',
      'tokensByKind',
      'tools',
    ]);
    expect(answer).toEqual(inline(search, FIXTURE_DAY_NOON));
    expect(answer.summary.responses).toBeGreaterThan(0);
  });

  it('share the readers among requests that come at once', async () => {
    const searches = ['?range=7d', '?range=30d', '?range=24h', '?range=7d&bucket=day'];
    const answers = await Promise.all(searches.map((s) => pool.dashboard(s, FIXTURE_DAY_NOON)));
    answers.forEach(({ answer }, i) => {
      expect(answer).toEqual(inline(searches[i] ?? '', FIXTURE_DAY_NOON));
    });
  });

  it('answer /api/dashboard through the web handler, and a bad query is still a 400', async () => {
    const served = await serveDashboard({ db, budgetUsd: 10, figuresPool: pool });
    try {
      const res = await fetch(`${served.url}/api/dashboard?range=7d&bucket=hour`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(inline('?range=7d&bucket=hour', FIXTURE_DAY_NOON));
      // The answer's time and each job's, for a browser's developer tools.
      const timing = res.headers.get('server-timing') ?? '';
      expect(timing.split(', ').map((entry) => entry.split(';')[0])).toEqual([
        'total',
        ...DASHBOARD_JOBS,
      ]);
      expect(timing).toMatch(/^total;dur=\d+\.\d, telemetry;dur=\d+\.\d,/);
      const bad = await fetch(`${served.url}/api/dashboard?range=7d&bucket=fortnight`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/bucket/);
    } finally {
      await served.close();
    }
  });

  it('a store the readers cannot open leaves the pool unusable, with the reason logged, not restarting', async () => {
    const badPath = join(tempDir(), 'not-a-store.db');
    writeFileSync(badPath, 'not a SQLite file\n'.repeat(200));
    const lines: string[] = [];
    const broken = new FiguresPool({ dbPath: badPath, settings }, (line) => lines.push(line), {
      workerUrl: WORKER_URL,
      threads: 2,
    });
    const deadline = Date.now() + 10_000;
    while (broken.usable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(broken.usable).toBe(false);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/not-a-store\.db/);
    await expect(broken.dashboard('?range=7d', FIXTURE_DAY_NOON)).rejects.toThrow();
    await broken.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { type Db, openStore } from '../../src/store/open-store.js';
import type {
  BlockResponse,
  BudgetResponse,
  DashboardResponse,
  HealthResponse,
  MessagesResponse,
  MetaResponse,
  ProjectsResponse,
  SessionsResponse,
  SummaryResponse,
  TelemetryResponse,
  TimeseriesResponse,
  ToolsResponse,
} from '../../src/views/web/api-types.js';
import { notifyDataChanged } from '../../src/views/web/data-changes.js';
import {
  FIXTURE_DAY_NOON,
  fixtureStore,
  RUN_DIRS,
  type Served,
  serveDashboard,
} from './fixture-store.js';
import { sumOf, TRUTH, TRUTH_BOTH } from './fixture-truth.js';

let db: Db;
let server: Served;

beforeAll(async () => {
  db = fixtureStore();
  server = await serveDashboard({ db, budgetUsd: 10 });
});

afterAll(async () => {
  await server.close();
  db.close();
});

async function get<T>(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

function expectTotals(s: SummaryResponse, truth: ReturnType<typeof sumOf>): void {
  expect(s.responses).toBe(truth.responses);
  expect(s.tokens).toEqual({
    input: truth.input,
    output: truth.output,
    cacheRead: truth.cacheRead,
    cacheCreation: truth.cacheCreation,
    total: truth.total,
  });
  expect(s.costNanos).toBe(truth.costNanos);
}

describe('GET /api/summary', () => {
  it('totals every fixture run exactly: tokens, cost to the nano-dollar, sessions', async () => {
    const { status, body } = await get<SummaryResponse>('/api/summary?range=24h');
    expect(status).toBe(200);
    const truth = sumOf(TRUTH);
    expectTotals(body, truth);
    expect(truth.costNanos).toBe(917_110_400);
    expect(body.sessions).toBe(12);
    expect(body.view).toBe('both');
    expect(body.range).toBe('24h');
    expect(body.cacheEfficiency).toBeCloseTo(
      truth.cacheRead / (truth.input + truth.cacheRead + truth.cacheCreation),
      12,
    );
    expect(body.status).toEqual({ success: 36, truncated: 0, errors: 0, successRate: 1 });
    expect(body.understated.responses).toBe(3);
    expect(body.notes.join(' ')).toContain('2.1.10');
    expect(body.unpriced).toEqual({ responses: 0, tokens: 0, models: [] });
    // "today" is the fixture day in UTC; the last hour (11:00-12:00) saw nothing.
    expect(body.today.costNanos).toBe(truth.costNanos);
    expect(body.burnRate.lastHourNanosPerHour).toBe(0);
  });

  it('filters by project (name or path) and by model', async () => {
    const agent = await get<SummaryResponse>('/api/summary?range=24h&project=json-agent%2Fwork');
    expectTotals(agent.body, sumOf(TRUTH.filter((r) => r.project === 'json-agent/work')));
    expect(agent.body.sessions).toBe(2);
    expect(agent.body.filters).toEqual({ project: ['json-agent/work'], model: [] });
    const byPath = await get<SummaryResponse>(
      '/api/summary?range=24h&project=/home/dev/projects/json-agent/work',
    );
    expect(byPath.body.costNanos).toBe(agent.body.costNanos);

    const haiku = await get<SummaryResponse>(
      '/api/summary?range=24h&model=claude-haiku-4-5-20251001',
    );
    expectTotals(haiku.body, sumOf(TRUTH.filter((r) => r.model === 'claude-haiku-4-5-20251001')));
    expect(haiku.body.sessions).toBe(2);

    const both = await get<SummaryResponse>(
      '/api/summary?range=24h&project=json-tools%2Fwork&project=pb-tools%2Fwork&model=claude-sonnet-4-20250514',
    );
    expectTotals(both.body, sumOf(TRUTH.filter((r) => r.model === 'claude-sonnet-4-20250514')));
  });

  it('filters by time: from/to in ISO or ms, and named ranges relative to now', async () => {
    const late = await get<SummaryResponse>('/api/summary?from=2026-11-24T02:00:00Z');
    expectTotals(late.body, sumOf(TRUTH.filter((r) => !r.early)));
    expect(late.body.range).toBe('custom');
    const early = await get<SummaryResponse>(
      `/api/summary?from=2026-11-24&to=${Date.parse('2026-11-24T02:00:00Z')}`,
    );
    expectTotals(early.body, sumOf(TRUTH.filter((r) => r.early)));
    // Without an offset, times are read in the request's time zone: 03:00 in Paris is 02:00 UTC.
    const paris = await get<SummaryResponse>('/api/summary?from=2026-11-24T03:00&tz=Europe/Paris');
    expectTotals(paris.body, sumOf(TRUTH.filter((r) => !r.early)));
    // A bare "to" date includes that day.
    const day = await get<SummaryResponse>('/api/summary?from=2026-11-24&to=2026-11-24');
    expect(day.body.costNanos).toBe(sumOf(TRUTH).costNanos);
    const before = await get<SummaryResponse>('/api/summary?from=2026-11-01&to=2026-11-23');
    expect(before.body.responses).toBe(0);
    expect(before.body.costNanos).toBe(0);
    for (const range of ['7d', '30d', '90d', 'month']) {
      expect((await get<SummaryResponse>(`/api/summary?range=${range}`)).body.costNanos).toBe(
        sumOf(TRUTH).costNanos,
      );
    }
  });

  it('names models it cannot price: unpriced tokens, never $0', async () => {
    const own = fixtureStore(
      RUN_DIRS.filter((d) => d.endsWith('/json-tools')),
      { prices: new PriceList({}) },
    );
    const s = await serveDashboard({ db: own });
    try {
      const body = (await (
        await fetch(`${s.url}/api/summary?range=24h`)
      ).json()) as SummaryResponse;
      const truth = sumOf(TRUTH.filter((r) => r.run === 'json-tools'));
      expect(body.unpriced).toEqual({
        responses: 3,
        tokens: truth.total,
        models: ['claude-sonnet-4-5-20250929'],
      });
      expect(body.costNanos).toBe(0);
      expect(body.notes.join(' ')).toContain('No price for claude-sonnet-4-5-20250929');
    } finally {
      await s.close();
      own.close();
    }
  });

  it('names what it cannot price and what is understated', async () => {
    const understated = await get<SummaryResponse>('/api/summary?range=24h&view=transcripts');
    expect(understated.body.view).toBe('transcripts');
    expect(understated.body.understated.responses).toBe(3);
  });
});

describe('bad parameters get 400 with the reason', () => {
  it.each([
    ['/api/summary?range=1y', '"range" must be one of 24h, 7d, 30d, 90d, month'],
    ['/api/summary?bucket=week', '"bucket" must be one of hour, day'],
    ['/api/timeseries?groupBy=color', '"groupBy" must be one of model, project, kind, user'],
    ['/api/summary?tz=Mars/Olympus', 'is not a time zone'],
    ['/api/summary?from=yesterday', '"from" must be an ISO date or time'],
    ['/api/summary?from=2026-13-01', '"from" must be an ISO date or time'],
    ['/api/summary?from=2026-11-24&to=2026-11-01', '"to" must be after "from"'],
    ['/api/summary?range=7d&from=2026-11-01', 'either "range" or "from"/"to"'],
    ['/api/summary?project=nope', 'no project is named "nope"'],
    ['/api/summary?colour=red', 'unknown parameter "colour"'],
    ['/api/summary?range=7d&range=24h', '"range" given more than once'],
    ['/api/summary?view=all', '"view" must be one of transcripts, telemetry, both'],
    ['/api/sessions?limit=0', '"limit" must be a whole number'],
    ['/api/timeseries?from=2020-01-01&bucket=hour', 'use bucket=day'],
  ])('%s', async (path, reason) => {
    const { status, body } = await get<{ error: string }>(path);
    expect(status).toBe(400);
    expect(body.error).toContain(reason);
  });

  it('unknown endpoints and methods', async () => {
    expect((await get<{ error: string }>('/api/nothing')).status).toBe(404);
    const post = await get<{ error: string }>('/api/summary', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('GET /api/timeseries', () => {
  it('splits cost by model per hour, summing to the totals', async () => {
    const { body } = await get<TimeseriesResponse>(
      '/api/timeseries?range=24h&bucket=hour&groupBy=model',
    );
    expect(body.buckets).toHaveLength(24);
    expect(body.buckets[0]).toBe(Date.parse('2026-11-23T12:00:00Z'));
    const byModel = new Map(body.series.map((s) => [s.key, s]));
    for (const model of new Set(TRUTH.map((r) => r.model))) {
      const truth = sumOf(TRUTH.filter((r) => r.model === model));
      const s = byModel.get(model);
      expect(s?.costNanos?.reduce((a, b) => a + b, 0)).toBe(truth.costNanos);
      expect(s?.tokens.reduce((a, b) => a + b, 0)).toBe(truth.total);
    }
    // 01:00 holds the 2.1.330 runs, 02:00 the older ones.
    const hour = (iso: string) => body.buckets.indexOf(Date.parse(iso));
    const sonnet = byModel.get('claude-sonnet-4-20250514');
    expect(sonnet?.costNanos?.[hour('2026-11-24T02:00:00Z')]).toBe(147_240_000);
    expect(sonnet?.costNanos?.[hour('2026-11-24T01:00:00Z')]).toBe(0);
  });

  it('groups by token kind and by project', async () => {
    const kinds = await get<TimeseriesResponse>('/api/timeseries?range=24h&groupBy=kind');
    const truth = sumOf(TRUTH);
    expect(kinds.body.bucket).toBe('hour');
    const total = (key: string) =>
      kinds.body.series.find((s) => s.key === key)?.tokens.reduce((a, b) => a + b, 0);
    expect(total('input')).toBe(truth.input);
    expect(total('output')).toBe(truth.output);
    expect(total('cacheRead')).toBe(truth.cacheRead);
    expect(total('cacheCreation')).toBe(truth.cacheCreation);
    expect(kinds.body.series[0]?.costNanos).toBeNull();

    const projects = await get<TimeseriesResponse>('/api/timeseries?range=7d&groupBy=project');
    expect(projects.body.bucket).toBe('day');
    const tools = projects.body.series.find((s) => s.label === 'json-tools/work');
    expect(tools?.costNanos?.reduce((a, b) => a + b, 0)).toBe(
      sumOf(TRUTH.filter((r) => r.project === 'json-tools/work')).costNanos,
    );
  });

  it('cuts days at local midnight in the time zone', async () => {
    // In Kolkata (+05:30) the fixtures fall on Nov 24, whose day starts at 18:30 UTC on the 23rd.
    const { body } = await get<TimeseriesResponse>(
      '/api/timeseries?from=2026-11-22&to=2026-11-25&bucket=day&tz=Asia/Kolkata',
    );
    expect(body.buckets).toEqual([
      Date.parse('2026-11-21T18:30:00Z'),
      Date.parse('2026-11-22T18:30:00Z'),
      Date.parse('2026-11-23T18:30:00Z'),
      Date.parse('2026-11-24T18:30:00Z'),
    ]);
    const cost = body.buckets.map((_, i) =>
      body.series.reduce((a, s) => a + (s.costNanos?.[i] ?? 0), 0),
    );
    expect(cost).toEqual([0, 0, sumOf(TRUTH).costNanos, 0]);
  });
});

/** json-tools/work holds the 2.1.330, 1.0.5, 1.0.70 (two sessions) and 2.1.10 runs. */
const SESSIONS_OF: Record<string, number> = { 'json-tools/work': 5, 'json-agent/work': 2 };

describe('tables', () => {
  it('projects: cost, tokens, sessions, responses, last activity', async () => {
    const { body } = await get<ProjectsResponse>('/api/projects?range=24h');
    expect(body.projects).toHaveLength(7);
    for (const name of new Set(TRUTH.map((r) => r.project))) {
      const truth = sumOf(TRUTH.filter((r) => r.project === name));
      const p = body.projects.find((x) => x.name === name);
      expect(p?.costNanos).toBe(truth.costNanos);
      expect(p?.tokens.total).toBe(truth.total);
      expect(p?.responses).toBe(truth.responses);
      expect(p?.sessions).toBe(SESSIONS_OF[name] ?? 1);
    }
    expect(body.projects[0]?.name).toBe('json-agent/work');
  });

  it('sessions: list, totals and sessions per bucket', async () => {
    const { body } = await get<SessionsResponse>('/api/sessions?range=24h&limit=5');
    expect(body.total).toBe(12);
    expect(body.sessions).toHaveLength(5);
    expect(body.sessions.reduce((a, s) => a + s.responses, 0)).toBeLessThan(36);
    const all = await get<SessionsResponse>('/api/sessions?range=24h');
    expect(all.body.sessions.reduce((a, s) => a + s.costNanos, 0)).toBe(sumOf(TRUTH).costNanos);
    // Latest first; a shorter list is the same list cut, with the same figures.
    const lasts = all.body.sessions.map((s) => s.lastMs);
    expect(lasts).toEqual([...lasts].sort((a, b) => b - a));
    expect(body.sessions).toEqual(all.body.sessions.slice(0, 5));
    const continued = all.body.sessions.filter((s) => s.version === '1.0.70');
    expect(continued).toHaveLength(2);
    expect(all.body.activeSessions.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('tools and messages', async () => {
    const tools = await get<ToolsResponse>('/api/tools?range=24h');
    expect(tools.body.tools.find((t) => t.name === 'Write')).toEqual({
      name: 'Write',
      count: 9,
      rejected: 2,
      failed: 0,
    });
    expect(tools.body.tools.find((t) => t.name === 'Bash')).toEqual({
      name: 'Bash',
      count: 9,
      rejected: 0,
      failed: 0,
    });
    const noperm = await get<ToolsResponse>('/api/tools?range=24h&project=json-noperm%2Fwork');
    expect(noperm.body.tools.find((t) => t.name === 'Write')?.rejected).toBeGreaterThan(0);
    const messages = await get<MessagesResponse>('/api/messages?range=24h');
    // User lines from transcripts; assistant messages are the responses.
    expect(messages.body.byRole).toEqual([
      { role: 'assistant', count: 36 },
      { role: 'user', count: 36 },
    ]);
    expect(messages.body.series.map((x) => x.counts.reduce((a, b) => a + b, 0))).toEqual([36, 36]);
    const haiku = await get<MessagesResponse>(
      '/api/messages?range=24h&model=claude-haiku-4-5-20251001',
    );
    expect(haiku.body.byRole.find((r) => r.role === 'assistant')?.count).toBe(4);
  });

  it('meta lists projects and models for the filters', async () => {
    const { body } = await get<MetaResponse>('/api/meta');
    expect(body.projects.map((p) => p.name)).toContain('json-tools/work');
    expect(body.models).toContain('claude-opus-4-5-20251101');
    expect(body.budgetNanos).toBe(10_000_000_000);
    expect(body.telemetry).toBe(false);
  });
});

describe('5-hour block and budget', () => {
  it('the block started at 01:00 UTC holds every response', async () => {
    const three = Date.parse('2026-11-24T03:00:00Z');
    const at3 = await serveDashboard({ db, now: () => three });
    try {
      const res = await fetch(`${at3.url}/api/block`);
      const { block } = (await res.json()) as BlockResponse;
      const truth = sumOf(TRUTH);
      const first = Date.parse('2026-11-24T01:27:33.026Z');
      const last = Date.parse('2026-11-24T02:12:45.118Z');
      expect(block).toMatchObject({
        start: Date.parse('2026-11-24T01:00:00Z'),
        end: Date.parse('2026-11-24T06:00:00Z'),
        firstMs: first,
        lastMs: last,
        active: true,
        responses: 36,
        costNanos: truth.costNanos,
        timeLeftMs: 3 * 3_600_000,
      });
      expect(block?.tokens.total).toBe(truth.total);
      // As `ccmon blocks`: the pace between the first and the last response, held for the 3 hours left.
      const perHour = truth.costNanos / ((last - first) / 3_600_000);
      expect(block?.burnRateNanosPerHour).toBe(Math.round(perHour));
      expect(block?.projectedCostNanos).toBe(Math.round(truth.costNanos + perHour * 3));
      const summary = (await (
        await fetch(`${at3.url}/api/summary?range=24h`)
      ).json()) as SummaryResponse;
      expect(summary.burnRate.blockNanosPerHour).toBe(block?.burnRateNanosPerHour);
    } finally {
      await at3.close();
    }
    // At noon the block has ended; it is still the latest one.
    const { body } = await get<BlockResponse>('/api/block');
    expect(body.block).toMatchObject({ active: false, timeLeftMs: 0, projectedCostNanos: null });
    // A day later there is no block.
    const later = await serveDashboard({ db, now: () => FIXTURE_DAY_NOON + 86_400_000 });
    try {
      expect(
        ((await (await fetch(`${later.url}/api/block`)).json()) as BlockResponse).block,
      ).toBeNull();
    } finally {
      await later.close();
    }
  });

  it('budget: spent this month, remaining, projected month end', async () => {
    const { body } = await get<BudgetResponse>('/api/budget?project=pb-tools%2Fwork');
    const spent = sumOf(TRUTH).costNanos;
    expect(body.budgetNanos).toBe(10_000_000_000);
    expect(body.spentNanos).toBe(spent);
    expect(body.remainingNanos).toBe(10_000_000_000 - spent);
    expect(body.monthStart).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(body.monthEnd).toBe(Date.parse('2026-12-01T00:00:00Z'));
    const elapsed = FIXTURE_DAY_NOON - body.monthStart;
    expect(body.projectedNanos).toBe(Math.round((spent * 30 * 86_400_000) / elapsed));
  });
});

describe('telemetry figures', () => {
  it('says how to turn telemetry on when there is none', async () => {
    const { body } = await get<TelemetryResponse>('/api/telemetry?range=24h');
    expect(body.available).toBe(false);
    expect(body.note).toContain('ccmon setup');
  });

  it('sums what Claude Code sent: lines, edit decisions, active time, latency, users', async () => {
    const runs = RUN_DIRS.filter((d) => d.endsWith('/json-tools') || d.endsWith('/json-noperm'));
    const own = fixtureStore(runs, { telemetry: true });
    const s = await serveDashboard({ db: own });
    try {
      const body = (await (
        await fetch(`${s.url}/api/telemetry?range=24h`)
      ).json()) as TelemetryResponse;
      expect(body).toMatchObject({
        available: true,
        note: null,
        linesAdded: 5,
        linesRemoved: 0,
        commits: 0,
        pullRequests: 0,
        editDecisions: { accept: 1, reject: 1 },
      });
      expect(body.activeTimeSeconds).toBeCloseTo(0.568 + 0.674, 9);
      expect(body.apiLatency.count).toBe(6);
      const { p50Ms, p95Ms, maxMs, meanMs } = body.apiLatency;
      expect(p50Ms).toBeGreaterThan(0);
      expect(p95Ms).toBeGreaterThanOrEqual(p50Ms ?? 0);
      expect(maxMs).toBe(p95Ms);
      expect(meanMs).toBeGreaterThan(0);
      const both = sumOf(
        TRUTH_BOTH.filter((r) => r.run === 'json-tools' || r.run === 'json-noperm'),
      );
      expect(body.users.reduce((a, u) => a + u.costNanos, 0)).toBe(both.costNanos);
      expect(body.users.reduce((a, u) => a + u.responses, 0)).toBe(6);
      expect(body.users.reduce((a, u) => a + u.prompts, 0)).toBe(2);
      expect(body.users.reduce((a, u) => a + u.linesAdded, 0)).toBe(5);

      const noperm = (await (
        await fetch(`${s.url}/api/telemetry?range=24h&project=json-noperm%2Fwork`)
      ).json()) as TelemetryResponse;
      expect(noperm).toMatchObject({ linesAdded: 0, editDecisions: { accept: 0, reject: 1 } });
      expect(noperm.apiLatency.count).toBe(3);
      const before = (await (
        await fetch(`${s.url}/api/telemetry?from=2026-11-01&to=2026-11-02`)
      ).json()) as TelemetryResponse;
      expect(before.note).toContain('No OpenTelemetry data in this range');

      const byUser = (await (
        await fetch(`${s.url}/api/timeseries?range=24h&groupBy=user`)
      ).json()) as TimeseriesResponse;
      expect(
        byUser.series.reduce((a, x) => a + (x.costNanos?.reduce((p, q) => p + q, 0) ?? 0), 0),
      ).toBe(both.costNanos);
      const meta = (await (await fetch(`${s.url}/api/meta`)).json()) as MetaResponse;
      expect(meta.telemetry).toBe(true);
    } finally {
      await s.close();
      own.close();
    }
  });

  it('view=both counts each response once across transcripts and telemetry', async () => {
    const own = fixtureStore(RUN_DIRS, { telemetry: true });
    const s = await serveDashboard({ db: own });
    try {
      const both = (await (
        await fetch(`${s.url}/api/summary?range=24h`)
      ).json()) as SummaryResponse;
      const truth = sumOf(TRUTH_BOTH);
      expect(both.responses).toBe(truth.responses);
      expect(both.tokens.total).toBe(truth.total);
      expect(both.costNanos).toBe(truth.costNanos);
      expect(both.understated.responses).toBe(0);
      const transcripts = (await (
        await fetch(`${s.url}/api/summary?range=24h&view=transcripts`)
      ).json()) as SummaryResponse;
      expect(transcripts.costNanos).toBe(sumOf(TRUTH).costNanos);
      expect(transcripts.understated.responses).toBe(3);
    } finally {
      await s.close();
      own.close();
    }
  });
});

describe('GET /health', () => {
  it('reports the store, the last data and the rejected counts', async () => {
    const s = await serveDashboard({
      db,
      authToken: 'secret',
      health: () => ({ rejectedOtlpRequests: 4 }),
    });
    try {
      const res = await fetch(`${s.url}/health`);
      const body = (await res.json()) as HealthResponse;
      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        status: 'ok',
        version: '0.0.0-test',
        uptimeSeconds: 60,
        store: { writable: true },
        lastData: { transcriptsMs: Date.parse('2026-11-24T02:12:45.118Z'), telemetryMs: null },
        malformedLines: 0,
        rejectedOtlpRequests: 4,
      });
      expect(body.store.bytes).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });

  it('answers 503 when the store cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccmon-health-'));
    try {
      fixtureStore(RUN_DIRS, { path: join(dir, 'ccmon.db') }).close();
      const readonly = openStore(join(dir, 'ccmon.db'), { readonly: true });
      const s = await serveDashboard({ db: readonly });
      try {
        const res = await fetch(`${s.url}/health`);
        const body = (await res.json()) as HealthResponse;
        expect(res.status).toBe(503);
        expect(body.status).toBe('unavailable');
        expect(body.store.writable).toBe(false);
        expect(body.store.reason).toContain('read-only');
      } finally {
        await s.close();
        readonly.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('auth token', () => {
  let locked: Served;
  beforeAll(async () => {
    locked = await serveDashboard({ db, authToken: 's3cret-token' });
  });
  afterAll(() => locked.close());

  it('is required on every route but /health', async () => {
    for (const path of ['/api/summary', '/api/meta', '/api/events', '/', '/index.html']) {
      const res = await fetch(`${locked.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await res.json()) as { error: string }).error).toContain('token');
    }
    expect((await fetch(`${locked.url}/health`)).status).toBe(200);
    const wrong = await fetch(`${locked.url}/api/summary`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${locked.url}/api/summary?range=24h`, {
      headers: { Authorization: 'Bearer s3cret-token' },
    });
    expect(right.status).toBe(200);
    expect(((await right.json()) as SummaryResponse).costNanos).toBe(sumOf(TRUTH).costNanos);
  });

  it('a page opened with ?token= keeps it in an HttpOnly cookie', async () => {
    const res = await fetch(`${locked.url}/?range=7d&token=s3cret-token`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?range=7d');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const withCookie = await fetch(`${locked.url}/api/summary`, {
      headers: { Cookie: cookie.split(';')[0] ?? '' },
    });
    expect(withCookie.status).toBe(200);
    expect((await fetch(`${locked.url}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${locked.url}/api/summary?token=s3cret-token`)).status).toBe(401);
  });
});

describe('GET /api/events', () => {
  it('sends a change event after notifyDataChanged', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) throw new Error(`stream ended before "${needle}"`);
        text += decoder.decode(chunk.value);
      }
    };
    await readUntil('event: ready');
    notifyDataChanged();
    notifyDataChanged();
    await readUntil('event: change');
    expect(text.match(/event: change/g)).toHaveLength(1);
    controller.abort();
  });
});

describe('GET /api/dashboard', () => {
  it('answers with what the twelve calls it stands for answer', async () => {
    const params = 'range=7d&bucket=hour&limit=50&project=json-tools%2Fwork';
    const { status, body } = await get<DashboardResponse>(`/api/dashboard?${params}`);
    expect(status).toBe(200);
    const one = async (path: string, extra = '') => {
      const query = new URLSearchParams(params);
      for (const [name, value] of new URLSearchParams(extra)) query.set(name, value);
      return (await get<unknown>(`/api/${path}?${query}`)).body;
    };
    expect(body).toEqual({
      summary: await one('summary'),
      tokensByKind: await one('timeseries', 'groupBy=kind'),
      costByModel: await one('timeseries', 'groupBy=model'),
      dailyCost: await one('timeseries', 'groupBy=model&bucket=day'),
      models: await one('models'),
      tools: await one('tools'),
      messages: await one('messages'),
      sessions: await one('sessions'),
      projects: await one('projects'),
      block: await one('block'),
      budget: await one('budget'),
      telemetry: await one('telemetry'),
    });
    expect(body.summary.responses).toBeGreaterThan(0);
  });
});

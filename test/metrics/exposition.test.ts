import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import * as q from '../../src/store/metric-queries.js';
import type { Db } from '../../src/store/open-store.js';
import {
  createMetricsEndpoint,
  type MetricsEndpointOptions,
} from '../../src/views/metrics/metrics-endpoint.js';
import { storeWith } from '../helpers/store.js';
import { runTruth } from '../helpers/truth.js';
import { type Sample, samplesOf, sumOf } from './exposition-samples.js';
import { metricsStore, sendOtlp } from './metrics-store.js';
import { requireBinary } from './prometheus-process.js';

const RUNS = ['json-tools', 'pb-tools', 'grpc-tools'].map(runTruth);
const TRUTH = RUNS.flatMap((r) => r.both);
/** A moment in the fixtures' month (they were recorded on 2026-11-24). */
const IN_FIXTURE_MONTH = Date.UTC(2026, 10, 24, 12);
const totalCost = TRUTH.reduce((sum, t) => sum + t.cost, 0);
const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5';

function endpoint(db: Db, options: Partial<MetricsEndpointOptions> = {}) {
  return createMetricsEndpoint({
    db,
    timezone: 'UTC',
    view: 'both',
    mode: 'auto',
    labels: { perSession: false, perUser: false },
    now: () => IN_FIXTURE_MONTH,
    ...options,
  });
}

async function scrape(db: Db, options: Partial<MetricsEndpointOptions> = {}): Promise<Sample[]> {
  return samplesOf(await endpoint(db, options).render(''));
}

function promtoolCheck(text: string): { status: number | null; output: string } {
  requireBinary('promtool');
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('/metrics from the fixtures (transcripts and telemetry)', () => {
  const db = metricsStore(RUNS.map((r) => r.dir));

  it('passes promtool check metrics without a finding', async () => {
    expect(promtoolCheck(await endpoint(db).render(''))).toEqual({ status: 0, output: '' });
  });

  it("gives the fixtures' tokens, cost and counts", async () => {
    const s = await scrape(db);
    const sum = (k: 'input' | 'output' | 'cacheRead' | 'cacheCreation') =>
      TRUTH.reduce((n, t) => n + t[k], 0);
    expect(sumOf(s, 'claude_code_tokens_total', { type: 'input' })).toBe(sum('input'));
    expect(sumOf(s, 'claude_code_tokens_total', { type: 'output' })).toBe(sum('output'));
    expect(sumOf(s, 'claude_code_tokens_total', { type: 'cache_read' })).toBe(sum('cacheRead'));
    expect(sumOf(s, 'claude_code_tokens_total', { type: 'cache_creation' })).toBe(
      sum('cacheCreation'),
    );
    for (const t of TRUTH) {
      expect(sumOf(s, 'claude_code_cost_usd', { model: t.model })).toBe(t.cost);
      expect(sumOf(s, 'claude_code_cost_monthly_usd', { model: t.model })).toBe(t.cost);
      expect(sumOf(s, 'claude_code_api_requests_total', { model: t.model })).toBe(t.responses);
    }
    expect(sumOf(s, 'claude_code_cost_usd', { project: 'json-tools/work' })).toBe(0.07045215);
    expect(sumOf(s, 'claude_code_responses_total', { status: 'success' })).toBe(9);
    expect(sumOf(s, 'claude_code_sessions_total')).toBe(3);
    expect(sumOf(s, 'claude_code_messages_total', { role: 'assistant' })).toBe(9);
    expect(sumOf(s, 'claude_code_tools_total', { tool: 'Write' })).toBe(3);
    expect(sumOf(s, 'claude_code_tool_decisions_total', { decision: 'accept' })).toBe(6);
    expect(sumOf(s, 'claude_code_tool_results_total', { success: 'true' })).toBe(6);
    expect(sumOf(s, 'claude_code_api_request_duration_seconds_count')).toBe(9);
    expect(sumOf(s, 'claude_code_last_activity_timestamp', { project: 'json-tools/work' })).toBe(
      1795483746.524,
    );
    expect(sumOf(s, 'claude_code_budget_monthly_usd')).toBe(300);
    expect(sumOf(s, 'claude_code_budget_used_usd')).toBeCloseTo(totalCost, 12);
    expect(sumOf(s, 'claude_code_budget_remaining_usd')).toBeCloseTo(300 - totalCost, 12);
    expect(sumOf(s, 'claude_code_budget_used_percent')).toBeCloseTo((totalCost / 300) * 100, 12);
    expect(sumOf(s, 'ccmon_lines_ingested_total', { result: 'read' })).toBeGreaterThan(0);
    expect(sumOf(s, 'ccmon_store_size_bytes')).toBeGreaterThan(0);
    expect(sumOf(s, 'ccmon_scrape_duration_seconds')).toBeGreaterThan(0);
    expect(sumOf(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("exposes Claude Code's own metrics under the Collector's names, identities summed away", async () => {
    const s = await scrape(db);
    const names = new Set(s.map((x) => x.name));
    for (const name of [
      'claude_code_session_count_total',
      'claude_code_token_usage_tokens_total',
      'claude_code_cost_usage_USD_total',
      'claude_code_lines_of_code_count_total',
      'claude_code_code_edit_tool_decision_total',
      'claude_code_active_time_seconds_total',
    ]) {
      expect(names, name).toContain(name);
    }
    const tokens = TRUTH.reduce(
      (n, t) => n + t.input + t.output + t.cacheRead + t.cacheCreation,
      0,
    );
    expect(sumOf(s, 'claude_code_token_usage_tokens_total')).toBe(tokens);
    expect(sumOf(s, 'claude_code_token_usage_tokens_total', { type: 'cacheRead' })).toBe(2 * 30468);
    expect(sumOf(s, 'claude_code_session_count_total')).toBe(3);
    expect(sumOf(s, 'claude_code_lines_of_code_count_total', { type: 'added' })).toBe(15);
    const labels = new Set(s.flatMap((x) => Object.keys(x.labels)));
    for (const identity of ['session_id', 'user_id', 'user_email', 'user_account_uuid']) {
      expect(labels).not.toContain(identity);
    }
    expect(labels).toContain('terminal_type');
  });

  it('adds session and user labels only when asked, with the same sums', async () => {
    const s = await scrape(db, { labels: { perSession: true, perUser: true } });
    const series = s.filter((x) => x.name === 'claude_code_session_count_total');
    expect(series).toHaveLength(3);
    expect(series.every((x) => x.labels.session_id && x.labels.user_id)).toBe(true);
    expect(sumOf(s, 'claude_code_session_count_total')).toBe(3);
    const perUser = await scrape(db, { labels: { perSession: false, perUser: true } });
    const users = perUser.filter((x) => x.name === 'claude_code_session_count_total');
    expect(users.every((x) => x.labels.user_id && !x.labels.session_id)).toBe(true);
  });

  it('answers OpenMetrics when the scraper asks for it, and text again afterwards', async () => {
    const metrics = endpoint(db);
    expect(metrics.contentTypeFor(OPENMETRICS_ACCEPT)).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(metrics.contentTypeFor('*/*')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const om = await metrics.render(OPENMETRICS_ACCEPT);
    expect(om.endsWith('# EOF\n')).toBe(true);
    expect(om).toContain('# TYPE claude_code_tokens counter\n');
    expect(om).toContain('# TYPE claude_code_cost_usage_USD counter\n');
    expect(sumOf(samplesOf(om), 'claude_code_tokens_total')).toBeGreaterThan(0);
    const text = await metrics.render('');
    expect(text).toContain('# TYPE claude_code_tokens_total counter\n');
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('counts the month in --timezone', async () => {
    // 2026-12-01 05:00 UTC is still November in Los Angeles.
    const december = Date.UTC(2026, 11, 1, 5);
    const utc = await scrape(db, { now: () => december });
    expect(sumOf(utc, 'claude_code_budget_used_usd')).toBe(0);
    expect(sumOf(utc, 'claude_code_cost_usd')).toBeCloseTo(totalCost, 12);
    const la = await scrape(db, { now: () => december, timezone: 'America/Los_Angeles' });
    expect(sumOf(la, 'claude_code_budget_used_usd')).toBeCloseTo(totalCost, 12);
  });

  it('reports a budget overrun as negative remaining and over 100 percent', async () => {
    const s = await scrape(db, { budgetUsd: 0.1 });
    expect(sumOf(s, 'claude_code_budget_remaining_usd')).toBeCloseTo(0.1 - totalCost, 12);
    expect(sumOf(s, 'claude_code_budget_used_percent')).toBeCloseTo(totalCost * 1000, 9);
  });
});

describe('label values', () => {
  it('escapes quotes, backslashes and newlines and keeps non-ASCII project names', async () => {
    const { db } = storeWith([]);
    const weird = 'we"ird\\path\nnew';
    const accented = 'プロジェクト-café';
    db.prepare('INSERT INTO projects (id, path, name) VALUES (?, ?, ?)').run(1, '/x/weird', weird);
    db.prepare('INSERT INTO projects (id, path, name) VALUES (?, ?, ?)').run(2, '/x/jp', accented);
    const insert = db.prepare(
      `INSERT INTO responses (response_key, project_id, model, ts, status, has_transcript, t_input, t_cost_nanos)
       VALUES (?, ?, 'claude-sonnet-4-5-20250929', 1795483746000, 0, 1, 10, 30)`,
    );
    insert.run('a', 1);
    insert.run('b', 2);
    const text = await endpoint(db).render('');
    expect(text).toContain('project="we\\"ird\\\\path\\nnew"');
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    const projects = samplesOf(text)
      .filter((s) => s.name === 'claude_code_tokens_total' && s.labels.type === 'input')
      .map((s) => s.labels.project);
    expect(projects.sort()).toEqual([weird, accented].sort());
  });
});

describe('running totals', () => {
  // The history queries read the stored rows; with one bucket holding
  // everything they must equal the totals the triggers keep.
  const ALL = { originMs: 4e12, stepMs: 1, untilMs: 4e12 };

  const RUN_NAMES = [
    'json-tools',
    'json-cumulative-slow',
    '2.0.50-json-agent',
    '2.1.10-json-tools',
  ];
  for (const [run, telemetryFirst] of RUN_NAMES.flatMap((r) => [
    [r, true] as const,
    [r, false] as const,
  ])) {
    it(`agree with the stored rows: ${run}, ${telemetryFirst ? 'telemetry' : 'transcripts'} first`, () => {
      const { db } = storeWith([]);
      const { dir } = runTruth(run);
      if (telemetryFirst) sendOtlp(db, dir);
      ingestTranscripts(db, new PriceList(), projectsDirs([dir]));
      if (!telemetryFirst) sendOtlp(db, dir);
      const byKey = <T>(rows: T[], key: (r: T) => string, value: (r: T) => number) => {
        const m = new Map<string, number>();
        for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + value(r));
        // Float sums (OpenTelemetry cost) depend on the order they were added in.
        const rounded = [...m].map(([k, v]) => [k, Math.round(v * 1e9) / 1e9] as const);
        return Object.fromEntries(rounded.filter(([, v]) => v !== 0).sort());
      };
      for (const view of ['transcripts', 'telemetry', 'both'] as const) {
        for (const mode of ['auto', 'calculate', 'display'] as const) {
          const k = (u: { model: string; projectId: number; status: number }) =>
            `${u.model}|${u.projectId}|${u.status}`;
          const fig = (u: {
            responses: number;
            input: number;
            output: number;
            costNanos: number;
          }) => u.responses * 1e12 + u.input * 1e6 + u.output + u.costNanos * 1e-3;
          expect(byKey(q.usageTotals(db, { view, mode }), k, fig)).toEqual(
            byKey(q.usageHistory(db, { view, mode }, ALL), k, fig),
          );
        }
      }
      const count = (r: { key: string; projectId: number }) => `${r.key}|${r.projectId}`;
      expect(byKey(q.messageTotals(db), count, (r) => r.count)).toEqual(
        byKey(q.messageHistory(db, ALL), count, (r) => r.count),
      );
      expect(byKey(q.toolTotals(db), count, (r) => r.count)).toEqual(
        byKey(q.toolHistory(db, ALL), count, (r) => r.count),
      );
      const event = (e: { name: string; model: string; a: string; b: string; c: string }) =>
        `${e.name}|${e.model}|${e.a}|${e.b}|${e.c}`;
      expect(byKey(q.eventTotals(db), event, (e) => e.count)).toEqual(
        byKey(q.eventHistory(db, ALL), event, (e) => e.count),
      );
      const otel = (o: { name: string; attrs: string }) => `${o.name}|${o.attrs}`;
      expect(byKey(q.otelTotals(db, false), otel, (o) => o.value)).toEqual(
        byKey(q.otelHistory(db, ['session.id'], ALL), otel, (o) => o.value),
      );
    });
  }
});

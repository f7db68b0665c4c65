import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstant, parseStep } from '../../src/cli/backfill-run.js';
import { LocalCalendar } from '../../src/domain/local-calendar.js';
import { activitySpan } from '../../src/store/metric-queries.js';
import { writeBackfill } from '../../src/views/metrics/backfill.js';
import { tempDir } from '../helpers/store.js';
import { runTruth } from '../helpers/truth.js';
import { metricsStore } from './metrics-store.js';
import { type RunningPrometheus, requireBinary, startPrometheus } from './prometheus-process.js';

const RUNS = ['json-tools', 'pb-tools'].map(runTruth);
const TRUTH = RUNS.flatMap((r) => r.both);
const STEP_MS = 15 * 60_000;

describe('ccmon backfill into a real Prometheus', () => {
  const db = metricsStore(RUNS.map((r) => r.dir));
  const span = activitySpan(db);
  if (!span) throw new Error('the fixtures hold no activity');
  // From an hour before the first response to an hour after the last.
  const sinceMs = span.firstMs - 3_600_000;
  const untilMs = span.lastMs + 3_600_000;
  const dir = tempDir('ccmon-backfill-');
  const file = join(dir, 'claude-code.om');
  let text = '';
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    const labels = { perSession: false, perUser: false };
    writeBackfill(
      { db, view: 'both', mode: 'auto', labels, sinceMs, untilMs, stepMs: STEP_MS },
      (t) => {
        text += t;
      },
    );
    writeFileSync(file, text);
    requireBinary('promtool');
    const blocks = spawnSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'blocks')],
      { encoding: 'utf8' },
    );
    if (blocks.status !== 0) throw new Error(`promtool failed: ${blocks.stdout}${blocks.stderr}`);
    prometheus = await startPrometheus({ storagePath: join(dir, 'blocks') });
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('writes OpenMetrics with timestamps, ending with # EOF', () => {
    expect(text).toMatch(/^# HELP claude_code_tokens /);
    expect(text).toContain('# TYPE claude_code_tokens counter\n');
    expect(text).toMatch(/\nclaude_code_tokens_total\{[^}]+\} \d+ \d+\n/);
    expect(text.endsWith('\n# EOF\n')).toBe(true);
  });

  it("answers PromQL over the past with the store's figures", async () => {
    const end = (Math.floor(untilMs / STEP_MS) * STEP_MS) / 1000;
    const tokens = TRUTH.reduce(
      (n, t) => n + t.input + t.output + t.cacheRead + t.cacheCreation,
      0,
    );
    expect((await prometheus.query('sum(claude_code_tokens_total)', end))[0]?.value).toBe(tokens);
    const costs = await prometheus.query('sum by (model) (claude_code_cost_usd)', end);
    expect(Object.fromEntries(costs.map((c) => [c.metric.model, c.value]))).toEqual(
      Object.fromEntries(TRUTH.map((t) => [t.model, t.cost])),
    );
    const otel = await prometheus.query('sum(claude_code_token_usage_tokens_total)', end);
    expect(otel[0]?.value).toBe(tokens);
    const increase = await prometheus.query('sum(increase(claude_code_sessions_total[3h]))', end);
    expect(increase[0]?.value).toBeGreaterThan(0);
    // Before the first response nothing existed yet.
    const before = (Math.floor(sinceMs / STEP_MS) * STEP_MS) / 1000;
    expect(await prometheus.query('sum(claude_code_tokens_total)', before)).toEqual([]);
  });
});

describe('backfill options', () => {
  const utc = new LocalCalendar('UTC');

  it('reads steps and times', () => {
    expect(parseStep('15m')).toBe(900_000);
    expect(parseStep('1h')).toBe(3_600_000);
    expect(() => parseStep('1 hour')).toThrow(/--step/);
    expect(parseInstant('2026-11-01', '--since', utc)).toBe(Date.UTC(2026, 10, 1));
    expect(parseInstant('2026-11-01', '--until', utc)).toBe(Date.UTC(2026, 10, 2));
    expect(parseInstant('2026-11-01T09:00:00+01:00', '--since', utc)).toBe(
      Date.UTC(2026, 10, 1, 8),
    );
    expect(() => parseInstant('yesterday', '--since', utc)).toThrow(/--since/);
  });
});

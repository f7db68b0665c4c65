import { Counter, Gauge, type Metric } from 'prom-client';
import { CountedHistogram, type HistogramCounts } from './counted-histogram.js';
import { CUMULATIVE_FAMILIES, type Readings } from './figure-families.js';
import type { Scrape } from './scrape.js';

/** Upper bounds of the API request duration buckets; the store counts into the same (event_totals.le). */
export const DURATION_BOUNDS_MS: readonly number[] = [
  100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
];

/**
 * The exporter's claude_code_* metrics, each filled from the scrape's
 * readings in its collect().
 */
export function storeMetrics(scrape: () => Scrape, budgetUsd: number, timezone: string): Metric[] {
  const metrics: Metric[] = CUMULATIVE_FAMILIES.map((family) => {
    const { name, help, labelNames, divisor = 1 } = family;
    const figures = () =>
      family.figures(scrape().readings).map((f) => ({ ...f, value: f.value / divisor }));
    return family.type === 'counter'
      ? new Counter({
          name,
          help,
          labelNames,
          registers: [],
          collect() {
            this.reset();
            for (const f of figures()) this.inc(f.labels, f.value);
          },
        })
      : new Gauge({
          name,
          help,
          labelNames,
          registers: [],
          collect() {
            this.reset();
            for (const f of figures()) this.set(f.labels, f.value);
          },
        });
  });
  const budgetGauge = (name: string, help: string, value: () => number) =>
    new Gauge({
      name,
      help,
      registers: [],
      collect() {
        this.set(value());
      },
    });
  const used = () => scrape().monthUsedUsd();
  metrics.push(
    new Gauge({
      name: 'claude_code_cost_monthly_usd',
      help: `Cost in USD in the current calendar month (${timezone}), by model and project.`,
      labelNames: ['model', 'project'],
      registers: [],
      collect() {
        this.reset();
        for (const f of scrape().monthCost()) this.set(f.labels, f.value);
      },
    }),
    new Gauge({
      name: 'claude_code_last_activity_timestamp',
      help: 'Last activity in any session of the project, Unix seconds.',
      labelNames: ['project'],
      registers: [],
      collect() {
        this.reset();
        for (const [project, ms] of lastActivity(scrape().readings))
          this.set({ project }, ms / 1000);
      },
    }),
    budgetGauge(
      'claude_code_budget_monthly_usd',
      'Monthly budget in USD (--budget, CLAUDE_MONTHLY_BUDGET).',
      () => budgetUsd,
    ),
    budgetGauge('claude_code_budget_used_usd', 'Cost in USD of the current calendar month.', used),
    budgetGauge(
      'claude_code_budget_remaining_usd',
      'Monthly budget minus the cost of the current month, USD (negative when over budget).',
      () => budgetUsd - used(),
    ),
    budgetGauge(
      'claude_code_budget_used_percent',
      'Cost of the current month as a percentage of the monthly budget (0 without a budget).',
      () => (budgetUsd > 0 ? (used() / budgetUsd) * 100 : 0),
    ),
    new CountedHistogram(
      {
        name: 'claude_code_api_request_duration_seconds',
        help: "Duration of Claude Code's API requests from its api_request events, by model.",
        bounds: DURATION_BOUNDS_MS.map((ms) => ms / 1000),
      },
      () => durationCounts(scrape().readings),
    ),
  );
  return metrics;
}

function lastActivity(readings: Readings): Map<string, number> {
  const latest = new Map<string, number>();
  for (const s of readings.sessions()) {
    if (s.lastMs <= 0) continue;
    const project = readings.project(s.projectId);
    latest.set(project, Math.max(latest.get(project) ?? 0, s.lastMs));
  }
  return latest;
}

function durationCounts(readings: Readings): HistogramCounts[] {
  const byModel = new Map<string, HistogramCounts>();
  for (const e of readings.events()) {
    if (e.name !== 'api_request' || e.le === 0) continue;
    let series = byModel.get(e.model);
    if (!series) {
      const counts = DURATION_BOUNDS_MS.map(() => 0);
      series = { labels: { model: e.model }, counts, above: 0, sum: 0 };
      byModel.set(e.model, series);
    }
    const i = DURATION_BOUNDS_MS.indexOf(e.le);
    if (i >= 0) series.counts[i] = (series.counts[i] ?? 0) + e.count;
    else series.above += e.count;
    series.sum += e.durationMs / 1000;
  }
  return [...byModel.values()];
}

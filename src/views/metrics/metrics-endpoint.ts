import {
  type Counter,
  collectDefaultMetrics,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import { LocalCalendar } from '../../domain/local-calendar.js';
import type { CostMode, View } from '../../domain/usage.js';
import { otelTotals } from '../../store/metric-queries.js';
import type { Db } from '../../store/open-store.js';
import { healthMetrics } from './health-metrics.js';
import { type IdentityLabels, otelFamilies } from './otel-families.js';
import { OtelRegistrations } from './otel-registrations.js';
import { type Scrape, startScrape } from './scrape.js';
import { storeMetrics } from './store-metrics.js';

export interface MetricsEndpointOptions {
  db: Db;
  /** Monthly budget in USD (`--budget`, `CLAUDE_MONTHLY_BUDGET`); default 300. */
  budgetUsd?: number;
  /** IANA zone whose calendar month the monthly figures cover. */
  timezone: string;
  view: View;
  mode: CostMode;
  /** Per-session and per-user labels on Claude Code's own metrics (off: summed away). */
  labels: IdentityLabels;
  now?: () => number;
}

export interface MetricsEndpoint {
  /** The Content-Type `render(accept)` answers with. */
  contentTypeFor(accept: string): string;
  /** The exposition: OpenMetrics when `accept` prefers it, the Prometheus text format otherwise. */
  render(accept: string): Promise<string>;
  /** OTLP export requests answered: `otlpRequests.inc({ signal, protocol, status })`. */
  otlpRequests: Counter<'signal' | 'protocol' | 'status'>;
  /**
   * For more health metrics: create them with `registers: []`, then
   * `registry.registerMetric(metric)`. Render through `render`, which reads
   * the store once per scrape.
   */
  registry: Registry<RegistryContentType>;
}

export const DEFAULT_MONTHLY_BUDGET_USD = 300;

/** prom-client's default gauges that promtool rejects (`_total` on a gauge); the by-type gauges stay. */
const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * Prometheus exposition of the store, for `GET /metrics`. Every figure is
 * read from the store when scraped (no timers), so it survives restarts, and
 * counters are sums that never go down.
 */
export function createMetricsEndpoint(options: MetricsEndpointOptions): MetricsEndpoint {
  const { db, view, mode } = options;
  const source = {
    db,
    view,
    mode,
    calendar: new LocalCalendar(options.timezone),
    now: options.now ?? Date.now,
  };
  // The scrape being rendered; a registry read outside `render` reads afresh.
  let current: Scrape | undefined;
  const scrape = (): Scrape => current ?? startScrape(source);

  const registry = new Registry<RegistryContentType>();
  const budgetUsd = options.budgetUsd ?? DEFAULT_MONTHLY_BUDGET_USD;
  for (const m of storeMetrics(scrape, budgetUsd, options.timezone)) registry.registerMetric(m);
  const health = healthMetrics(db, scrape);
  for (const m of health.metrics) registry.registerMetric(m);
  collectDefaultMetrics({ register: registry });
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  registry.registerMetric(health.scrapeDuration);
  const otel = new OtelRegistrations(
    registry,
    new Set(registry.getMetricsAsArray().map((m) => m.name)),
  );

  const renderNow = async (accept: string): Promise<string> => {
    current = startScrape(source);
    try {
      otel.sync(otelFamilies(otelTotals(db, options.labels.perSession), options.labels));
      if (!wantsOpenMetrics(accept)) return await registry.metrics();
      // prom-client renames counters for OpenMetrics (drops `_total`) and never
      // renames them back; restore the names so the next text render has them.
      const names = registry.getMetricsAsArray().map((m) => [m, m.name] as const);
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      try {
        return await registry.metrics();
      } finally {
        registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
        for (const [metric, name] of names) metric.name = name;
      }
    } finally {
      current = undefined;
    }
  };
  // One render at a time: the registry's format and the scrape are shared state.
  let queue: Promise<unknown> = Promise.resolve();
  const render = (accept: string): Promise<string> => {
    const next = queue.then(() => renderNow(accept));
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    contentTypeFor: (accept) =>
      wantsOpenMetrics(accept)
        ? Registry.OPENMETRICS_CONTENT_TYPE
        : Registry.PROMETHEUS_CONTENT_TYPE,
    render,
    otlpRequests: health.otlpRequests,
    registry,
  };
}

/** Whether an Accept header prefers OpenMetrics to the Prometheus text format. */
export function wantsOpenMetrics(accept: string): boolean {
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2)) || 0;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text;
}

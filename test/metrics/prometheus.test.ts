import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsEndpoint } from '../../src/views/metrics/metrics-endpoint.js';
import { PROMQL_EXAMPLES } from '../../src/views/metrics/promql-examples.js';
import { runTruth } from '../helpers/truth.js';
import { metricsStore } from './metrics-store.js';
import { type RunningPrometheus, startPrometheus } from './prometheus-process.js';

const RUNS = ['json-tools', 'pb-tools', 'grpc-tools'].map(runTruth);
const TRUTH = RUNS.flatMap((r) => r.both);
const totalCost = TRUTH.reduce((sum, t) => sum + t.cost, 0);

describe('a real Prometheus scraping /metrics', () => {
  let server: Server;
  let prometheus: RunningPrometheus;
  const accepts: string[] = [];

  beforeAll(async () => {
    const metrics = createMetricsEndpoint({
      db: metricsStore(RUNS.map((r) => r.dir)),
      timezone: 'UTC',
      view: 'both',
      mode: 'auto',
      labels: { perSession: false, perUser: false },
      now: () => Date.UTC(2026, 10, 24, 12),
    });
    server = createServer((req, res) => {
      const accept = req.headers.accept ?? '';
      accepts.push(accept);
      metrics.render(accept).then(
        (body) => res.writeHead(200, { 'content-type': metrics.contentTypeFor(accept) }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    prometheus = await startPrometheus({ target: `127.0.0.1:${port}` });
    // Rates and increases need two samples of every series in their window.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const scrapes = await prometheus.query('count_over_time(up{job="ccmon"}[1m])');
      const tokens = await prometheus.query('claude_code_tokens_total');
      if ((scrapes[0]?.value ?? 0) >= 3 && tokens.length > 0) break;
      if (Date.now() > deadline)
        throw new Error('Prometheus did not scrape ccmon three times in 45 s');
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('scrapes it as OpenMetrics and finds it up', async () => {
    expect(accepts[0]).toContain('application/openmetrics-text');
    expect((await prometheus.query('up{job="ccmon"}'))[0]?.value).toBe(1);
  });

  it("answers PromQL with the fixtures' figures", async () => {
    const tokens = TRUTH.reduce(
      (n, t) => n + t.input + t.output + t.cacheRead + t.cacheCreation,
      0,
    );
    expect((await prometheus.query('sum(claude_code_tokens_total)'))[0]?.value).toBe(tokens);
    const costs = await prometheus.query('sum by (model) (claude_code_cost_usd)');
    expect(Object.fromEntries(costs.map((c) => [c.metric.model, c.value]))).toEqual(
      Object.fromEntries(TRUTH.map((t) => [t.model, t.cost])),
    );
    const percent = await prometheus.query('claude_code_budget_used_percent');
    expect(percent[0]?.value).toBeCloseTo((totalCost / 300) * 100, 12);
    const sessions = await prometheus.query('sum(claude_code_session_count_total)');
    expect(sessions[0]?.value).toBe(3);
    const requests = await prometheus.query(
      'sum(claude_code_api_requests_total{outcome="success"})',
    );
    expect(requests[0]?.value).toBe(9);
    const durations = await prometheus.query('sum(claude_code_api_request_duration_seconds_count)');
    expect(durations[0]?.value).toBe(9);
  });

  for (const example of PROMQL_EXAMPLES) {
    it(`README example answers: ${example.title}`, async () => {
      expect(await prometheus.query(example.expr)).not.toHaveLength(0);
    });
  }
});

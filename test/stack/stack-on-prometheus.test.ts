// The classic stack (deploy/) on the parts this machine has: the built
// `ccmon serve`, Debian's Prometheus running the stack's scrape jobs, and the
// collector's routing taken from its config. No collector binary exists here,
// so a second ccmon, fed only what the collector's `metrics` pipeline gets,
// stands in for its `prometheus` exporter: ccmon exposes Claude Code's
// metrics under that exporter's names, and with --per-session-labels and
// --per-user-labels keeps the labels it keeps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardQueries,
  defaultVariableValues,
  substituteVariables,
} from '../../dashboards/queries.js';
import { otlpBodiesOf } from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/store.js';
import { RUNS, runTruth } from '../helpers/truth.js';
import { type RunningPrometheus, startPrometheusWith } from '../metrics/prometheus-process.js';
import { type RunningCcmon, startCcmon } from '../serve/serve-process.js';
import { liveTraffic } from './live-traffic.js';
import { collectorExporters, type Signal, stackPrometheusConfig } from './stack-configs.js';

const TOKEN = 'stack-test-token';
const tokensOf = (rows: (typeof RUNS)[number]['both']) =>
  rows.reduce((n, t) => n + t.input + t.output + t.cacheRead + t.cacheCreation, 0);

describe('the stack: ccmon and the collector scraped by a real Prometheus', () => {
  let ccmon: RunningCcmon;
  let exporter: RunningCcmon;
  let prometheus: RunningPrometheus;

  /** Sends an OTLP/JSON body where the collector's pipeline for `signal` exports it. */
  async function collect(signal: Signal, body: unknown): Promise<void> {
    for (const { name, headers } of collectorExporters(signal)) {
      const port = { 'otlphttp/ccmon': ccmon.httpPort, prometheus: exporter.httpPort }[name];
      if (port === undefined) {
        throw new Error(`the ${signal} pipeline exports to ${name}, which this test cannot model`);
      }
      const env: Record<string, string> = { CCMON_AUTH_TOKEN: TOKEN };
      const expanded = Object.entries(headers).map(([key, value]) => [
        key,
        value.replace(/\$\{env:(\w+)\}/g, (_, variable: string) => env[variable] ?? ''),
      ]);
      const response = await fetch(`http://127.0.0.1:${port}/v1/${signal}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...Object.fromEntries(expanded) },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        throw new Error(`${name} refused ${signal}: ${response.status} ${await response.text()}`);
      }
    }
  }

  async function waitFor(what: string, expr: string, done: (value: number) => boolean) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = (await prometheus.query(expr))[0]?.value ?? Number.NaN;
      if (done(value)) return;
      if (Date.now() > deadline) throw new Error(`waited 30 s for ${what}: ${expr} is ${value}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    // --per-session-labels, unlike the stack's ccmon: should Claude Code's
    // metrics reach ccmon too, they would land on the exporter's sessions.
    ccmon = await startCcmon([
      ...RUNS.flatMap((run) => ['--claude-dir', run.dir]),
      '--auth-token',
      TOKEN,
      '--per-session-labels',
    ]);
    // An empty projects folder: `serve` does not announce itself while a
    // --claude-dir lacks one (its watcher never becomes ready).
    const noTranscripts = tempDir();
    mkdirSync(join(noTranscripts, 'projects'));
    // Without a token, as the collector's exporter has none.
    exporter = await startCcmon(
      ['--claude-dir', noTranscripts, '--per-session-labels', '--per-user-labels'],
      { CCMON_AUTH_TOKEN: '' },
    );
    for (const run of RUNS) {
      for (const body of otlpBodiesOf(run.dir)) {
        await collect(body.signal, body.json);
      }
    }
    const tokenFile = join(tempDir(), 'ccmon-token');
    writeFileSync(tokenFile, TOKEN);
    prometheus = await startPrometheusWith(
      stackPrometheusConfig({
        targets: { ccmon: new URL(ccmon.base).host, 'otel-collector': new URL(exporter.base).host },
        tokenFile,
        // The collector's exporter exposes Claude Code's metrics and nothing
        // else; the stand-in also has ccmon's budget and health gauges, which
        // would answer Statistics panels in ccmon's place.
        keep: { 'otel-collector': 'claude_code_.+_total' },
      }),
    );
    await waitFor('both jobs up', 'count(up == 1)', (n) => n === 2);
    // Rates and increases need two samples of every series in their window.
    await waitFor('two scrapes of each job', 'min(count_over_time(up[1m]))', (n) => n >= 2);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await ccmon?.stop();
    await exporter?.stop();
  });

  // Runs before the live traffic of the next describe (Vitest runs suites in
  // order), so Prometheus holds the fixtures alone.
  describe("Claude Code's metrics reach Prometheus once", () => {
    // Why this demonstrates the one-path rule: Prometheus scrapes two
    // targets, and a figure counts twice only if both expose it. The bodies
    // went where the collector's config sends them, and Prometheus scrapes
    // with prometheus.yml's jobs. ccmon, given the events and transcripts,
    // exposes its own names (claude_code_tokens_total); Claude Code's token
    // metric (claude_code_token_usage_tokens_total) comes from the exporter's
    // job alone. Had the metrics pipeline also exported to ccmon, ccmon would
    // expose that metric as well, and every check below would fail: the
    // session's sum would be twice the fixture's.

    it("counts json-tools' tokens once in Claude Code's own metric, summed over every job", async () => {
      // 16 + 69 + 16061 + 30468: the run's one session, named after its transcript.
      const truth = tokensOf(runTruth('json-tools').both);
      const sum = await prometheus.query(
        'sum(claude_code_token_usage_tokens_total{session_id="40cc3d35-1f79-4f50-aeaa-aa12c8ad8533"})',
      );
      expect(sum[0]?.value).toBe(truth);
    });

    it("counts every fixture's tokens once in ccmon's figures, summed over every job", async () => {
      const sum = await prometheus.query('sum(claude_code_tokens_total)');
      expect(sum[0]?.value).toBe(tokensOf(RUNS.flatMap((run) => run.both)));
    });

    it("leaves Claude Code's token metric out of ccmon's job", async () => {
      expect(await prometheus.query('claude_code_token_usage_tokens_total{job="ccmon"}')).toEqual(
        [],
      );
      expect(
        await prometheus.query('sum(claude_code_token_usage_tokens_total{job="otel-collector"})'),
      ).toHaveLength(1);
    });

    it('takes each claude_code_token* name from exactly one job', async () => {
      const series = await prometheus.query(
        'count by (__name__, job) ({__name__=~"claude_code_token.*"})',
      );
      const jobsByName = new Map<string, string[]>();
      for (const { metric } of series) {
        const name = metric.__name__ ?? '';
        jobsByName.set(name, [...(jobsByName.get(name) ?? []), metric.job ?? '']);
      }
      expect(Object.fromEntries(jobsByName)).toEqual({
        claude_code_tokens_total: ['ccmon'],
        claude_code_token_usage_tokens_total: ['otel-collector'],
      });
    });
  });

  describe('every dashboard expression returns data', () => {
    beforeAll(async () => {
      // A static store gives rates of 0, and histogram percentiles of NaN
      // without requests in the window; the fixtures hold no API error, commit
      // or pull request, and their month passes. So a session still running
      // sends a request, an error, a commit and a pull request between scrapes.
      const durations = 'sum(claude_code_api_request_duration_seconds_count)';
      const before = (await prometheus.query(durations))[0]?.value ?? 0;
      const live = liveTraffic(runTruth('json-tools').dir, new Date());
      await collect('logs', live.logs);
      await collect('metrics', live.metrics);
      await waitFor('the live request scraped', durations, (n) => n > before);
      for (const name of [
        'claude_code_commit_count_total',
        'claude_code_pull_request_count_total',
      ]) {
        await waitFor(`two scrapes of ${name}`, `min(count_over_time(${name}[1m]))`, (n) => n >= 2);
      }
    });

    it('answers every query of both dashboards with at least one series, none NaN', async () => {
      const lines: string[] = [];
      const failures: string[] = [];
      for (const query of dashboardQueries()) {
        // Prometheus stamps samples when it scrapes, not when Claude Code
        // worked, so an hour covers every scrape of this test.
        const expr = substituteVariables(query.expr, defaultVariableValues);
        const result = await prometheus.query(expr);
        const line = `${query.dashboard} / ${query.panel}: ${expr} -> ${result.length} series (${result[0]?.value ?? 'none'})`;
        lines.push(line);
        if (result.length === 0 || result.some((sample) => Number.isNaN(sample.value))) {
          failures.push(line);
        }
      }
      console.log(lines.join('\n'));
      expect(failures).toEqual([]);
    });
  });
});

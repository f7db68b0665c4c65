import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wantsOpenMetrics } from '../../src/views/metrics/metrics-endpoint.js';
import {
  labelValueOf,
  prometheusLabelName,
  prometheusMetricName,
} from '../../src/views/metrics/otel-names.js';
import { projectLabels } from '../../src/views/metrics/project-labels.js';
import { promqlExamplesMarkdown } from '../../src/views/metrics/promql-examples.js';

describe("Claude Code's metric names, as the OpenTelemetry Collector writes them", () => {
  it.each([
    ['claude_code.session.count', '', 'claude_code_session_count_total'],
    ['claude_code.token.usage', 'tokens', 'claude_code_token_usage_tokens_total'],
    ['claude_code.cost.usage', 'USD', 'claude_code_cost_usage_USD_total'],
    ['claude_code.lines_of_code.count', '', 'claude_code_lines_of_code_count_total'],
    ['claude_code.commit.count', '', 'claude_code_commit_count_total'],
    ['claude_code.pull_request.count', '', 'claude_code_pull_request_count_total'],
    ['claude_code.code_edit_tool.decision', '', 'claude_code_code_edit_tool_decision_total'],
    ['claude_code.active_time.total', 's', 'claude_code_active_time_seconds_total'],
  ])('%s (unit "%s") is %s', (name, unit, expected) => {
    expect(prometheusMetricName(name, unit, true)).toBe(expected);
  });

  it('keeps a unit the name already says, drops annotations, spells out rates', () => {
    expect(prometheusMetricName('x.tokens.used', 'tokens', true)).toBe('x_tokens_used_total');
    expect(prometheusMetricName('x.sessions', '{session}', true)).toBe('x_sessions_total');
    expect(prometheusMetricName('x.throughput', 'By/s', false)).toBe(
      'x_throughput_bytes_per_second',
    );
  });

  it('turns attribute names into label names', () => {
    expect(prometheusLabelName('user.email')).toBe('user_email');
    expect(prometheusLabelName('terminal.type')).toBe('terminal_type');
    expect(prometheusLabelName('1st')).toBe('key_1st');
    expect(labelValueOf(true)).toBe('true');
    expect(labelValueOf(['a', 1])).toBe('["a",1]');
  });
});

describe('project labels', () => {
  it('use the short name, and the shortest distinct path tail when two projects share it', () => {
    const labels = projectLabels([
      { id: 1, path: '/home/dev/client-a/api', name: 'api' },
      { id: 2, path: '/home/dev/client-b/api', name: 'api' },
      { id: 3, path: '/home/dev/tools', name: 'tools' },
    ]);
    expect(labels.get(1)).toBe('client-a/api');
    expect(labels.get(2)).toBe('client-b/api');
    expect(labels.get(3)).toBe('tools');
    expect(labels.get(0)).toBe('(unknown)');
  });

  it('stay unique when a tail equals another project name', () => {
    const labels = projectLabels([
      { id: 1, path: '/a/x/api', name: 'api' },
      { id: 2, path: '/b/x/api', name: 'api' },
      { id: 3, path: '/c/x', name: 'x/api' },
    ]);
    expect(new Set(labels.values()).size).toBe(4);
  });
});

describe('content negotiation', () => {
  it("answers OpenMetrics to Prometheus' Accept header and text to everyone else", () => {
    const prometheus =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    expect(wantsOpenMetrics(prometheus)).toBe(true);
    expect(wantsOpenMetrics('')).toBe(false);
    expect(wantsOpenMetrics('*/*')).toBe(false);
    expect(wantsOpenMetrics('text/plain;version=0.0.4')).toBe(false);
    expect(wantsOpenMetrics('text/plain, application/openmetrics-text;q=0.5')).toBe(false);
  });
});

describe('README', () => {
  it('shows the PromQL examples the Prometheus test runs', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('### PromQL examples');
    const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
    // Cells without the padding the Markdown formatter adds.
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('|') && !line.includes('---'))
      .map((line) => line.split(/ \| /).map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim()));
    const expected = promqlExamplesMarkdown()
      .split('\n')
      .filter((line) => !line.includes('---'))
      .map((line) => line.split(/ \| /).map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim()));
    expect(rows).toEqual(expected);
  });
});

// "Claude Code Usage": Claude Code's own OpenTelemetry metrics, as the
// collector's prometheus exporter names them (claude_code_cost_usage_USD_total,
// claude_code_token_usage_tokens_total, ...). Their series carry session_id,
// so each is short-lived: totals are increase(...[$__range]) summed over all
// sessions, never a plain sum of the latest values.
import type { Dashboard } from '@grafana/schema';
import { dashboard } from './dashboard.js';
import { barGauge, pieChart, stat, table, timeSeries } from './panels.js';
import { labelVariable } from './variables.js';

const user = 'user_email=~"$user"';
const modelUser = 'model=~"$model", user_email=~"$user"';

function overview() {
  const size = { width: 3, height: 4, noValue: '0' };
  const inRange = (metric: string, selector: string) =>
    `sum(increase(${metric}{${selector}}[$__range]))`;
  return {
    title: 'Overview',
    panels: [
      stat({
        ...size,
        title: 'Cost',
        description: 'Cost Claude Code reported during the selected range.',
        unit: 'currencyUSD',
        queries: [{ expr: inRange('claude_code_cost_usage_USD_total', modelUser) }],
      }),
      stat({
        ...size,
        title: 'Tokens',
        description: 'Input, output, cache read and cache creation tokens.',
        unit: 'short',
        queries: [{ expr: inRange('claude_code_token_usage_tokens_total', modelUser) }],
      }),
      stat({
        ...size,
        title: 'Sessions',
        description: 'Claude Code sessions started.',
        unit: 'short',
        queries: [{ expr: inRange('claude_code_session_count_total', user) }],
      }),
      stat({
        ...size,
        title: 'Lines added',
        description: 'Lines of code added by Claude Code’s edits.',
        unit: 'short',
        queries: [
          { expr: inRange('claude_code_lines_of_code_count_total', `${user}, type="added"`) },
        ],
      }),
      stat({
        ...size,
        title: 'Lines removed',
        description: 'Lines of code removed by Claude Code’s edits.',
        unit: 'short',
        queries: [
          { expr: inRange('claude_code_lines_of_code_count_total', `${user}, type="removed"`) },
        ],
      }),
      stat({
        ...size,
        title: 'Commits',
        description: 'Git commits Claude Code created.',
        unit: 'short',
        queries: [{ expr: inRange('claude_code_commit_count_total', user) }],
      }),
      stat({
        ...size,
        title: 'Pull requests',
        description: 'Pull requests Claude Code created.',
        unit: 'short',
        queries: [{ expr: inRange('claude_code_pull_request_count_total', user) }],
      }),
      stat({
        ...size,
        title: 'Active time',
        description: 'Time actively spent: user typing plus Claude Code working.',
        unit: 's',
        queries: [{ expr: inRange('claude_code_active_time_seconds_total', user) }],
      }),
    ],
  };
}

function costAndTokens() {
  return {
    title: 'Cost & Tokens',
    panels: [
      timeSeries({
        width: 12,
        height: 8,
        title: 'Cost per hour by model',
        description: 'Hourly rate of cost by model.',
        unit: 'currencyUSD',
        stacked: true,
        queries: [
          {
            expr: `sum by (model) (rate(claude_code_cost_usage_USD_total{${modelUser}}[$__rate_interval])) * 3600`,
            legend: '{{model}}',
          },
        ],
      }),
      timeSeries({
        width: 12,
        height: 8,
        title: 'Tokens per hour by type',
        description: 'Hourly rate of tokens by kind.',
        unit: 'short',
        stacked: true,
        queries: [
          {
            expr: `sum by (type) (rate(claude_code_token_usage_tokens_total{${modelUser}}[$__rate_interval])) * 3600`,
            legend: '{{type}}',
          },
        ],
      }),
      pieChart({
        width: 8,
        height: 8,
        title: 'Cost by model',
        description: 'Cost during the selected range, by model.',
        unit: 'currencyUSD',
        queries: [
          {
            expr: `sum by (model) (increase(claude_code_cost_usage_USD_total{${modelUser}}[$__range]))`,
            legend: '{{model}}',
          },
        ],
      }),
      table({
        width: 16,
        height: 8,
        title: 'Tokens by model and type',
        description: 'Tokens during the selected range, by model and kind.',
        sortBy: 'Tokens',
        queries: [
          {
            expr: `sum by (model, type) (increase(claude_code_token_usage_tokens_total{${modelUser}}[$__range]))`,
            legend: 'Tokens',
            unit: 'short',
          },
        ],
      }),
    ],
  };
}

function codeAndDecisions() {
  const decisions = (by: string) =>
    `sum by (${by}) (increase(claude_code_code_edit_tool_decision_total{${user}}[$__range]))`;
  return {
    title: 'Code & Edit Decisions',
    panels: [
      timeSeries({
        width: 12,
        height: 8,
        title: 'Lines of code per hour',
        description: 'Hourly rate of lines added and removed.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (type) (rate(claude_code_lines_of_code_count_total{${user}}[$__rate_interval])) * 3600`,
            legend: '{{type}}',
          },
        ],
      }),
      barGauge({
        width: 12,
        height: 8,
        title: 'Edit decisions by tool',
        description: 'Accepted and rejected Edit, Write and NotebookEdit permission prompts.',
        unit: 'short',
        queries: [{ expr: decisions('tool_name, decision'), legend: '{{tool_name}} {{decision}}' }],
      }),
      barGauge({
        width: 8,
        height: 8,
        title: 'Edit decisions by language',
        description: 'Decisions by the language of the edited file.',
        unit: 'short',
        queries: [{ expr: decisions('language, decision'), legend: '{{language}} {{decision}}' }],
      }),
      pieChart({
        width: 8,
        height: 8,
        title: 'Edit decisions by source',
        description: 'Who decided: config (allow rules), user (prompt), ...',
        unit: 'short',
        queries: [{ expr: decisions('source'), legend: '{{source}}' }],
      }),
      pieChart({
        width: 8,
        height: 8,
        title: 'Active time by type',
        description: 'User time (typing, reading) against CLI time (Claude Code working).',
        unit: 's',
        queries: [
          {
            expr: `sum by (type) (increase(claude_code_active_time_seconds_total{${user}}[$__range]))`,
            legend: '{{type}}',
          },
        ],
      }),
    ],
  };
}

function sessionsAndActivity() {
  return {
    title: 'Sessions & Activity',
    panels: [
      timeSeries({
        width: 12,
        height: 8,
        title: 'Sessions per hour',
        description: 'Hourly rate of sessions started.',
        unit: 'short',
        queries: [
          {
            expr: `sum(rate(claude_code_session_count_total{${user}}[$__rate_interval])) * 3600`,
            legend: 'sessions',
          },
        ],
      }),
      timeSeries({
        width: 12,
        height: 8,
        title: 'Active time per hour by type',
        description: 'Seconds of activity per hour, user against CLI.',
        unit: 's',
        stacked: true,
        queries: [
          {
            expr: `sum by (type) (rate(claude_code_active_time_seconds_total{${user}}[$__rate_interval])) * 3600`,
            legend: '{{type}}',
          },
        ],
      }),
      pieChart({
        width: 8,
        height: 8,
        title: 'Sessions by terminal',
        description: 'Sessions by terminal type (vscode, iTerm.app, tmux, non-interactive, ...).',
        unit: 'short',
        queries: [
          {
            expr: `sum by (terminal_type) (increase(claude_code_session_count_total{${user}}[$__range]))`,
            legend: '{{terminal_type}}',
          },
        ],
      }),
      timeSeries({
        width: 16,
        height: 8,
        title: 'Commits and pull requests per day',
        description: 'Daily rate of commits and pull requests Claude Code created.',
        unit: 'short',
        queries: [
          {
            expr: `sum(rate(claude_code_commit_count_total{${user}}[$__rate_interval])) * 86400`,
            legend: 'commits',
          },
          {
            expr: `sum(rate(claude_code_pull_request_count_total{${user}}[$__rate_interval])) * 86400`,
            legend: 'pull requests',
          },
        ],
      }),
    ],
  };
}

function perUser() {
  const byUser = (metric: string, selector: string) =>
    `sum by (user_email) (increase(${metric}{${selector}}[$__range]))`;
  return {
    title: 'Per User',
    panels: [
      table({
        width: 24,
        height: 8,
        title: 'Usage by user',
        description:
          'Per user.email, which Claude Code sends for logged-in users; without it all usage is one row.',
        sortBy: 'Cost',
        queries: [
          {
            expr: byUser('claude_code_cost_usage_USD_total', modelUser),
            legend: 'Cost',
            unit: 'currencyUSD',
          },
          {
            expr: byUser('claude_code_token_usage_tokens_total', modelUser),
            legend: 'Tokens',
            unit: 'short',
          },
          {
            expr: byUser('claude_code_session_count_total', user),
            legend: 'Sessions',
            unit: 'short',
          },
          {
            expr: byUser('claude_code_active_time_seconds_total', user),
            legend: 'Active time',
            unit: 's',
          },
          {
            expr: byUser('claude_code_lines_of_code_count_total', `${user}, type="added"`),
            legend: 'Lines added',
            unit: 'short',
          },
          {
            expr: byUser('claude_code_commit_count_total', user),
            legend: 'Commits',
            unit: 'short',
          },
        ],
      }),
      timeSeries({
        width: 24,
        height: 8,
        title: 'Cost per hour by user',
        description: 'Hourly rate of cost by user.',
        unit: 'currencyUSD',
        stacked: true,
        queries: [
          {
            expr: `sum by (user_email) (rate(claude_code_cost_usage_USD_total{${modelUser}}[$__rate_interval])) * 3600`,
            legend: '{{user_email}}',
          },
        ],
      }),
    ],
  };
}

export function usageDashboard(): Dashboard {
  return dashboard({
    uid: 'ccmon-claude-code-usage',
    title: 'Claude Code Usage',
    description:
      'Claude Code’s own OpenTelemetry metrics through the collector: cost, tokens, sessions, code and edit decisions.',
    from: 'now-7d',
    variables: [
      labelVariable({
        name: 'model',
        label: 'Model',
        values: 'label_values(claude_code_token_usage_tokens_total, model)',
      }),
      labelVariable({
        name: 'user',
        label: 'User',
        values: 'label_values(claude_code_session_count_total, user_email)',
      }),
    ],
    rows: [overview(), costAndTokens(), codeAndDecisions(), sessionsAndActivity(), perUser()],
  });
}

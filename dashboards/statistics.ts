// "Claude Code Statistics": ccmon's own exporter metrics (claude_code_cost_usd,
// claude_code_tokens_total, ... from transcripts, claude_code_api_* from
// Claude Code's events, ccmon_* about ccmon itself).
//
// ccmon's counters hold all-time totals from its store, so a plain sum is
// "all time" and increase(...[$__range]) is "during the selected range".
import { type Dashboard, ThresholdsMode } from '@grafana/schema';
import { dashboard } from './dashboard.js';
import {
  barGauge,
  gauge,
  pieChart,
  stat,
  table,
  timeSeries,
  warnAlertThresholds,
} from './panels.js';
import { labelVariable } from './variables.js';

const project = 'project=~"$project"';
const projectModel = 'project=~"$project", model=~"$model"';

/** Month-to-date cost over the elapsed part of the month (at least a day), as in alerts.yml. */
const monthEndProjection =
  'max(claude_code_budget_used_usd) * scalar(days_in_month())' +
  ' / scalar(clamp_min(day_of_month() - 1 + hour() / 24 + minute() / 1440, 1))';

function overview() {
  const size = { width: 3, height: 4 };
  return {
    title: 'Overview',
    panels: [
      stat({
        ...size,
        title: 'Total cost',
        description: 'All-time cost ccmon computed from the transcripts it has read.',
        unit: 'currencyUSD',
        queries: [{ expr: `sum(claude_code_cost_usd{${projectModel}})` }],
      }),
      stat({
        ...size,
        title: 'Cost in range',
        description: 'Cost added during the selected time range.',
        unit: 'currencyUSD',
        noValue: '0',
        queries: [{ expr: `sum(increase(claude_code_cost_usd{${projectModel}}[$__range]))` }],
      }),
      stat({
        ...size,
        title: 'Month to date',
        description: 'Cost since the first day of this month, in ccmon’s time zone.',
        unit: 'currencyUSD',
        queries: [{ expr: `sum(claude_code_cost_monthly_usd{${projectModel}})` }],
      }),
      stat({
        ...size,
        title: 'Total tokens',
        description: 'Input, output, cache read and cache creation tokens, all time.',
        unit: 'short',
        queries: [{ expr: `sum(claude_code_tokens_total{${projectModel}})` }],
      }),
      stat({
        ...size,
        title: 'Sessions',
        description: 'Claude Code sessions (transcript files), all time.',
        unit: 'short',
        queries: [{ expr: `sum(claude_code_sessions_total{${project}})` }],
      }),
      stat({
        ...size,
        title: 'API responses',
        description: 'Unique API responses, deduplicated by message id, all time.',
        unit: 'short',
        queries: [{ expr: `sum(claude_code_responses_total{${project}})` }],
      }),
      stat({
        ...size,
        title: 'Tool calls',
        description: 'Tool uses in assistant messages, all time.',
        unit: 'short',
        queries: [{ expr: `sum(claude_code_tools_total{${project}})` }],
      }),
      stat({
        ...size,
        title: 'Cache read share',
        description:
          'Share of input-side tokens read from the prompt cache: cache read / (input + cache read + cache creation).',
        unit: 'percentunit',
        decimals: 1,
        queries: [
          {
            expr:
              `sum(claude_code_tokens_total{${projectModel}, type="cache_read"})` +
              ` / sum(claude_code_tokens_total{${projectModel}, type=~"input|cache_read|cache_creation"})`,
          },
        ],
      }),
    ],
  };
}

function budgetAndHealth() {
  const budget = { width: 4, height: 5 };
  const health = { width: 4, height: 6 };
  return {
    title: 'Budget & Health',
    panels: [
      gauge({
        ...budget,
        title: 'Budget used',
        description:
          'Month-to-date cost as a share of CLAUDE_MONTHLY_BUDGET. Empty without a budget.',
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: warnAlertThresholds(80, 100),
        queries: [{ expr: 'max(claude_code_budget_used_percent)' }],
      }),
      stat({
        ...budget,
        title: 'Monthly budget',
        description: 'CLAUDE_MONTHLY_BUDGET (or ccmon serve --budget).',
        unit: 'currencyUSD',
        queries: [{ expr: 'max(claude_code_budget_monthly_usd)' }],
      }),
      stat({
        ...budget,
        title: 'Budget spent',
        description: 'Month-to-date cost counted against the budget.',
        unit: 'currencyUSD',
        queries: [{ expr: 'max(claude_code_budget_used_usd)' }],
      }),
      stat({
        ...budget,
        title: 'Budget remaining',
        description: 'Budget minus month-to-date cost.',
        unit: 'currencyUSD',
        thresholds: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { color: 'red', value: null },
            { color: 'green', value: 0 },
          ],
        },
        queries: [{ expr: 'max(claude_code_budget_remaining_usd)' }],
      }),
      stat({
        ...budget,
        title: 'Month-end projection',
        description:
          'Month-to-date cost extrapolated to the end of the month (UTC calendar; the elapsed time counts as at least one day).',
        unit: 'currencyUSD',
        queries: [{ expr: monthEndProjection }],
      }),
      stat({
        ...budget,
        title: 'Last activity',
        description: 'Time of the newest transcript line ccmon has read.',
        unit: 'dateTimeFromNow',
        queries: [{ expr: `max(claude_code_last_activity_timestamp{${project}}) * 1000` }],
      }),
      barGauge({
        ...health,
        width: 8,
        title: 'Transcript lines ingested',
        description: 'Lines ccmon has read, by result (stored, duplicate, skipped, rejected, ...).',
        unit: 'short',
        queries: [{ expr: 'sum by (result) (ccmon_lines_ingested_total)', legend: '{{result}}' }],
      }),
      barGauge({
        ...health,
        width: 8,
        title: 'OTLP requests',
        description: 'OTLP requests ccmon received, by signal, protocol and status.',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (signal, protocol, status) (ccmon_otlp_requests_total)',
            legend: '{{signal}} {{protocol}} {{status}}',
          },
        ],
      }),
      stat({
        ...health,
        title: 'Store size',
        description: 'Size of ccmon’s SQLite store on disk.',
        unit: 'bytes',
        queries: [{ expr: 'max(ccmon_store_size_bytes)' }],
      }),
      stat({
        ...health,
        title: 'Metrics build time',
        description: 'How long ccmon took to answer the last scrape of /metrics.',
        unit: 's',
        thresholds: warnAlertThresholds(1, 5),
        queries: [{ expr: 'max(ccmon_scrape_duration_seconds)' }],
      }),
    ],
  };
}

function tokenAndCostTrends() {
  const size = { width: 12, height: 8 };
  return {
    title: 'Token & Cost Trends',
    panels: [
      timeSeries({
        ...size,
        title: 'Tokens per hour by type',
        description: 'Hourly rate of tokens by kind.',
        unit: 'short',
        stacked: true,
        queries: [
          {
            expr: `sum by (type) (rate(claude_code_tokens_total{${projectModel}}[$__rate_interval])) * 3600`,
            legend: '{{type}}',
          },
        ],
      }),
      timeSeries({
        ...size,
        title: 'Cost per hour by model',
        description: 'Hourly rate of cost by model.',
        unit: 'currencyUSD',
        stacked: true,
        queries: [
          {
            expr: `sum by (model) (rate(claude_code_cost_usd{${projectModel}}[$__rate_interval])) * 3600`,
            legend: '{{model}}',
          },
        ],
      }),
      timeSeries({
        ...size,
        title: 'Cumulative cost by model',
        description: 'All-time cost by model as ccmon reported it over time.',
        unit: 'currencyUSD',
        queries: [
          { expr: `sum by (model) (claude_code_cost_usd{${projectModel}})`, legend: '{{model}}' },
        ],
      }),
      timeSeries({
        ...size,
        title: 'Cumulative tokens by type',
        description: 'All-time tokens by kind as ccmon reported them over time.',
        unit: 'short',
        queries: [
          { expr: `sum by (type) (claude_code_tokens_total{${projectModel}})`, legend: '{{type}}' },
        ],
      }),
    ],
  };
}

function dailyCost() {
  return {
    title: 'Daily Cost',
    panels: [
      timeSeries({
        width: 16,
        height: 8,
        title: 'Daily cost by model',
        description: 'Cost per day (UTC days: one bar per 24 h step), stacked by model.',
        unit: 'currencyUSD',
        bars: true,
        stacked: true,
        interval: '1d',
        queries: [
          {
            expr: `sum by (model) (increase(claude_code_cost_usd{${projectModel}}[1d]))`,
            legend: '{{model}}',
          },
        ],
      }),
      stat({
        width: 4,
        height: 8,
        title: 'Last 24 hours',
        description: 'Cost added in the last 24 hours.',
        unit: 'currencyUSD',
        noValue: '0',
        queries: [{ expr: `sum(increase(claude_code_cost_usd{${projectModel}}[1d]))` }],
      }),
      barGauge({
        width: 4,
        height: 8,
        title: 'Month to date by model',
        description: 'Cost since the first day of this month, by model.',
        unit: 'currencyUSD',
        queries: [
          {
            expr: `sort_desc(sum by (model) (claude_code_cost_monthly_usd{${projectModel}}))`,
            legend: '{{model}}',
          },
        ],
      }),
    ],
  };
}

function modelAndToolAnalytics() {
  const size = { width: 8, height: 8 };
  return {
    title: 'Model & Tool Analytics',
    panels: [
      pieChart({
        ...size,
        title: 'Cost by model',
        description: 'All-time cost by model.',
        unit: 'currencyUSD',
        queries: [
          { expr: `sum by (model) (claude_code_cost_usd{${projectModel}})`, legend: '{{model}}' },
        ],
      }),
      table({
        ...size,
        title: 'Tokens by model and type',
        description: 'All-time tokens by model and kind.',
        sortBy: 'Tokens',
        queries: [
          {
            expr: `sum by (model, type) (claude_code_tokens_total{${projectModel}})`,
            legend: 'Tokens',
            unit: 'short',
          },
        ],
      }),
      barGauge({
        ...size,
        title: 'Top tools',
        description: 'The 15 most used tools, all time.',
        unit: 'short',
        queries: [
          {
            expr: `topk(15, sum by (tool) (claude_code_tools_total{${project}}))`,
            legend: '{{tool}}',
          },
        ],
      }),
      barGauge({
        ...size,
        title: 'API requests by model and outcome',
        description: 'From Claude Code’s api_request and api_error events (OTLP logs).',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (model, outcome) (claude_code_api_requests_total{model=~"$model"})',
            legend: '{{model}} {{outcome}}',
          },
        ],
      }),
      barGauge({
        ...size,
        title: 'API errors by status code',
        description:
          'From Claude Code’s api_error events: 429 rate limited, 529 overloaded, 5xx server errors.',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (status_code) (claude_code_api_errors_total)',
            legend: '{{status_code}}',
          },
        ],
      }),
      timeSeries({
        ...size,
        title: 'API request duration',
        description: 'Median and 95th percentile of API request duration, from api_request events.',
        unit: 's',
        queries: [
          {
            expr: 'histogram_quantile(0.5, sum by (le) (rate(claude_code_api_request_duration_seconds_bucket{model=~"$model"}[$__rate_interval])))',
            legend: 'p50',
          },
          {
            expr: 'histogram_quantile(0.95, sum by (le) (rate(claude_code_api_request_duration_seconds_bucket{model=~"$model"}[$__rate_interval])))',
            legend: 'p95',
          },
        ],
      }),
      barGauge({
        ...size,
        title: 'Tool results',
        description: 'From tool_result events: runs of each tool, by success.',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (tool, success) (claude_code_tool_results_total)',
            legend: '{{tool}} success={{success}}',
          },
        ],
      }),
      barGauge({
        ...size,
        title: 'Tool permission decisions',
        description:
          'From tool_decision events: accepted or rejected, and who decided (config, user, ...).',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (tool, decision, source) (claude_code_tool_decisions_total)',
            legend: '{{tool}} {{decision}} ({{source}})',
          },
        ],
      }),
      pieChart({
        ...size,
        title: 'Responses by status',
        description: 'How API responses ended: success, truncated (max tokens) or error.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (status) (claude_code_responses_total{${project}})`,
            legend: '{{status}}',
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
      stat({
        width: 4,
        height: 8,
        title: 'New sessions in range',
        description: 'Sessions that started during the selected time range.',
        unit: 'short',
        noValue: '0',
        queries: [{ expr: `sum(increase(claude_code_sessions_total{${project}}[$__range]))` }],
      }),
      stat({
        width: 4,
        height: 8,
        title: 'Messages in range',
        description: 'User and assistant messages during the selected time range.',
        unit: 'short',
        noValue: '0',
        queries: [{ expr: `sum(increase(claude_code_messages_total{${project}}[$__range]))` }],
      }),
      timeSeries({
        width: 16,
        height: 8,
        title: 'Messages per hour by role',
        description: 'Hourly rate of messages by role.',
        unit: 'short',
        stacked: true,
        queries: [
          {
            expr: `sum by (role) (rate(claude_code_messages_total{${project}}[$__rate_interval])) * 3600`,
            legend: '{{role}}',
          },
        ],
      }),
      pieChart({
        width: 8,
        height: 8,
        title: 'Messages by role',
        description: 'All-time messages by role.',
        unit: 'short',
        queries: [
          { expr: `sum by (role) (claude_code_messages_total{${project}})`, legend: '{{role}}' },
        ],
      }),
      table({
        width: 16,
        height: 8,
        title: 'Activity by project',
        description: 'Latest transcript activity and session count per project.',
        sortBy: 'Last activity',
        queries: [
          {
            expr: `max by (project) (claude_code_last_activity_timestamp{${project}}) * 1000`,
            legend: 'Last activity',
            unit: 'dateTimeAsIso',
          },
          {
            expr: `sum by (project) (claude_code_sessions_total{${project}})`,
            legend: 'Sessions',
            unit: 'short',
          },
        ],
      }),
    ],
  };
}

function projectsBreakdown() {
  return {
    title: 'Projects Breakdown',
    panels: [
      barGauge({
        width: 12,
        height: 10,
        title: 'Cost by project',
        description: 'All-time cost by project.',
        unit: 'currencyUSD',
        queries: [
          {
            expr: `sort_desc(sum by (project) (claude_code_cost_usd{${projectModel}}))`,
            legend: '{{project}}',
          },
        ],
      }),
      barGauge({
        width: 12,
        height: 10,
        title: 'Tokens by project',
        description: 'All-time tokens by project.',
        unit: 'short',
        queries: [
          {
            expr: `sort_desc(sum by (project) (claude_code_tokens_total{${projectModel}}))`,
            legend: '{{project}}',
          },
        ],
      }),
      table({
        width: 24,
        height: 10,
        title: 'Projects',
        description: 'Cost, tokens, sessions and tool calls per project.',
        sortBy: 'Cost',
        queries: [
          {
            expr: `sum by (project) (claude_code_cost_usd{${projectModel}})`,
            legend: 'Cost',
            unit: 'currencyUSD',
          },
          {
            expr: `sum by (project) (claude_code_cost_monthly_usd{${projectModel}})`,
            legend: 'Month to date',
            unit: 'currencyUSD',
          },
          {
            expr: `sum by (project) (claude_code_tokens_total{${projectModel}})`,
            legend: 'Tokens',
            unit: 'short',
          },
          {
            expr: `sum by (project) (claude_code_sessions_total{${project}})`,
            legend: 'Sessions',
            unit: 'short',
          },
          {
            expr: `sum by (project) (claude_code_tools_total{${project}})`,
            legend: 'Tool calls',
            unit: 'short',
          },
        ],
      }),
    ],
  };
}

export function statisticsDashboard(): Dashboard {
  return dashboard({
    uid: 'ccmon-claude-code-statistics',
    title: 'Claude Code Statistics',
    description:
      'Cost, tokens, budget, sessions and tools from ccmon: transcripts plus Claude Code’s OTLP events.',
    from: 'now-30d',
    variables: [
      labelVariable({
        name: 'project',
        label: 'Project',
        values: 'label_values(claude_code_tokens_total, project)',
      }),
      labelVariable({
        name: 'model',
        label: 'Model',
        values: `label_values(claude_code_tokens_total{${project}}, model)`,
      }),
    ],
    rows: [
      overview(),
      budgetAndHealth(),
      tokenAndCostTrends(),
      dailyCost(),
      modelAndToolAnalytics(),
      sessionsAndActivity(),
      projectsBreakdown(),
    ],
  });
}

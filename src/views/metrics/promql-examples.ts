/**
 * PromQL for the README's Prometheus section. test/metrics runs every one
 * against a real Prometheus scraping ccmon, so they cannot rot.
 */
export interface PromqlExample {
  title: string;
  expr: string;
}

export const PROMQL_EXAMPLES: readonly PromqlExample[] = [
  {
    title: 'Total cost over the last 24 hours (USD)',
    expr: 'sum(delta(claude_code_cost_usd[24h]))',
  },
  { title: 'Tokens by type', expr: 'sum by (type) (claude_code_tokens_total)' },
  {
    title: 'Active sessions (started in the last hour)',
    expr: 'sum(increase(claude_code_sessions_total[1h]))',
  },
  {
    title: 'Lines of code modified over the last hour, added and removed (OpenTelemetry)',
    expr: 'sum by (type) (increase(claude_code_lines_of_code_count_total[1h]))',
  },
  { title: 'Cost by project (USD)', expr: 'sort_desc(sum by (project) (claude_code_cost_usd))' },
  { title: 'Budget left this month (USD)', expr: 'claude_code_budget_remaining_usd' },
  {
    title: 'Cost this month by model (USD)',
    expr: 'sum by (model) (claude_code_cost_monthly_usd)',
  },
  {
    title: 'API request latency, 95th percentile over 5 minutes (seconds)',
    expr: 'histogram_quantile(0.95, sum by (le) (rate(claude_code_api_request_duration_seconds_bucket[5m])))',
  },
];

/** The examples as a Markdown table. */
export function promqlExamplesMarkdown(
  examples: readonly PromqlExample[] = PROMQL_EXAMPLES,
): string {
  const rows = examples.map((e) => `| ${e.title} | \`${e.expr.replace(/\|/g, '\\|')}\` |`);
  return ['| What | PromQL |', '|---|---|', ...rows].join('\n');
}

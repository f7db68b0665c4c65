// Every PromQL expression of the dashboards, and the substitution of
// Grafana's variables, so a test can run them against a real Prometheus.
import type { Dashboard } from '@grafana/schema';
import { statisticsDashboard } from './statistics.js';
import { usageDashboard } from './usage.js';

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

function queriesOf(board: Dashboard): DashboardQuery[] {
  const dashboardTitle = board.title ?? '';
  return (board.panels ?? []).flatMap((panel) =>
    panel.type === 'row' || !('targets' in panel)
      ? []
      : (panel.targets ?? []).flatMap((target) =>
          typeof target.expr === 'string'
            ? [{ dashboard: dashboardTitle, panel: panel.title ?? '', expr: target.expr }]
            : [],
        ),
  );
}

/** One entry per query of every panel, in dashboard order. */
export function dashboardQueries(): DashboardQuery[] {
  return [usageDashboard(), statisticsDashboard()].flatMap(queriesOf);
}

/** Values that make an expression runnable as-is; "All" of a label variable is `.*`. */
export const defaultVariableValues: Readonly<Record<string, string>> = {
  __range: '1h',
  __rate_interval: '1m',
  __interval: '1m',
  project: '.*',
  model: '.*',
  user: '.*',
};

/**
 * Replaces `$name` and `${name}` with concrete values. Throws on a variable
 * without a value, so a new dashboard variable cannot slip past the test.
 */
export function substituteVariables(
  expr: string,
  values: Readonly<Record<string, string>> = defaultVariableValues,
): string {
  return expr.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (match, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const value = values[name];
      if (value === undefined) {
        throw new Error(`No value for Grafana variable ${match} in: ${expr}`);
      }
      return value;
    },
  );
}

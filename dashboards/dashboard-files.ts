// The dashboards as the JSON files Grafana provisions from deploy/.
import { statisticsDashboard } from './statistics.js';
import { usageDashboard } from './usage.js';

/** Relative to the repository root. */
export const dashboardDir = 'deploy/grafana/dashboards';

export interface DashboardFile {
  name: string;
  json: string;
}

export function dashboardFiles(): DashboardFile[] {
  return [
    { name: 'claude-code-usage.json', json: render(usageDashboard()) },
    { name: 'claude-code-statistics.json', json: render(statisticsDashboard()) },
  ];
}

function render(dashboard: object): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

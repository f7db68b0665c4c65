import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Panel, RowPanel } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dashboardDir, dashboardFiles } from '../../dashboards/dashboard-files.js';
import { dashboardQueries, substituteVariables } from '../../dashboards/queries.js';
import { statisticsDashboard } from '../../dashboards/statistics.js';
import { usageDashboard } from '../../dashboards/usage.js';
import { repoRoot, requireTool, run } from './tools.js';

const rowTitles = (panels: Array<Panel | RowPanel> = []) =>
  panels.filter((panel) => panel.type === 'row').map((panel) => panel.title);

describe('Grafana dashboards', () => {
  it.each(dashboardFiles())(
    '$name is committed as the code generates it (npm run dashboards)',
    (file) => {
      const committed = readFileSync(join(repoRoot, dashboardDir, file.name), 'utf8');
      expect(committed).toBe(file.json);
    },
  );

  it('Statistics has its seven rows in order and project and model filters', () => {
    const board = statisticsDashboard();
    expect(rowTitles(board.panels)).toEqual([
      'Overview',
      'Budget & Health',
      'Token & Cost Trends',
      'Daily Cost',
      'Model & Tool Analytics',
      'Sessions & Activity',
      'Projects Breakdown',
    ]);
    expect(board.templating?.list?.map((variable) => variable.name)).toEqual([
      'datasource',
      'project',
      'model',
    ]);
  });

  it('Usage reads Claude Code’s own metrics, filtered by model and user', () => {
    const board = usageDashboard();
    expect(board.templating?.list?.map((variable) => variable.name)).toEqual([
      'datasource',
      'model',
      'user',
    ]);
    const exprs = dashboardQueries()
      .filter((query) => query.dashboard === 'Claude Code Usage')
      .map((query) => query.expr)
      .join('\n');
    for (const metric of [
      'claude_code_session_count_total',
      'claude_code_token_usage_tokens_total',
      'claude_code_cost_usage_USD_total',
      'claude_code_lines_of_code_count_total',
      'claude_code_commit_count_total',
      'claude_code_pull_request_count_total',
      'claude_code_code_edit_tool_decision_total',
      'claude_code_active_time_seconds_total',
    ]) {
      expect(exprs).toContain(metric);
    }
  });

  it.each([usageDashboard(), statisticsDashboard()])(
    '$title places panels inside the grid without overlaps, with unique ids',
    (board) => {
      const panels = board.panels ?? [];
      const cells = new Set<string>();
      for (const panel of panels) {
        const { x, y, w, h } = panel.gridPos ?? { x: 0, y: 0, w: 0, h: 0 };
        expect(x + w, panel.title).toBeLessThanOrEqual(24);
        for (let row = y; row < y + h; row += 1) {
          for (let column = x; column < x + w; column += 1) {
            expect(
              cells.has(`${row}:${column}`),
              `${panel.title} overlaps at ${row}:${column}`,
            ).toBe(false);
            cells.add(`${row}:${column}`);
          }
        }
      }
      expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    },
  );

  it('lists every query of every panel', () => {
    const queries = dashboardQueries();
    expect(queries).toContainEqual({
      dashboard: 'Claude Code Statistics',
      panel: 'Total cost',
      expr: 'sum(claude_code_cost_usd{project=~"$project", model=~"$model"})',
    });
    const panelsWithQueries = [usageDashboard(), statisticsDashboard()]
      .flatMap((board) => board.panels ?? [])
      .filter((panel) => panel.type !== 'row');
    expect(new Set(queries.map((query) => `${query.dashboard}/${query.panel}`)).size).toBe(
      panelsWithQueries.length,
    );
  });

  it('substitutes Grafana variables with concrete values, and refuses unknown ones', () => {
    expect(
      substituteVariables(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name} form
        'sum by (model) (increase(claude_code_cost_usd{project=~"$project", model=~"${model}"}[$__range]))',
      ),
    ).toBe('sum by (model) (increase(claude_code_cost_usd{project=~".*", model=~".*"}[1h]))');
    expect(substituteVariables('rate(x[$__rate_interval])', { __rate_interval: '2m' })).toBe(
      'rate(x[2m])',
    );
    expect(() => substituteVariables('x{team="$team"}')).toThrow(/\$team/);
  });

  it('has only valid PromQL once the variables are substituted (promtool check rules)', () => {
    requireTool('promtool', 'apt-get install -y prometheus');
    const rules = dashboardQueries().map((query, index) => ({
      record: `dashboard_query_${index}`,
      expr: substituteVariables(query.expr),
    }));
    const file = join(mkdtempSync(join(tmpdir(), 'ccmon-dashboards-')), 'queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    const result = run('promtool', ['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.status, result.output).toBe(0);
  });
});

import type { Db } from '../../store/open-store.js';
import { usageRows } from '../../store/usage-queries.js';
import {
  type GroupJson,
  groupJson,
  metaJson,
  type ReportMetaJson,
  type TotalsJson,
  totalsJson,
} from './ccusage-json.js';
import { formatTokens } from './cell-format.js';
import { notesOf, type ReportNote, tableFooter } from './report-notes.js';
import type { ReportOptions } from './report-options.js';
import { type Project, reportScope } from './report-scope.js';
import type { TableStyle } from './text-table.js';
import { addToGroup, emptyGroup, totalOf, type UsageGroup } from './usage-groups.js';
import { usageTable } from './usage-table.js';

export interface ProjectEntry {
  /** Undefined for responses no transcript placed in a project (telemetry-only). */
  project: Project | undefined;
  group: UsageGroup;
  sessions: number;
}

export interface ProjectReport {
  options: ReportOptions;
  /** By last activity, in `options.order`. */
  projects: ProjectEntry[];
  total: UsageGroup;
  sessions: number;
  notes: ReportNote[];
  localTime: (ms: number) => string;
}

export function projectReport(db: Db, options: ReportOptions): ProjectReport {
  const scope = reportScope(db, options);
  const rows = usageRows(db, scope.filter, { project: true, session: true, model: true });
  const byProject = new Map<number, { group: UsageGroup; sessions: Set<string> }>();
  const allSessions = new Set<string>();
  for (const row of rows) {
    let entry = byProject.get(row.projectId);
    if (!entry) {
      entry = { group: emptyGroup(String(row.projectId)), sessions: new Set() };
      byProject.set(row.projectId, entry);
    }
    addToGroup(entry.group, row);
    if (row.sessionId !== '') {
      entry.sessions.add(row.sessionId);
      allSessions.add(row.sessionId);
    }
  }
  const projects = [...byProject].map(([id, { group, sessions }]) => ({
    project: scope.projects.get(id),
    group,
    sessions: sessions.size,
  }));
  projects.sort((a, b) => a.group.totals.lastMs - b.group.totals.lastMs);
  if (options.order === 'desc') projects.reverse();
  const total = totalOf(projects.map((p) => p.group));
  return {
    options,
    projects,
    total,
    sessions: allSessions.size,
    notes: notesOf(total, scope, options.view),
    localTime: (ms) => scope.calendar.timeAt(ms),
  };
}

export interface ProjectJson extends GroupJson {
  projectName: string;
  projectPath: string;
  sessions: number;
  firstActivity: string;
  lastActivity: string;
}

export interface ProjectsJson extends ReportMetaJson {
  projects: ProjectJson[];
  totals: TotalsJson & { sessions: number };
}

const NO_PROJECT = '(no project)';

/** ccmon's own report, in ccusage's naming. */
export function projectJson(report: ProjectReport): ProjectsJson {
  return {
    projects: report.projects.map(({ project, group, sessions }) =>
      groupJson(
        {
          projectName: project?.name ?? NO_PROJECT,
          projectPath: project?.path ?? '',
          sessions,
          firstActivity: new Date(group.totals.firstMs).toISOString(),
          lastActivity: new Date(group.totals.lastMs).toISOString(),
        },
        group,
      ),
    ),
    totals: { ...totalsJson(report.total.totals), sessions: report.sessions },
    ...metaJson(report.options, report.notes),
  };
}

export function projectTable(report: ProjectReport, style: TableStyle): string {
  const { options } = report;
  const table =
    report.projects.length === 0
      ? ''
      : usageTable(
          [
            { header: 'Project' },
            { header: 'Sessions', align: 'right', dropRank: 3 },
            { header: 'Responses', align: 'right', dropRank: 2 },
            { header: 'Last Activity', dropRank: 4 },
          ],
          report.projects.map(({ project, group, sessions }) => ({
            labels: [
              project?.name ?? NO_PROJECT,
              formatTokens(sessions),
              formatTokens(group.totals.responses),
              report.localTime(group.totals.lastMs),
            ],
            group,
          })),
          {
            labels: [
              'Total',
              formatTokens(report.sessions),
              formatTokens(report.total.totals.responses),
            ],
            group: report.total,
          },
          options.breakdown,
          style,
        );
  return `${table}${table ? '\n' : ''}${tableFooter(report.notes, options.view, options.timezone, style)}`;
}

import { addTotals } from '../../domain/usage-totals.js';
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
import { notesOf, type ReportNote, tableFooter } from './report-notes.js';
import type { ReportOptions } from './report-options.js';
import { type Project, reportScope } from './report-scope.js';
import type { TableStyle } from './text-table.js';
import { addToGroup, emptyGroup, type UsageGroup } from './usage-groups.js';
import { usageTable } from './usage-table.js';

export interface SessionEntry {
  /** Keyed by session id ('' for responses without one). */
  group: UsageGroup;
  /** The project of the session's latest response. */
  project: Project | undefined;
}

export interface SessionReport {
  options: ReportOptions;
  /** By last activity, in `options.order`. */
  sessions: SessionEntry[];
  total: UsageGroup;
  notes: ReportNote[];
  localTime: (ms: number) => string;
}

export function sessionReport(db: Db, options: ReportOptions): SessionReport {
  const scope = reportScope(db, options);
  const rows = usageRows(db, scope.filter, { session: true, project: true, model: true });
  const sessions = new Map<string, SessionEntry & { projectSeenMs: number }>();
  const total = emptyGroup('total');
  // Rows come grouped by session: the last entry answers most lookups.
  let entry: (SessionEntry & { projectSeenMs: number }) | undefined;
  for (const row of rows) {
    if (entry?.group.key !== row.sessionId) {
      entry = sessions.get(row.sessionId);
      if (!entry) {
        entry = { group: emptyGroup(row.sessionId), project: undefined, projectSeenMs: -1 };
        sessions.set(row.sessionId, entry);
      }
    }
    addToGroup(total, row);
    // Mostly one row per session and model: the row itself is then the model's totals.
    const models = entry.group.models;
    if (models.has(row.model)) addToGroup(entry.group, row);
    else {
      addTotals(entry.group.totals, row);
      models.set(row.model, row);
    }
    if (row.lastMs > entry.projectSeenMs) {
      entry.project = scope.projects.get(row.projectId);
      entry.projectSeenMs = row.lastMs;
    }
  }
  const sorted: SessionEntry[] = [...sessions.values()].sort(
    (a, b) =>
      a.group.totals.lastMs - b.group.totals.lastMs || a.group.key.localeCompare(b.group.key),
  );
  if (options.order === 'desc') sorted.reverse();
  return {
    options,
    sessions: sorted,
    total,
    notes: notesOf(total, scope, options.view),
    localTime: (ms) => scope.calendar.timeAt(ms),
  };
}

export interface SessionJson extends GroupJson {
  sessionId: string;
  /** The project's working directory (ccusage gives Claude Code's folder name for it). */
  projectPath: string;
  projectName: string;
  firstActivity: string;
  lastActivity: string;
}

export interface SessionsJson extends ReportMetaJson {
  sessions: SessionJson[];
  totals: TotalsJson;
}

/** ccusage's `session` JSON, plus ccmon's fields. */
export function sessionJson(report: SessionReport): SessionsJson {
  return {
    sessions: report.sessions.map(({ group, project }) =>
      groupJson(
        {
          sessionId: group.key,
          projectPath: project?.path ?? '',
          projectName: project?.name ?? '',
          firstActivity: new Date(group.totals.firstMs).toISOString(),
          lastActivity: new Date(group.totals.lastMs).toISOString(),
        },
        group,
      ),
    ),
    totals: totalsJson(report.total.totals),
    ...metaJson(report.options, report.notes),
  };
}

export function sessionTable(report: SessionReport, style: TableStyle): string {
  const { options } = report;
  const table =
    report.sessions.length === 0
      ? ''
      : usageTable(
          [
            { header: 'Session' },
            { header: 'Project', dropRank: 5 },
            { header: 'Last Activity', dropRank: 4 },
          ],
          report.sessions.map(({ group, project }) => ({
            labels: [
              group.key.slice(0, 8) || '(none)',
              project?.name ?? '',
              report.localTime(group.totals.lastMs),
            ],
            group,
          })),
          { labels: ['Total'], group: report.total },
          options.breakdown,
          style,
        );
  return `${table}${table ? '\n' : ''}${tableFooter(report.notes, options.view, options.timezone, style)}`;
}

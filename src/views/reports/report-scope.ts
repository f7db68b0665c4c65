import { addDays, LocalCalendar } from '../../domain/local-calendar.js';
import type { Db } from '../../store/open-store.js';
import type { UsageFilter } from '../../store/usage-queries.js';
import type { ReportOptions } from './report-options.js';

export interface Project {
  id: number;
  path: string;
  name: string;
}

/** The responses a report covers, and what it needs to name things. */
export interface ReportScope {
  filter: UsageFilter;
  calendar: LocalCalendar;
  projects: Map<number, Project>;
  /** E.g. ` from 2026-11-01 to 2026-11-30 for project "api"`, for the empty-report hint. */
  description: string;
  /** `--project` matched nothing: the names that exist. */
  knownProjects?: string[];
}

/** Claude Code's folder name for a cwd (ccusage's `projectPath`): all but letters and digits become `-`. */
const folderOf = (path: string): string => path.replace(/[^a-zA-Z0-9]/g, '-');

function projectMatches(p: Project, query: string): boolean {
  return (
    p.name === query ||
    p.path === query.replace(/(?<=.)[\\/]+$/, '') ||
    folderOf(p.path) === query ||
    p.name.toLowerCase() === query.toLowerCase()
  );
}

export function reportScope(db: Db, options: ReportOptions): ReportScope {
  const calendar = new LocalCalendar(options.timezone);
  const projects = new Map(
    db
      .prepare<[], Project>('SELECT id, path, name FROM projects')
      .all()
      .map((p) => [p.id, p]),
  );
  const filter: UsageFilter = { view: options.view, mode: options.mode };
  const parts: string[] = [];
  if (options.since !== undefined) {
    filter.fromMs = calendar.startOfDay(options.since);
    parts.push(`from ${options.since}`);
  }
  if (options.until !== undefined) {
    filter.toMs = calendar.startOfDay(addDays(options.until, 1));
    parts.push(`to ${options.until}`);
  }
  if (parts.length > 0) parts.push(`(${options.timezone})`);
  const scope: ReportScope = { filter, calendar, projects, description: '' };
  if (options.project !== undefined) {
    const query = options.project;
    filter.projectIds = [...projects.values()]
      .filter((p) => projectMatches(p, query))
      .map((p) => p.id);
    parts.push(`for project "${query}"`);
    if (filter.projectIds.length === 0) {
      scope.knownProjects = [...new Set([...projects.values()].map((p) => p.name))].sort();
    }
  }
  scope.description = parts.length > 0 ? ` ${parts.join(' ')}` : '';
  return scope;
}

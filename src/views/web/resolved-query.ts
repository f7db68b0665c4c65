import { type ActivityFilter, allProjects } from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import {
  type ProjectsAndSessions,
  projectsAndSessions,
  type UsageFilter,
} from '../../store/usage-queries.js';
import type { Scope } from './api-types.js';
import { BadRequest, type DashboardQuery } from './query-params.js';

/** A checked query with its project names turned into store ids, ready for the store queries. */
export interface ResolvedQuery {
  q: DashboardQuery;
  now: number;
  /** For `usageRows` and the other queries on responses. */
  usage: UsageFilter;
  /** For tables keyed by session: messages, tools, events, metrics. */
  activity: ActivityFilter;
  scope: Scope;
  /**
   * Usage per project and the latest sessions, read once per request: the
   * projects table and the sessions table both come from it (over 90 days
   * each reading took ~20 ms).
   */
  projectsAndSessions: () => ProjectsAndSessions;
}

export function resolveQuery(db: Db, q: DashboardQuery, now: number): ResolvedQuery {
  let projectIds: number[] | undefined;
  if (q.projects.length > 0) {
    const known = allProjects(db);
    projectIds = [];
    for (const wanted of q.projects) {
      const ids = known.filter((p) => p.name === wanted || p.path === wanted).map((p) => p.id);
      if (ids.length === 0)
        throw new BadRequest(`no project is named "${wanted}"; /api/meta lists them`);
      projectIds.push(...ids);
    }
  }
  const models = q.models.length > 0 ? q.models : undefined;
  const usage: UsageFilter = {
    view: q.view,
    mode: q.mode,
    fromMs: q.fromMs,
    toMs: q.toMs,
    projectIds,
    models,
  };
  let projectsAndSessionsRead: ProjectsAndSessions | undefined;
  return {
    q,
    now,
    usage,
    activity: { fromMs: q.fromMs, toMs: q.toMs, projectIds },
    scope: {
      view: q.view,
      mode: q.mode,
      timezone: q.timezone,
      from: q.fromMs,
      to: q.toMs ?? null,
      range: q.range,
      filters: { project: q.projects, model: q.models },
      generatedAt: now,
    },
    projectsAndSessions: () => {
      projectsAndSessionsRead ??= projectsAndSessions(db, usage, q.limit);
      return projectsAndSessionsRead;
    },
  };
}

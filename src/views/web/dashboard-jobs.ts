import { usdToNanos } from '../../domain/money.js';
import type { CostMode, View } from '../../domain/usage.js';
import type { Db } from '../../store/open-store.js';
import { messageFigures, toolFigures } from './activity-figures.js';
import type { DashboardResponse, TimeseriesResponse } from './api-types.js';
import { blockFigures, budgetFigures } from './block-figures.js';
import { parseDashboardQuery } from './query-params.js';
import { type ResolvedQuery, resolveQuery } from './resolved-query.js';
import { telemetryFigures } from './telemetry-figures.js';
import {
  modelFigures,
  projectFigures,
  sessionFigures,
  summaryFigures,
  timeseriesFigures,
} from './usage-figures.js';

/** What a request does not say: the server's settings. */
export interface FigureSettings {
  view: View;
  mode: CostMode;
  timezone: string;
  /** Monthly budget in nano-dollars, or null for none. */
  budgetNanos: number | null;
}

/**
 * The settings of a server started with `options`; throws a RangeError for a
 * budget that is not a positive number of USD.
 */
export function figureSettings(options: {
  view: View;
  mode: CostMode;
  timezone: string;
  budgetUsd?: number;
}): FigureSettings {
  const usd = options.budgetUsd;
  if (usd !== undefined && (!Number.isFinite(usd) || usd <= 0)) {
    throw new RangeError(`the monthly budget must be a positive number of USD; got ${usd}`);
  }
  return {
    view: options.view,
    mode: options.mode,
    timezone: options.timezone,
    budgetNanos: usd === undefined ? null : usdToNanos(usd),
  };
}

/** A request's query resolved against the store; `set` overrides some of its parameters. */
export function resolvedQuery(
  db: Db,
  settings: FigureSettings,
  search: string,
  at: number,
  set: Record<string, string> = {},
): ResolvedQuery {
  const params = new URLSearchParams(search);
  for (const [name, value] of Object.entries(set)) params.set(name, value);
  const q = parseDashboardQuery(params, {
    view: settings.view,
    mode: settings.mode,
    timezone: settings.timezone,
    now: at,
  });
  return resolveQuery(db, q, at);
}

/**
 * The dashboard's answer cut into jobs that each read the store on their own,
 * heaviest first (as measured over a year of history), so that several
 * connections can share them. Figures that read the same rows stay together.
 */
export const DASHBOARD_JOBS = [
  'telemetry',
  'messages',
  'summary',
  'sessions',
  'tools',
  'costByModel',
  'tokensByKind',
  'models',
  'budget',
] as const;

export type DashboardJob = (typeof DASHBOARD_JOBS)[number];

/** The dashboard's answer, with how long each job took (wall time, ms). */
export interface TimedDashboard {
  answer: DashboardResponse;
  jobMs: Partial<Record<DashboardJob, number>>;
}

/** One job's part of the answer and how long it took (wall time, ms). */
export interface TimedPart {
  figures: Partial<DashboardResponse>;
  ms: number;
}

/** `runDashboardJob`, timed. */
export function runTimedDashboardJob(
  db: Db,
  settings: FigureSettings,
  search: string,
  at: number,
  job: DashboardJob,
): TimedPart {
  const started = performance.now();
  const figures = runDashboardJob(db, settings, search, at, job);
  return { figures, ms: performance.now() - started };
}

/** The answer made of every job's part, given in the order of DASHBOARD_JOBS. */
export function assembledDashboard(parts: readonly TimedPart[]): TimedDashboard {
  const answer: Partial<DashboardResponse> = {};
  const jobMs: TimedDashboard['jobMs'] = {};
  DASHBOARD_JOBS.forEach((job, i) => {
    const part = parts[i];
    if (!part) return;
    Object.assign(answer, part.figures);
    jobMs[job] = part.ms;
  });
  return { answer: answer as DashboardResponse, jobMs };
}

/**
 * A `Server-Timing` header value: the whole answer's time, then each job's,
 * so a browser's developer tools show where an answer's time went. A job's
 * time on a reader thread includes any wait for a core, not for a reader.
 */
export function serverTiming(totalMs: number, jobMs: TimedDashboard['jobMs']): string {
  const entries = [`total;dur=${totalMs.toFixed(1)}`];
  for (const job of DASHBOARD_JOBS) {
    const ms = jobMs[job];
    if (ms !== undefined) entries.push(`${job};dur=${ms.toFixed(1)}`);
  }
  return entries.join(', ');
}

/** One job's part of the dashboard's answer, for the query `search` at time `at`. */
export function runDashboardJob(
  db: Db,
  settings: FigureSettings,
  search: string,
  at: number,
  job: DashboardJob,
): Partial<DashboardResponse> {
  const rq = resolvedQuery(db, settings, search, at);
  const withParams = (set: Record<string, string>) => resolvedQuery(db, settings, search, at, set);
  switch (job) {
    case 'summary': {
      const block = blockFigures(db, rq);
      return { summary: summaryFigures(db, rq, block.block), block };
    }
    case 'tokensByKind':
      return { tokensByKind: timeseriesFigures(db, withParams({ groupBy: 'kind' })) };
    case 'costByModel': {
      const costByModel: TimeseriesResponse = timeseriesFigures(
        db,
        withParams({ groupBy: 'model' }),
      );
      // Trends by day (long ranges) are the daily cost already.
      const dailyCost =
        costByModel.bucket === 'day'
          ? costByModel
          : timeseriesFigures(db, withParams({ groupBy: 'model', bucket: 'day' }));
      return { costByModel, dailyCost };
    }
    case 'models':
      return { models: modelFigures(db, rq) };
    case 'tools':
      return { tools: toolFigures(db, rq) };
    case 'messages':
      return { messages: messageFigures(db, rq) };
    // Both read the usage per project and session in range once.
    case 'sessions':
      return { sessions: sessionFigures(db, rq), projects: projectFigures(db, rq) };
    case 'budget':
      return { budget: budgetFigures(db, rq, settings.budgetNanos) };
    case 'telemetry':
      return { telemetry: telemetryFigures(db, rq) };
  }
}

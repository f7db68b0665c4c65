import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CostMode, View } from '../../domain/usage.js';
import { allProjects, hasTelemetry, modelsSeen } from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import { messageFigures, toolFigures } from './activity-figures.js';
import type { MetaResponse } from './api-types.js';
import { authorize } from './auth.js';
import { blockFigures, budgetFigures } from './block-figures.js';
import {
  assembledDashboard,
  DASHBOARD_JOBS,
  figureSettings,
  resolvedQuery,
  runTimedDashboardJob,
  serverTiming,
  type TimedDashboard,
  type TimedPart,
} from './dashboard-jobs.js';
import { EventStreams } from './data-changes.js';
import type { FiguresPool } from './figures-pool.js';
import { type HealthFacts, healthFigures } from './health-figures.js';
import { sendError, sendJson, setSecurityHeaders } from './http-responses.js';
import { dashboardQuery, filtersFromUrl } from './page-url.js';
import { BadRequest } from './query-params.js';
import type { ResolvedQuery } from './resolved-query.js';
import { allowHeader, allowsMethod, findRoute, type Route } from './router.js';
import { defaultAssetsDir, StaticAssets } from './static-assets.js';
import { telemetryFigures } from './telemetry-figures.js';
import {
  modelFigures,
  projectFigures,
  sessionFigures,
  summaryFigures,
  timeseriesFigures,
} from './usage-figures.js';

export interface WebOptions {
  db: Db;
  version: string;
  /** When the server started (Unix ms), for uptime. */
  startedAt: number;
  /** Monthly budget in USD; omitted: no budget. */
  budgetUsd?: number;
  /** IANA zone for days, weeks and months unless a request says `tz`. */
  timezone: string;
  view: View;
  mode: CostMode;
  /** When set, every route but /health (and public extra routes) needs it. */
  authToken?: string;
  /** Facts only the server knows, read on each /health request. */
  health?: () => HealthFacts;
  /**
   * More routes, tried after /health and /api/* and before the dashboard's
   * files: e.g. `{ path: '/metrics', methods: ['GET'], handle }` and
   * `{ path: '/v1/*', public: true, handle }` for the OTLP receivers.
   */
  extraRoutes?: readonly Route[];
  /** The `vite build` output; default: dist/web of this package. */
  assetsDir?: string;
  /** The clock (tests pin it). */
  now?: () => number;
  /** Reader threads for the dashboard's figures; without, they are computed on this thread. */
  figuresPool?: FiguresPool;
  /** Told about unexpected errors (answered with 500). */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/** A `node:http` request listener; `close()` ends open event streams before `server.close()`. */
export type WebHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  close(): void;
};

/** The HTTP side of `ccmon serve`: /health, the JSON API under /api/, and the dashboard. */
export function createWebHandler(options: WebOptions): WebHandler {
  const { db } = options;
  const now = options.now ?? Date.now;
  const streams = new EventStreams();
  // The browser fetches the page's figures as the page arrives, while its
  // script loads, and the script's own requests take those answers.
  const assets = new StaticAssets(
    options.assetsDir ?? defaultAssetsDir(),
    (url) =>
      `<api/meta>; rel=preload; as=fetch; crossorigin, <api/dashboard?${dashboardQuery(filtersFromUrl(url.search))}>; rel=preload; as=fetch; crossorigin`,
  );

  const settings = figureSettings(options);
  const { budgetNanos } = settings;
  const query = (url: URL, at = now()): ResolvedQuery =>
    resolvedQuery(db, settings, url.search, at);
  /**
   * One answer for the whole page: a dozen calls cost a browser more than the
   * figures do. With a pool its jobs run on reader threads; without, each on
   * the main thread a turn apart, so that the requests that come meanwhile
   * (the page's own script) need not wait for all of it.
   */
  const dashboardOf = async (url: URL): Promise<TimedDashboard> => {
    const at = now();
    // Checked here, so that a bad query is a 400 before any job starts.
    query(url, at);
    const pool = options.figuresPool;
    if (pool?.usable) return pool.dashboard(url.search, at);
    const parts: TimedPart[] = [];
    for (const job of DASHBOARD_JOBS) {
      parts.push(runTimedDashboardJob(db, settings, url.search, at, job));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return assembledDashboard(parts);
  };
  const api = (path: string, figures: (rq: ResolvedQuery) => unknown): Route => ({
    path: `/api/${path}`,
    methods: ['GET'],
    handle: (_req, res, url) => sendJson(res, 200, figures(query(url))),
  });

  const routes: Route[] = [
    {
      path: '/health',
      methods: ['GET'],
      public: true,
      handle: (_req, res) => {
        const facts = options.health?.() ?? { rejectedOtlpRequests: 0 };
        const { httpStatus, body } = healthFigures(
          db,
          { version: options.version, startedAt: options.startedAt, now: now() },
          facts,
        );
        sendJson(res, httpStatus, body);
      },
    },
    api(
      'meta',
      (rq): MetaResponse => ({
        version: options.version,
        view: rq.q.view,
        mode: rq.q.mode,
        timezone: rq.q.timezone,
        startedAt: options.startedAt,
        budgetNanos,
        projects: allProjects(db),
        models: modelsSeen(db, rq.q.view),
        telemetry: hasTelemetry(db),
      }),
    ),
    api('summary', (rq) => summaryFigures(db, rq, blockFigures(db, rq).block)),
    api('timeseries', (rq) => timeseriesFigures(db, rq)),
    api('models', (rq) => modelFigures(db, rq)),
    api('projects', (rq) => projectFigures(db, rq)),
    api('sessions', (rq) => sessionFigures(db, rq)),
    api('tools', (rq) => toolFigures(db, rq)),
    api('messages', (rq) => messageFigures(db, rq)),
    api('block', (rq) => blockFigures(db, rq)),
    api('budget', (rq) => budgetFigures(db, rq, budgetNanos)),
    api('telemetry', (rq) => telemetryFigures(db, rq)),
    {
      path: '/api/dashboard',
      methods: ['GET'],
      handle: async (_req, res, url) => {
        const started = performance.now();
        const { answer, jobMs } = await dashboardOf(url);
        sendJson(res, 200, answer, {
          'Server-Timing': serverTiming(performance.now() - started, jobMs),
        });
      },
    },
    { path: '/api/events', methods: ['GET'], handle: (req, res) => streams.handle(req, res) },
    {
      path: '/api/*',
      handle: (_req, res, url) =>
        sendError(res, 404, `no API endpoint ${url.pathname}; see docs/api.md`),
    },
    ...(options.extraRoutes ?? []),
    { path: '/*', methods: ['GET'], handle: (req, res, url) => assets.handle(req, res, url) },
  ];

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    let url: URL;
    try {
      url = new URL(req.url?.startsWith('/') ? `http://localhost${req.url}` : (req.url ?? ''));
    } catch {
      sendError(res, 400, `cannot read the request target "${req.url}"`);
      return;
    }
    const route = findRoute(routes, url.pathname);
    if (!route) {
      sendError(res, 404, `no such page: ${url.pathname}`);
      return;
    }
    if (options.authToken && !route.public) {
      const auth = authorize(req, url, options.authToken);
      if (auth.kind === 'denied') {
        sendError(res, 401, auth.reason, { 'WWW-Authenticate': 'Bearer realm="ccmon"' });
        return;
      }
      if (auth.kind === 'remember') {
        res.writeHead(303, {
          Location: auth.location,
          'Set-Cookie': auth.cookie,
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
    }
    const method = req.method ?? 'GET';
    if (!allowsMethod(route, method)) {
      sendError(res, 405, `${method} is not served on ${url.pathname}`, {
        Allow: allowHeader(route),
      });
      return;
    }
    try {
      await route.handle(req, res, url);
    } catch (error) {
      if (error instanceof BadRequest) {
        if (!res.headersSent) sendError(res, 400, error.message);
        return;
      }
      options.onError?.(error, req);
      if (res.headersSent) res.destroy();
      else
        sendError(
          res,
          500,
          `internal error while answering ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
  };
  return Object.assign(handler, { close: () => streams.closeAll() });
}

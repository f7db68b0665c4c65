import type { IncomingMessage, ServerResponse } from 'node:http';
import { usdToNanos } from '../../domain/money.js';
import type { CostMode, View } from '../../domain/usage.js';
import { allProjects, hasTelemetry, modelsSeen } from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import { messageFigures, toolFigures } from './activity-figures.js';
import type {
  BlockFigures,
  BlockResponse,
  DashboardResponse,
  MetaResponse,
  TimeseriesResponse,
} from './api-types.js';
import { authorize } from './auth.js';
import { budgetFigures, currentBlock } from './block-figures.js';
import { EventStreams } from './data-changes.js';
import { type HealthFacts, healthFigures } from './health-figures.js';
import { sendError, sendJson, setSecurityHeaders } from './http-responses.js';
import { dashboardQuery, filtersFromUrl } from './page-url.js';
import { BadRequest, parseDashboardQuery } from './query-params.js';
import { type ResolvedQuery, resolveQuery } from './resolved-query.js';
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
  const budgetNanos = budgetNanosOf(options.budgetUsd);
  const streams = new EventStreams();
  // The browser fetches the page's figures as the page arrives, while its
  // script loads, and the script's own requests take those answers.
  const assets = new StaticAssets(
    options.assetsDir ?? defaultAssetsDir(),
    (url) =>
      `<api/meta>; rel=preload; as=fetch; crossorigin, <api/dashboard?${dashboardQuery(filtersFromUrl(url.search))}>; rel=preload; as=fetch; crossorigin`,
  );

  const query = (url: URL, at = now()): ResolvedQuery => {
    const q = parseDashboardQuery(url.searchParams, {
      view: options.view,
      mode: options.mode,
      timezone: options.timezone,
      now: at,
    });
    return resolveQuery(db, q, at);
  };
  /** The query of `url` with some parameters set otherwise. */
  const queryWith = (url: URL, set: Record<string, string>, at = now()): ResolvedQuery => {
    const changed = new URL(url);
    for (const [name, value] of Object.entries(set)) changed.searchParams.set(name, value);
    return query(changed, at);
  };
  const blockOf = (rq: ResolvedQuery): BlockResponse => ({
    ...rq.scope,
    block: currentBlock(db, rq.q.view, rq.q.mode, rq.now),
  });
  /**
   * One answer for the whole page: a dozen calls cost a browser more than the
   * figures do. Its parts are computed a turn apart, so that the requests
   * that come meanwhile (the page's own script) need not wait for all of it.
   */
  const dashboardOf = (url: URL): Promise<DashboardResponse> => {
    const at = now();
    const rq = query(url, at);
    let costByModel: TimeseriesResponse | undefined;
    let block: BlockFigures | null = null;
    return inTurns<DashboardResponse>({
      summary: () => {
        block = currentBlock(db, rq.q.view, rq.q.mode, rq.now);
        return summaryFigures(db, rq, block);
      },
      tokensByKind: () => timeseriesFigures(db, queryWith(url, { groupBy: 'kind' }, at)),
      costByModel: () => {
        costByModel = timeseriesFigures(db, queryWith(url, { groupBy: 'model' }, at));
        return costByModel;
      },
      // Trends by day (long ranges) are the daily cost already.
      dailyCost: () =>
        costByModel?.bucket === 'day'
          ? costByModel
          : timeseriesFigures(db, queryWith(url, { groupBy: 'model', bucket: 'day' }, at)),
      models: () => modelFigures(db, rq),
      tools: () => toolFigures(db, rq),
      messages: () => messageFigures(db, rq),
      sessions: () => sessionFigures(db, rq),
      projects: () => projectFigures(db, rq),
      block: () => ({ ...rq.scope, block }),
      budget: () => budgetFigures(db, rq, budgetNanos),
      telemetry: () => telemetryFigures(db, rq),
    });
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
    api('summary', (rq) => summaryFigures(db, rq, currentBlock(db, rq.q.view, rq.q.mode, rq.now))),
    api('timeseries', (rq) => timeseriesFigures(db, rq)),
    api('models', (rq) => modelFigures(db, rq)),
    api('projects', (rq) => projectFigures(db, rq)),
    api('sessions', (rq) => sessionFigures(db, rq)),
    api('tools', (rq) => toolFigures(db, rq)),
    api('messages', (rq) => messageFigures(db, rq)),
    api('block', blockOf),
    api('budget', (rq) => budgetFigures(db, rq, budgetNanos)),
    api('telemetry', (rq) => telemetryFigures(db, rq)),
    {
      path: '/api/dashboard',
      methods: ['GET'],
      handle: async (_req, res, url) => sendJson(res, 200, await dashboardOf(url)),
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

/** Each part computed in its own turn of the event loop, in order. */
async function inTurns<T extends object>(parts: { [K in keyof T]: () => T[K] }): Promise<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(parts) as (keyof T)[]) {
    out[key] = parts[key]();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out as T;
}

function budgetNanosOf(usd: number | undefined): number | null {
  if (usd === undefined) return null;
  if (!Number.isFinite(usd) || usd <= 0) {
    throw new RangeError(`the monthly budget must be a positive number of USD; got ${usd}`);
  }
  return usdToNanos(usd);
}

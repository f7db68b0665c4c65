import type { DashboardResponse, MetaResponse } from '../../src/views/web/api-types.js';
import { dashboardQuery, type Filters } from '../../src/views/web/page-url.js';

/** Everything the page shows, from the JSON API only. */
export type Dashboard = DashboardResponse;

export class ApiError extends Error {}

/** Relative URLs: the page works wherever it is mounted. */
async function getJson<T>(path: string, params?: URLSearchParams): Promise<T> {
  const query = params?.toString();
  const res = await fetch(`api/${path}${query ? `?${query}` : ''}`, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const reason =
      typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string'
        ? body.error
        : `HTTP ${res.status}`;
    throw new ApiError(`${path}: ${reason}`);
  }
  return body as T;
}

/** The server's defaults and what the filters can offer. */
export function loadMeta(): Promise<MetaResponse> {
  return getJson<MetaResponse>('meta');
}

/** The whole page's figures in one call (see `GET /api/dashboard` in docs/api.md). */
export function loadDashboard(filters: Filters): Promise<Dashboard> {
  return getJson<Dashboard>('dashboard', dashboardQuery(filters));
}

/** What the page needs to draw itself: the server's defaults and the figures. */
export function loadPage(filters: Filters): Promise<[MetaResponse, Dashboard]> {
  const early = earlyLoad;
  earlyLoad = undefined;
  if (early && early.key === JSON.stringify(filters)) return early.answer;
  return fetchPage(filters);
}

function fetchPage(filters: Filters): Promise<[MetaResponse, Dashboard]> {
  return Promise.all([loadMeta(), loadDashboard(filters)]);
}

let earlyLoad: { key: string; answer: Promise<[MetaResponse, Dashboard]> } | undefined;

/**
 * Starts the first `loadPage` as the script starts: a component's effect
 * would ask only after the first render has been painted.
 */
export function startLoadingPage(filters: Filters): void {
  const answer = fetchPage(filters);
  // A failure is reported by the `loadPage` that takes the answer, not as unhandled.
  answer.catch(() => undefined);
  earlyLoad = { key: JSON.stringify(filters), answer };
}

import type {
  BlockResponse,
  BudgetResponse,
  MessagesResponse,
  MetaResponse,
  ModelsResponse,
  ProjectsResponse,
  SessionsResponse,
  SummaryResponse,
  TelemetryResponse,
  TimeseriesResponse,
  ToolsResponse,
} from '../../src/views/web/api-types.js';
import { apiParams, type Filters, trendBucket } from './url-state.js';

/** Everything the page shows, from the JSON API only. */
export interface Dashboard {
  summary: SummaryResponse;
  tokensByKind: TimeseriesResponse;
  costByModel: TimeseriesResponse;
  dailyCost: TimeseriesResponse;
  models: ModelsResponse;
  tools: ToolsResponse;
  messages: MessagesResponse;
  sessions: SessionsResponse;
  projects: ProjectsResponse;
  block: BlockResponse;
  budget: BudgetResponse;
  telemetry: TelemetryResponse;
}

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

function withParams(base: URLSearchParams, extra: Record<string, string>): URLSearchParams {
  const p = new URLSearchParams(base);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}

/** The server's defaults and what the filters can offer. */
export function loadMeta(): Promise<MetaResponse> {
  return getJson<MetaResponse>('meta');
}

export async function loadDashboard(filters: Filters): Promise<Dashboard> {
  const p = apiParams(filters);
  const bucket = trendBucket(filters);
  const [
    summary,
    tokensByKind,
    costByModel,
    dailyCost,
    models,
    tools,
    messages,
    sessions,
    projects,
    block,
    budget,
    telemetry,
  ] = await Promise.all([
    getJson<SummaryResponse>('summary', p),
    getJson<TimeseriesResponse>('timeseries', withParams(p, { groupBy: 'kind', bucket })),
    getJson<TimeseriesResponse>('timeseries', withParams(p, { groupBy: 'model', bucket })),
    getJson<TimeseriesResponse>('timeseries', withParams(p, { groupBy: 'model', bucket: 'day' })),
    getJson<ModelsResponse>('models', p),
    getJson<ToolsResponse>('tools', p),
    getJson<MessagesResponse>('messages', withParams(p, { bucket })),
    getJson<SessionsResponse>('sessions', withParams(p, { bucket, limit: '50' })),
    getJson<ProjectsResponse>('projects', p),
    getJson<BlockResponse>('block', p),
    getJson<BudgetResponse>('budget', p),
    getJson<TelemetryResponse>('telemetry', p),
  ]);
  return {
    summary,
    tokensByKind,
    costByModel,
    dailyCost,
    models,
    tools,
    messages,
    sessions,
    projects,
    block,
    budget,
    telemetry,
  };
}

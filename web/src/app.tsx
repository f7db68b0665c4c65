import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MetaResponse } from '../../src/views/web/api-types.js';
import { type Filters, filtersFromUrl, filtersToUrl } from '../../src/views/web/page-url.js';
import { type Dashboard, loadPage } from './api.js';
import { FilterBar } from './filters.js';
import { formatTime } from './format.js';
import { BudgetHealth } from './sections/budget-health.js';
import { ModelsTools } from './sections/models-tools.js';
import { Overview } from './sections/overview.js';
import { Projects } from './sections/projects.js';
import { SessionsActivity } from './sections/sessions-activity.js';
import { Telemetry } from './sections/telemetry.js';
import { DailyCost, Trends } from './sections/trends.js';
import { modelColors } from './theme.js';

const SECTIONS = [
  ['overview', 'Overview'],
  ['budget', 'Budget & Health'],
  ['trends', 'Trends'],
  ['daily', 'Daily Cost'],
  ['models', 'Models & Tools'],
  ['sessions', 'Sessions'],
  ['projects', 'Projects'],
  ['telemetry', 'OpenTelemetry'],
] as const;

/** Also refresh now and then, so relative ranges move on without new data. */
const POLL_MS = 60_000;

type Live = 'connecting' | 'live' | 'reconnecting';

export function App() {
  const [filters, setFilters] = useState<Filters>(() => filtersFromUrl(location.search));
  const [meta, setMeta] = useState<MetaResponse | null>(null);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [live, setLive] = useState<Live>('connecting');
  const [refreshes, setRefreshes] = useState(0);

  useEffect(() => {
    const url = filtersToUrl(filters);
    if (url !== location.search) history.pushState(null, '', url || location.pathname);
  }, [filters]);

  useEffect(() => {
    const onPop = () => setFilters(filtersFromUrl(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  // `refreshes` is the reload trigger (live events and the poll).
  useEffect(() => {
    let current = true;
    loadPage(filters)
      .then(([m, d]) => {
        if (!current) return;
        setMeta(m);
        setData(d);
        setError(null);
        setUpdatedAt(Date.now());
      })
      .catch((e: unknown) => {
        if (current) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      current = false;
    };
  }, [filters, refreshes]);

  useEffect(() => {
    const refresh = () => setRefreshes((n) => n + 1);
    const events = new EventSource('api/events');
    events.addEventListener('ready', () => setLive('live'));
    events.addEventListener('change', refresh);
    events.onerror = () => setLive('reconnecting');
    const poll = setInterval(refresh, POLL_MS);
    return () => {
      events.close();
      clearInterval(poll);
    };
  }, []);

  const timezone = data?.summary.timezone ?? meta?.timezone ?? 'UTC';
  const colors = useMemo(() => modelColors(meta?.models ?? []), [meta]);
  const selectProject = (project: string) => {
    setFilters((f) => ({ ...f, project }));
    document.getElementById('overview')?.scrollIntoView({ block: 'start' });
  };

  return (
    <>
      <a class="skip" href="#main">
        Skip to the figures
      </a>
      <header class="top">
        <div class="title-row">
          <h1>Claude Code Statistics</h1>
          <p class="status" aria-live="polite">
            <span class={`dot ${live}`} aria-hidden="true" />
            <span data-testid="updated">
              {updatedAt === null ? 'loading…' : `updated ${formatTime(updatedAt, timezone)}`}
            </span>
            {live === 'reconnecting' ? <span> · live updates reconnecting</span> : null}
            {meta ? (
              <span class="view">
                {' '}
                · {meta.view === 'both' ? 'transcripts + telemetry' : meta.view} · cost {meta.mode}
              </span>
            ) : null}
          </p>
        </div>
        <FilterBar filters={filters} meta={meta} onChange={setFilters} />
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {error ? (
          <p class="error" role="alert" data-testid="error">
            Could not load the figures: {error}
          </p>
        ) : null}
        {data ? (
          <>
            <Overview summary={data.summary} />
            <BudgetHealth summary={data.summary} budget={data.budget} />
            <Trends
              tokensByKind={data.tokensByKind}
              costByModel={data.costByModel}
              colors={colors}
            />
            <DailyCost dailyCost={data.dailyCost} colors={colors} />
            <ModelsTools
              models={data.models}
              tools={data.tools}
              messages={data.messages}
              colors={colors}
            />
            <SessionsActivity
              sessions={data.sessions}
              messages={data.messages}
              block={data.block}
            />
            <Projects
              projects={data.projects}
              selected={filters.project}
              onSelect={selectProject}
            />
            <Telemetry telemetry={data.telemetry} />
          </>
        ) : error ? null : (
          <p class="loading">Loading…</p>
        )}
      </main>
      <footer class="foot">
        <p>
          ccmon {meta?.version ?? ''} · figures in {timezone} · JSON API under <code>/api/</code>
        </p>
      </footer>
    </>
  );
}

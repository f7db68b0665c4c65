import type { MetaResponse } from '../../src/views/web/api-types.js';
import { type Filters, RANGES } from '../../src/views/web/page-url.js';

function rangeOf(value: string): Filters['range'] {
  return RANGES.find((r) => r.value === value)?.value ?? '7d';
}

function timeZones(current: string): string[] {
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'UTC', ...all])].sort();
}

/** Range, project, model and time zone; every change lands in the address bar. */
export function FilterBar(props: {
  filters: Filters;
  meta: MetaResponse | null;
  onChange: (f: Filters) => void;
}) {
  const { filters: f, meta, onChange } = props;
  const set = (patch: Partial<Filters>) => onChange({ ...f, ...patch });
  const projects = [
    ...new Set([...(meta?.projects.map((p) => p.name) ?? []), ...(f.project ? [f.project] : [])]),
  ].sort();
  const models = [...new Set([...(meta?.models ?? []), ...(f.model ? [f.model] : [])])].sort();
  const zone = f.tz || meta?.timezone || 'UTC';
  return (
    <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Time range</span>
        <select
          value={f.range}
          data-testid="range"
          onChange={(e) => set({ range: rangeOf(e.currentTarget.value) })}
        >
          {RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {f.range === 'custom' ? (
        <>
          <label>
            <span>From</span>
            <input
              type="date"
              value={f.from}
              max={f.to || undefined}
              data-testid="from"
              onChange={(e) => set({ from: e.currentTarget.value })}
            />
          </label>
          <label>
            <span>To (included)</span>
            <input
              type="date"
              value={f.to}
              min={f.from || undefined}
              data-testid="to"
              onChange={(e) => set({ to: e.currentTarget.value })}
            />
          </label>
        </>
      ) : null}
      <label>
        <span>Project</span>
        <select
          value={f.project}
          data-testid="project"
          onChange={(e) => set({ project: e.currentTarget.value })}
        >
          <option value="">All projects</option>
          {projects.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Model</span>
        <select
          value={f.model}
          data-testid="model"
          onChange={(e) => set({ model: e.currentTarget.value })}
        >
          <option value="">All models</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Time zone</span>
        <select
          value={zone}
          data-testid="tz"
          onChange={(e) =>
            set({ tz: e.currentTarget.value === meta?.timezone ? '' : e.currentTarget.value })
          }
        >
          {timeZones(zone).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

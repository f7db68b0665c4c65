import { useState } from 'preact/hooks';
import type { ProjectRowOut, ProjectsResponse } from '../../../src/views/web/api-types.js';
import { formatDateTime, formatInt, formatUsd, formatUsdExact } from '../format.js';
import { Empty, Section } from '../parts.js';

type SortKey = 'name' | 'cost' | 'tokens' | 'sessions' | 'responses' | 'last';

const COLUMNS: {
  key: SortKey;
  label: string;
  numeric: boolean;
  value: (p: ProjectRowOut) => number | string;
}[] = [
  { key: 'name', label: 'Project', numeric: false, value: (p) => p.name.toLowerCase() },
  { key: 'cost', label: 'Cost', numeric: true, value: (p) => p.costNanos },
  { key: 'tokens', label: 'Tokens', numeric: true, value: (p) => p.tokens.total },
  { key: 'sessions', label: 'Sessions', numeric: true, value: (p) => p.sessions },
  { key: 'responses', label: 'Responses', numeric: true, value: (p) => p.responses },
  { key: 'last', label: 'Last activity', numeric: true, value: (p) => p.lastMs },
];

/** Sortable by any column; a project's name filters the whole page to it. */
export function Projects(props: {
  projects: ProjectsResponse;
  selected: string;
  onSelect: (name: string) => void;
}) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'cost',
    descending: true,
  });
  const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[1];
  const rows = [...props.projects.projects].sort((a, b) => {
    const x = column?.value(a) ?? 0;
    const y = column?.value(b) ?? 0;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return sort.descending ? -order : order;
  });
  const tz = props.projects.timezone;
  return (
    <Section
      id="projects"
      title="Projects Breakdown"
      note="Select a project to filter the whole page to it."
    >
      {props.selected ? (
        <p class="filter-note">
          Showing <strong>{props.selected}</strong> only.{' '}
          <button type="button" class="link" onClick={() => props.onSelect('')}>
            Show all projects
          </button>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <Empty>No project has responses in this range.</Empty>
      ) : (
        <div class="table-wrap">
          <table class="data" data-testid="projects-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = c.key === sort.key;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      class={c.numeric && c.key !== 'last' ? 'num' : undefined}
                      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                    >
                      <button
                        type="button"
                        class="sort"
                        onClick={() =>
                          setSort({ key: c.key, descending: active ? !sort.descending : c.numeric })
                        }
                      >
                        {c.label}
                        <span aria-hidden="true">
                          {active ? (sort.descending ? ' ▼' : ' ▲') : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id} class={p.name === props.selected ? 'selected' : undefined}>
                  <th scope="row">
                    <button
                      type="button"
                      class="link project-link"
                      title={p.path}
                      aria-pressed={p.name === props.selected}
                      onClick={() => props.onSelect(p.name === props.selected ? '' : p.name)}
                    >
                      {p.name}
                    </button>
                  </th>
                  <td class="num" title={formatUsdExact(p.costNanos)}>
                    {formatUsd(p.costNanos)}
                  </td>
                  <td class="num">{formatInt(p.tokens.total)}</td>
                  <td class="num">{formatInt(p.sessions)}</td>
                  <td class="num">{formatInt(p.responses)}</td>
                  <td>{p.lastMs ? formatDateTime(p.lastMs, tz) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

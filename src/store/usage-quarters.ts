/**
 * Usage by quarter hour, model and project, kept by triggers: what reports
 * and the dashboard read for time series, so a year of responses is a few
 * tens of thousands of rows, not a scan of every response. Every figure a
 * view and cost mode give is kept (t_ transcripts, e_ telemetry, b_ both).
 * Zone offsets are multiples of 15 minutes, so local days and months are
 * whole numbers of buckets.
 */

export const QUARTER_MS = 900_000;

const VIEW_PREFIXES = ['t', 'e', 'b'] as const;
type Prefix = (typeof VIEW_PREFIXES)[number];

/** 1 for a row the view counts (as VIEW_SQL's `counted`). */
const COUNTED: Record<Prefix, string> = { t: 'R.has_transcript', e: 'R.has_event', b: '1' };
const UNDERSTATED: Record<Prefix, string> = { t: 'R.placeholder', e: '0', b: 'R.b_understated' };

/** Column name and the per-row expression summed into it, with `R.` standing for the row. */
function viewColumns(v: Prefix): [string, string][] {
  const tokens = `R.${v}_input + R.${v}_output + R.${v}_cache_read + R.${v}_cache_creation`;
  const auto = `coalesce(R.${v}_reported_nanos, R.${v}_cost_nanos)`;
  const only = (expr: string) =>
    v === 'b' ? expr : `CASE WHEN ${COUNTED[v]} = 1 THEN ${expr} ELSE 0 END`;
  return [
    [`${v}_responses`, COUNTED[v]],
    [`${v}_input`, only(`R.${v}_input`)],
    [`${v}_output`, only(`R.${v}_output`)],
    [`${v}_cache_read`, only(`R.${v}_cache_read`)],
    [`${v}_cache_creation`, only(`R.${v}_cache_creation`)],
    [`${v}_cost_nanos`, only(`coalesce(R.${v}_cost_nanos, 0)`)],
    [`${v}_display_nanos`, only(`coalesce(R.${v}_reported_nanos, 0)`)],
    [`${v}_auto_nanos`, only(`coalesce(${auto}, 0)`)],
    [`${v}_unpriced_calculate`, only(`(R.${v}_cost_nanos IS NULL)`)],
    [
      `${v}_unpriced_calculate_tokens`,
      only(`CASE WHEN R.${v}_cost_nanos IS NULL THEN ${tokens} ELSE 0 END`),
    ],
    [`${v}_unpriced_auto`, only(`(${auto} IS NULL)`)],
    [`${v}_unpriced_auto_tokens`, only(`CASE WHEN ${auto} IS NULL THEN ${tokens} ELSE 0 END`)],
    [`${v}_understated`, only(UNDERSTATED[v])],
  ];
}

const SUMMED: [string, string][] = VIEW_PREFIXES.flatMap(viewColumns);
const KEY = ['bucket', 'model', 'project_id'];
const keyOf = (r: string) => [
  `${r}.ts / ${QUARTER_MS} * ${QUARTER_MS}`,
  `${r}.model`,
  `coalesce(${r}.project_id, 0)`,
];
const rowExpr = (expr: string, r: string) => expr.replaceAll('R.', `${r}.`);

function upsert(r: 'NEW' | 'OLD', sign: '' | '-'): string {
  const columns = [...KEY, ...SUMMED.map(([c]) => c), 'first_ms', 'last_ms'];
  const values = [
    ...keyOf(r),
    ...SUMMED.map(([, e]) => `${sign}(${rowExpr(e, r)})`),
    sign ? 'NULL' : `${r}.ts`,
    sign ? 'NULL' : `${r}.ts`,
  ];
  const sets = SUMMED.map(([c]) => `${c} = ${c} + excluded.${c}`);
  sets.push(
    'first_ms = min(coalesce(first_ms, excluded.first_ms), coalesce(excluded.first_ms, first_ms))',
    'last_ms = max(coalesce(last_ms, excluded.last_ms), coalesce(excluded.last_ms, last_ms))',
  );
  return `INSERT INTO usage_quarters (${columns.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${sets.join(', ')};`;
}

/** Refills the table from the responses (a migration, and a bulk first scan's end). */
export const FILL_USAGE_QUARTERS = `INSERT INTO usage_quarters (${[...KEY, ...SUMMED.map(([c]) => c), 'first_ms', 'last_ms'].join(', ')})
  SELECT ${keyOf('r').join(', ')}, ${SUMMED.map(([, e]) => `sum(${rowExpr(e, 'r')})`).join(', ')}, min(r.ts), max(r.ts)
  FROM responses r GROUP BY 1, 2, 3`;

export const USAGE_QUARTERS_MIGRATION = `
  CREATE TABLE usage_quarters (
    bucket INTEGER NOT NULL,
    model TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    ${SUMMED.map(([c]) => `${c} INTEGER NOT NULL DEFAULT 0`).join(',\n    ')},
    first_ms INTEGER,
    last_ms INTEGER,
    PRIMARY KEY (bucket, model, project_id)
  ) WITHOUT ROWID;
  CREATE TRIGGER responses_quarters_insert AFTER INSERT ON responses BEGIN
    ${upsert('NEW', '')}
  END;
  CREATE TRIGGER responses_quarters_update AFTER UPDATE ON responses BEGIN
    ${upsert('OLD', '-')}
    ${upsert('NEW', '')}
  END;
  CREATE TRIGGER responses_quarters_delete AFTER DELETE ON responses BEGIN
    ${upsert('OLD', '-')}
  END;
  ${FILL_USAGE_QUARTERS};
`;

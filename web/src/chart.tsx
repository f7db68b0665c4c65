import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDate, formatDateTime, formatShortDate } from './format.js';
import { colorOf, cssVar, type Theme, useTheme } from './theme.js';

export interface ChartSeries {
  label: string;
  values: number[];
  /** Default: by position. */
  color?: string;
}

export interface ChartProps {
  /** The API answer the chart is drawn from: the chart is redrawn when it changes. */
  source: object;
  /** Names the chart for screen readers and the hidden table's caption. */
  title: string;
  /** Bucket starts, Unix ms. */
  x: number[];
  series: ChartSeries[];
  kind: 'line' | 'bars' | 'stacked';
  bucket: 'hour' | 'day';
  timezone: string;
  /** Exact value, for the legend on hover and the table. */
  format: (v: number) => string;
  /** Short value, for the y axis. */
  axisFormat: (v: number) => string;
  height?: number;
  /** Whole counts: no 0.5 ticks. */
  integer?: boolean;
}

const WHOLE_STEPS = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p))
  .sort((a, b) => a - b);

/** Running sums, so bars drawn largest first look stacked. */
function stackOf(series: ChartSeries[]): number[][] {
  const sums: number[][] = [];
  series.forEach((s, k) => {
    sums.push(s.values.map((v, i) => v + (sums[k - 1]?.[i] ?? 0)));
  });
  return sums;
}

/** Axis colors of each theme, read from the page's CSS once (each read is a style recalculation). */
const axisColors = new Map<Theme, { muted: string; grid: string }>();

function axisColorsOf(theme: Theme): { muted: string; grid: string } {
  let colors = axisColors.get(theme);
  if (!colors) {
    colors = {
      muted: cssVar('--text-muted') || '#666',
      grid: cssVar('--grid') || 'rgba(128,128,128,0.2)',
    };
    axisColors.set(theme, colors);
  }
  return colors;
}

function optionsOf(
  props: ChartProps,
  width: number,
  theme: Theme,
): { opts: uPlot.Options; data: uPlot.AlignedData } {
  const { x, series, kind, timezone, format, axisFormat } = props;
  const { muted, grid } = axisColorsOf(theme);
  const step =
    x.length > 1 ? (x[1] ?? 0) - (x[0] ?? 0) : props.bucket === 'day' ? 86_400_000 : 3_600_000;
  const bars = uPlot.paths.bars?.({ size: [0.7, 48], align: 0 });
  const stacked = kind === 'stacked' ? stackOf(series) : null;
  // Stacked: the top layer (all series summed) is drawn first, each lower layer over it.
  const order = series.map((_, i) => i);
  if (stacked) order.reverse();
  const ys = order.map((i) => (stacked ? (stacked[i] ?? []) : (series[i]?.values ?? [])));
  const dateOf = props.bucket === 'day' ? formatDate : formatDateTime;
  const opts: uPlot.Options = {
    width,
    height: props.height ?? 240,
    ms: 1,
    tzDate: (ts) => uPlot.tzDate(new Date(ts), timezone),
    legend: { live: true },
    cursor: { points: { size: 6 } },
    scales: {
      x: {
        time: true,
        range: (_u, min, max) => (kind === 'line' ? [min, max] : [min - step / 2, max + step / 2]),
      },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      {
        stroke: muted,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        // Days: one tick per bar (thinned to fit), labelled with the date.
        ...(props.bucket === 'day'
          ? {
              splits: () => thinned(x, Math.max(2, Math.floor(width / 80))),
              values: (_u: uPlot, ticks: number[]) =>
                ticks.map((t) => formatShortDate(t, timezone)),
            }
          : {}),
      },
      {
        stroke: muted,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        size: 64,
        values: (_u, ticks) => ticks.map(axisFormat),
        ...(props.integer ? { incrs: WHOLE_STEPS } : {}),
      },
    ],
    series: [
      {
        label: props.bucket === 'day' ? 'Day' : 'Time',
        value: (_u, v) => (v == null ? '–' : dateOf(v, timezone)),
      },
      ...order.map((i): uPlot.Series => {
        const color = series[i]?.color ?? colorOf(i);
        const raw = series[i]?.values ?? [];
        return {
          label: series[i]?.label ?? '',
          stroke: color,
          width: kind === 'line' ? 2 : 0,
          fill: kind === 'line' ? undefined : color,
          paths: kind === 'line' ? undefined : bars,
          points: { show: kind === 'line' && x.length < 60 },
          value: (_u, _v, _s, idx) => (idx == null ? '–' : format(raw[idx] ?? 0)),
        };
      }),
    ],
  };
  return { opts, data: [x, ...ys] };
}

function thinned(values: number[], max: number): number[] {
  const every = Math.ceil(values.length / max);
  return values.filter((_, i) => i % every === 0);
}

/** Rows with something in them; a screen reader does not need 2,000 empty hours. */
function tableRows(props: ChartProps): number[] {
  return props.x.map((_, i) => i).filter((i) => props.series.some((s) => (s.values[i] ?? 0) !== 0));
}

function describe(props: ChartProps): string {
  const totals = props.series.map(
    (s) => `${s.label} ${props.format(s.values.reduce((a, b) => a + b, 0))}`,
  );
  return `${props.title}. ${props.series.length === 0 ? 'No data in this range.' : `Totals: ${totals.join('; ')}.`} The values are in a table after the chart.`;
}

/**
 * A uPlot chart with its text alternatives: an aria-label with the totals, and
 * every value in a table behind a disclosure, built only when opened (a
 * year of hours is thousands of cells the page would otherwise lay out).
 */
export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Drawn when the observer first reports the box's width: reading it here
    // would force a layout of the whole page once per chart.
    let plot: uPlot | undefined;
    const resize = new ResizeObserver((entries) => {
      const width = Math.max(200, Math.round(entries[0]?.contentRect.width ?? 0));
      if (!plot) {
        const { opts, data } = optionsOf(props, width, theme);
        plot = new uPlot(opts, data, el);
      } else if (width !== plot.width) plot.setSize({ width, height: plot.height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot?.destroy();
    };
    // The series are derived from `source` on every render: redraw only when it (or the theme) changes.
  }, [props.source, theme]);
  const [tableOpen, setTableOpen] = useState(false);
  return (
    <figure class="chart">
      <div ref={box} class="chart-canvas" role="img" aria-label={describe(props)} />
      <details
        class="chart-values"
        onToggle={(e) => setTableOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>Values as a table</summary>
        {tableOpen && <ValuesTable {...props} />}
      </details>
    </figure>
  );
}

function ValuesTable(props: ChartProps) {
  const dateOf = props.bucket === 'day' ? formatDate : formatDateTime;
  const rows = tableRows(props);
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{props.bucket === 'day' ? 'Day' : 'Hour'}</th>
            {props.series.map((s) => (
              <th scope="col" key={s.label}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr key={props.x[i]}>
              <th scope="row">{dateOf(props.x[i] ?? 0, props.timezone)}</th>
              {props.series.map((s) => (
                <td key={s.label}>{props.format(s.values[i] ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { CostMode, View } from '../../domain/usage.js';
import {
  eventHistory,
  messageHistory,
  otelHistory,
  projectRecords,
  sessionTotals,
  type TimeBuckets,
  toolHistory,
  usageHistory,
} from '../../store/metric-queries.js';
import type { Db } from '../../store/open-store.js';
import { CUMULATIVE_FAMILIES, type Figure, type Readings } from './figure-families.js';
import { droppedAttributes, type IdentityLabels, otelFamilies } from './otel-families.js';
import { projectLabels, UNKNOWN_PROJECT } from './project-labels.js';

export interface BackfillOptions {
  db: Db;
  view: View;
  mode: CostMode;
  labels: IdentityLabels;
  /** First and last sample time, Unix ms; samples fall on multiples of `stepMs`. */
  sinceMs: number;
  untilMs: number;
  stepMs: number;
}

export interface BackfillStats {
  families: number;
  series: number;
  samples: number;
  /** First and last sample time, Unix ms. */
  firstMs: number;
  lastMs: number;
}

/** One family to write: its exposed name, type, help and figures per time bucket. */
interface HistoryFamily {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  divisor?: number;
  figures: Figure[];
}

/**
 * The exporter's cumulative figures and Claude Code's own counters as they
 * stood at every step from `sinceMs` to `untilMs`, as OpenMetrics text with
 * timestamps, ending with `# EOF`: the input of
 * `promtool tsdb create-blocks-from openmetrics`. Each series starts at 0 the
 * step before it first grows, and its samples ascend in time, as promtool needs.
 */
export function writeBackfill(
  options: BackfillOptions,
  write: (text: string) => void,
): BackfillStats {
  const { db, stepMs } = options;
  const originMs = Math.floor(options.sinceMs / stepMs) * stepMs;
  const steps = Math.max(0, Math.floor((options.untilMs - originMs) / stepMs));
  const buckets: TimeBuckets = { originMs, stepMs, untilMs: originMs + steps * stepMs };
  const labels = projectLabels(projectRecords(db));
  const readings: Readings = {
    usage: () => usageHistory(db, options, buckets),
    sessions: () => sessionTotals(db, buckets),
    messages: () => messageHistory(db, buckets),
    tools: () => toolHistory(db, buckets),
    events: () => eventHistory(db, buckets),
    project: (id) => labels.get(id) ?? UNKNOWN_PROJECT,
  };
  const families: HistoryFamily[] = [
    ...CUMULATIVE_FAMILIES.map((f) => ({ ...f, figures: f.figures(readings) })),
    ...otelFamilies(
      otelHistory(db, droppedAttributes(options.labels), buckets),
      options.labels,
    ).map((f) => ({ ...f, type: 'counter' as const })),
  ];
  const stats: BackfillStats = {
    families: 0,
    series: 0,
    samples: 0,
    firstMs: originMs,
    lastMs: buckets.untilMs,
  };
  for (const family of families) {
    if (family.figures.length === 0) continue;
    stats.families++;
    // OpenMetrics names a counter family without `_total`; its samples carry it.
    const familyName = family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
    write(`# HELP ${familyName} ${escapeText(family.help)}\n# TYPE ${familyName} ${family.type}\n`);
    for (const series of seriesOf(family.figures)) {
      stats.series++;
      const selector = `${family.name}${formatLabels(series.labels)}`;
      const lines: string[] = [];
      const divisor = family.divisor ?? 1;
      let sum = 0;
      // A zero one step before the first increment, so increase() sees the series' start.
      for (let k = Math.max(0, series.firstBucket - 1); k <= steps; k++) {
        sum += series.increments.get(k) ?? 0;
        lines.push(`${selector} ${sum / divisor} ${(originMs + k * stepMs) / 1000}\n`);
      }
      stats.samples += lines.length;
      write(lines.join(''));
    }
  }
  write('# EOF\n');
  return stats;
}

interface HistorySeries {
  labels: Record<string, string>;
  firstBucket: number;
  increments: Map<number, number>;
}

function seriesOf(figures: readonly Figure[]): HistorySeries[] {
  const series = new Map<string, HistorySeries>();
  for (const f of figures) {
    const key = JSON.stringify(f.labels);
    let s = series.get(key);
    if (!s) {
      s = { labels: f.labels, firstBucket: f.bucket, increments: new Map() };
      series.set(key, s);
    }
    s.firstBucket = Math.min(s.firstBucket, f.bucket);
    s.increments.set(f.bucket, (s.increments.get(f.bucket) ?? 0) + f.value);
  }
  return [...series.values()];
}

/** Label values and help text escaped as the exposition formats require. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) => `${name}="${escapeText(value).replace(/"/g, '\\"')}"`,
  );
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

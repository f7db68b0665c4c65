import { type LocalCalendar, monthOf, type Weekday, weekOf } from '../../domain/local-calendar.js';
import type { Db } from '../../store/open-store.js';
import { type UsageRow, usageBounds, usageRows } from '../../store/usage-queries.js';
import {
  type GroupJson,
  groupJson,
  metaJson,
  type ReportMetaJson,
  type TotalsJson,
  totalsJson,
} from './ccusage-json.js';
import { notesOf, type ReportNote, tableFooter } from './report-notes.js';
import type { ReportOptions } from './report-options.js';
import { type ReportScope, reportScope } from './report-scope.js';
import type { TableStyle } from './text-table.js';
import { groupUsage, totalOf, type UsageGroup } from './usage-groups.js';
import { usageTable } from './usage-table.js';

export type Period = 'daily' | 'weekly' | 'monthly';

/** Every real zone's offset is a multiple of 15 minutes, so a 15-minute bucket never straddles two local days. */
const QUARTER_HOUR_MS = 900_000;
const DAY_MS = 86_400_000;

export interface PeriodReport {
  period: Period;
  options: ReportOptions;
  /** `YYYY-MM-DD` (days, weeks by their first day) or `YYYY-MM`, in `options.order`. */
  groups: UsageGroup[];
  total: UsageGroup;
  notes: ReportNote[];
}

export function periodReport(db: Db, options: ReportOptions, period: Period): PeriodReport {
  const scope = reportScope(db, options);
  const groups =
    groupByLocalDays(db, scope, period, options.startOfWeek) ??
    groupByPeriod(
      usageRows(db, scope.filter, { bucketMs: QUARTER_HOUR_MS, model: true }),
      scope.calendar,
      period,
      options.startOfWeek,
    );
  if (options.order === 'desc') groups.reverse();
  const total = totalOf(groups);
  return { period, options, groups, total, notes: notesOf(total, scope, options.view) };
}

function periodOf(period: Period, startOfWeek: Weekday): (day: string) => string {
  if (period === 'daily') return (day) => day;
  if (period === 'weekly') return (day) => weekOf(day, startOfWeek);
  return monthOf;
}

/**
 * Lets SQLite sum whole local days: within a stretch where the zone's offset
 * holds, a local day is a fixed-width bucket shifted by the offset, so each
 * stretch is one query returning a row per day and model (a year of
 * quarter-hour rows never reaches JavaScript). Undefined when the range or
 * an offset change is off the quarter hour; the caller then folds quarters.
 */
function groupByLocalDays(
  db: Db,
  scope: ReportScope,
  period: Period,
  startOfWeek: Weekday,
): UsageGroup[] | undefined {
  const { filter, calendar } = scope;
  const bounds = usageBounds(db, filter.view);
  if (!bounds) return [];
  const fromMs = filter.fromMs ?? bounds.fromMs;
  const toMs = filter.toMs ?? bounds.toMs;
  if (fromMs % QUARTER_HOUR_MS !== 0 || toMs % QUARTER_HOUR_MS !== 0) return undefined;
  if (toMs <= fromMs) return [];
  const spans = calendar.offsetSpans(fromMs, toMs);
  if (!spans) return undefined;
  const periodOfDay = periodOf(period, startOfWeek);
  const groups = new Map<string, UsageGroup>();
  for (const span of spans) {
    const rows = usageRows(
      db,
      { ...filter, fromMs: span.fromMs, toMs: span.toMs },
      { bucketMs: DAY_MS, bucketOffsetMs: span.offsetMs, model: true },
    );
    // The local date of a bucket is the UTC date of its start moved by the offset.
    groupUsage(rows, (row) => periodOfDay(isoDay(row.bucket + span.offsetMs)), groups);
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Folds 15-minute rows into local days, weeks or months, oldest first.
 * Hot path (a year is ~35k buckets per model): rows are walked in time order
 * so the calendar's last day, and the last period key, answer almost every row.
 */
export function groupByPeriod(
  rows: readonly UsageRow[],
  calendar: LocalCalendar,
  period: Period,
  startOfWeek: Weekday,
): UsageGroup[] {
  const periodOfDay = periodOf(period, startOfWeek);
  let lastDay = '';
  let lastKey = '';
  // SQLite's GROUP BY usually returns buckets in order already; sort only when not.
  const sorted = rows.every((r, i) => i === 0 || (rows[i - 1]?.bucket ?? 0) <= r.bucket);
  const inTimeOrder = sorted ? rows : [...rows].sort((a, b) => a.bucket - b.bucket);
  const groups = groupUsage(inTimeOrder, (row) => {
    const day = calendar.dayOf(row.bucket).key;
    if (day !== lastDay) {
      lastDay = day;
      lastKey = periodOfDay(day);
    }
    return lastKey;
  });
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

interface PeriodJsonBase extends ReportMetaJson {
  totals: TotalsJson;
}
export interface DailyJson extends PeriodJsonBase {
  daily: (GroupJson & { date: string })[];
}
export interface WeeklyJson extends PeriodJsonBase {
  weekly: (GroupJson & { week: string })[];
}
export interface MonthlyJson extends PeriodJsonBase {
  monthly: (GroupJson & { month: string })[];
}

/** ccusage's `daily`/`weekly`/`monthly` JSON, plus ccmon's fields. */
export function periodJson(report: PeriodReport): DailyJson | WeeklyJson | MonthlyJson {
  const base = {
    totals: totalsJson(report.total.totals),
    ...metaJson(report.options, report.notes),
  };
  const { groups } = report;
  if (report.period === 'daily')
    return { daily: groups.map((g) => groupJson({ date: g.key }, g)), ...base };
  if (report.period === 'weekly')
    return { weekly: groups.map((g) => groupJson({ week: g.key }, g)), ...base };
  return { monthly: groups.map((g) => groupJson({ month: g.key }, g)), ...base };
}

const LABEL: Record<Period, string> = { daily: 'Date', weekly: 'Week', monthly: 'Month' };

export function periodTable(report: PeriodReport, style: TableStyle): string {
  const { options } = report;
  const table =
    report.groups.length === 0
      ? ''
      : usageTable(
          [{ header: LABEL[report.period] }],
          report.groups.map((g) => ({ labels: [g.key], group: g })),
          { labels: ['Total'], group: report.total },
          options.breakdown,
          style,
        );
  const weekNote = report.period === 'weekly' ? `; weeks start on ${options.startOfWeek}` : '';
  return `${table}${table ? '\n' : ''}${tableFooter(report.notes, options.view, `${options.timezone}${weekNote}`, style)}`;
}

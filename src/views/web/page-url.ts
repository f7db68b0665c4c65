/**
 * The dashboard page's address and the API queries it makes: shared by the
 * page (web/) and the server, which tells the browser to fetch the page's
 * figures while the page's script is still loading.
 */
import type { RangeName } from './api-types.js';

/** What the page shows, kept in the address so a view can be bookmarked and shared. */
export interface Filters {
  range: RangeName | 'custom';
  /** `YYYY-MM-DD`, for a custom range. */
  from: string;
  to: string;
  project: string;
  model: string;
  /** Empty: the server's time zone. */
  tz: string;
}

export const RANGES: { value: Filters['range']; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'month', label: 'This month' },
  { value: 'custom', label: 'Custom…' },
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromUrl(search: string): Filters {
  const p = new URLSearchParams(search);
  const range = RANGES.find((r) => r.value === p.get('range'))?.value ?? '7d';
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  return {
    range,
    from: DAY.test(from) ? from : '',
    to: DAY.test(to) ? to : '',
    project: p.get('project') ?? '',
    model: p.get('model') ?? '',
    tz: p.get('tz') ?? '',
  };
}

export function filtersToUrl(f: Filters): string {
  const p = new URLSearchParams();
  if (f.range !== '7d') p.set('range', f.range);
  if (f.range === 'custom') {
    if (f.from) p.set('from', f.from);
    if (f.to) p.set('to', f.to);
  }
  if (f.project) p.set('project', f.project);
  if (f.model) p.set('model', f.model);
  if (f.tz) p.set('tz', f.tz);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The API query for the filters; a custom range without dates falls back to 7 days. */
export function apiParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.range === 'custom' && (f.from || f.to)) {
    if (f.from) p.set('from', f.from);
    if (f.to) p.set('to', f.to);
  } else {
    p.set('range', f.range === 'custom' ? '7d' : f.range);
  }
  if (f.project) p.set('project', f.project);
  if (f.model) p.set('model', f.model);
  if (f.tz) p.set('tz', f.tz);
  return p;
}

/** Hourly points up to a week, daily beyond. */
export function trendBucket(f: Filters): 'hour' | 'day' {
  if (f.range === '24h' || f.range === '7d') return 'hour';
  if (f.range === 'custom' && f.from && f.to) {
    return Date.parse(f.to) - Date.parse(f.from) <= 7 * 86_400_000 ? 'hour' : 'day';
  }
  return 'day';
}

/** The query of the page's `GET /api/dashboard` (see docs/api.md). */
export function dashboardQuery(f: Filters): URLSearchParams {
  const p = apiParams(f);
  p.set('bucket', trendBucket(f));
  p.set('limit', '50');
  return p;
}

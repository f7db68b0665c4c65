import { COST_MODES, type CostMode, VIEWS, type View } from '../../domain/usage.js';
import type { BucketUnit, GroupBy, RangeName } from './api-types.js';
import { instantOf, isTimeZone, startOfMonth } from './calendar.js';

/** A query string the API refuses; the message goes back to the caller as `{error}` with 400. */
export class BadRequest extends Error {}

/** Every /api query, checked and resolved to instants. */
export interface DashboardQuery {
  view: View;
  mode: CostMode;
  timezone: string;
  range: RangeName | 'custom';
  fromMs: number;
  /** Exclusive; undefined for ranges that run up to now and beyond. */
  toMs: number | undefined;
  /** Where bucket lists stop: `toMs`, or now. */
  endMs: number;
  /** Project names or paths, as given. */
  projects: string[];
  models: string[];
  bucket: BucketUnit;
  groupBy: GroupBy;
  limit: number;
}

export interface QueryDefaults {
  view: View;
  mode: CostMode;
  timezone: string;
  now: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGES: Record<Exclude<RangeName, 'month'>, number> = {
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '90d': 90 * DAY,
};
const RANGE_NAMES: readonly RangeName[] = ['24h', '7d', '30d', '90d', 'month'];
const BUCKETS: readonly BucketUnit[] = ['hour', 'day'];
const GROUPS: readonly GroupBy[] = ['model', 'project', 'kind', 'user'];
const SINGLE = ['from', 'to', 'range', 'tz', 'bucket', 'groupBy', 'view', 'mode', 'limit'] as const;
const REPEATABLE = ['project', 'model'] as const;
const KNOWN = new Set<string>([...SINGLE, ...REPEATABLE]);
const MAX_BUCKETS = 5000;
const MAX_TEXT = 500;

/** Checks a query string once, where it enters; everything after trusts the result. */
export function parseDashboardQuery(
  params: URLSearchParams,
  defaults: QueryDefaults,
): DashboardQuery {
  for (const key of params.keys()) {
    if (!KNOWN.has(key)) {
      throw new BadRequest(`unknown parameter "${key}"; known: ${[...KNOWN].join(', ')}`);
    }
  }
  for (const key of SINGLE) {
    if (params.getAll(key).length > 1) throw new BadRequest(`"${key}" given more than once`);
  }
  const timezone = params.get('tz') ?? defaults.timezone;
  if (!isTimeZone(timezone)) {
    throw new BadRequest(
      `"tz" = "${timezone}" is not a time zone; use an IANA name such as Europe/Paris or UTC`,
    );
  }
  const view = oneOf(params, 'view', VIEWS, defaults.view);
  const mode = oneOf(params, 'mode', COST_MODES, defaults.mode);
  const { range, fromMs, toMs } = rangeOf(params, timezone, defaults.now);
  const endMs = toMs ?? Math.max(defaults.now, fromMs + 1);
  const bucket = oneOf(params, 'bucket', BUCKETS, endMs - fromMs <= 2 * DAY ? 'hour' : 'day');
  if (bucket === 'hour' && (endMs - fromMs) / HOUR > MAX_BUCKETS) {
    throw new BadRequest(
      `"bucket=hour" over this range makes more than ${MAX_BUCKETS} buckets; use bucket=day`,
    );
  }
  if (bucket === 'day' && (endMs - fromMs) / DAY > MAX_BUCKETS) {
    throw new BadRequest(`the range spans more than ${MAX_BUCKETS} days; narrow "from"`);
  }
  return {
    view,
    mode,
    timezone,
    range,
    fromMs,
    toMs,
    endMs,
    projects: texts(params, 'project'),
    models: texts(params, 'model'),
    bucket,
    groupBy: oneOf(params, 'groupBy', GROUPS, 'model'),
    limit: limitOf(params.get('limit')),
  };
}

function oneOf<T extends string>(
  params: URLSearchParams,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = params.get(key);
  if (value === null) return fallback;
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new BadRequest(`"${key}" must be one of ${allowed.join(', ')}; got "${value}"`);
  return found;
}

function texts(params: URLSearchParams, key: string): string[] {
  const values = params.getAll(key);
  for (const v of values) {
    if (v === '' || v.length > MAX_TEXT)
      throw new BadRequest(`"${key}" must be 1 to ${MAX_TEXT} characters`);
  }
  return [...new Set(values)];
}

function limitOf(value: string | null): number {
  if (value === null) return 200;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000)
    throw new BadRequest(`"limit" must be a whole number from 1 to 10000; got "${value}"`);
  return n;
}

function rangeOf(
  params: URLSearchParams,
  timezone: string,
  now: number,
): { range: RangeName | 'custom'; fromMs: number; toMs: number | undefined } {
  const range = params.get('range');
  const from = params.get('from');
  const to = params.get('to');
  if (range !== null && (from !== null || to !== null)) {
    throw new BadRequest('give either "range" or "from"/"to", not both');
  }
  if (from === null && to === null) {
    const name = range === null ? '7d' : RANGE_NAMES.find((r) => r === range);
    if (name === undefined)
      throw new BadRequest(`"range" must be one of ${RANGE_NAMES.join(', ')}; got "${range}"`);
    const fromMs = name === 'month' ? startOfMonth(now, timezone) : now - RANGES[name];
    return { range: name, fromMs, toMs: undefined };
  }
  const fromMs = from === null ? 0 : instantParam('from', from, timezone, false);
  const toMs = to === null ? undefined : instantParam('to', to, timezone, true);
  if (toMs !== undefined && toMs <= fromMs) throw new BadRequest('"to" must be after "from"');
  return { range: 'custom', fromMs, toMs };
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Unix ms, or an ISO date or time. Without an offset the time is read in the
 * time zone; a bare date names its whole day, so `to=2026-11-30` includes the 30th.
 */
function instantParam(key: string, value: string, timezone: string, isEnd: boolean): number {
  const fail = () =>
    new BadRequest(
      `"${key}" must be an ISO date or time (2026-11-24, 2026-11-24T09:30, 2026-11-24T09:30Z) or Unix ms; got "${value}"`,
    );
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const m = ISO.exec(value);
  if (!m) throw fail();
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const wall = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  if (
    wall.month < 1 ||
    wall.month > 12 ||
    wall.day < 1 ||
    wall.day > 31 ||
    wall.hour > 23 ||
    wall.minute > 59 ||
    wall.second > 59
  ) {
    throw fail();
  }
  const ms = Number((frac ?? '').padEnd(3, '0'));
  if (zone !== undefined) {
    const utc =
      Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) + ms;
    if (zone === 'Z') return utc;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (h === undefined) return instantOf({ ...wall, day: wall.day + (isEnd ? 1 : 0) }, timezone);
  return instantOf(wall, timezone) + ms;
}

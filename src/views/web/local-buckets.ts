import {
  type ActivityFilter,
  type MessageRow,
  messageCounts,
} from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import {
  type SessionInBucket,
  sessionsByBucket,
  type UsageFilter,
  type UsageGrouping,
  type UsageRow,
  usageRows,
} from '../../store/usage-queries.js';
import type { BucketUnit } from './api-types.js';
import { bucketStarts, offsetSpans, startOfBucket } from './calendar.js';

/**
 * SQLite groups by fixed UTC steps; people read hours and days in their time
 * zone. Every UTC offset in use is a whole number of quarter hours, so rows
 * grouped by 15 UTC minutes fold exactly into local hours and days.
 */
export const BASE_BUCKET_MS = 15 * 60_000;

export class LocalBuckets {
  readonly starts: number[];
  private readonly index = new Map<number, number>();
  private readonly baseToIndex = new Map<number, number>();

  constructor(
    fromMs: number,
    readonly endMs: number,
    readonly unit: BucketUnit,
    readonly timezone: string,
  ) {
    this.starts = bucketStarts(fromMs, endMs, unit, timezone);
    for (const [i, start] of this.starts.entries()) this.index.set(start, i);
  }

  /** The local bucket holding a 15-minute UTC bucket, or -1 outside the range. */
  indexOf(baseBucketMs: number): number {
    let i = this.baseToIndex.get(baseBucketMs);
    if (i === undefined) {
      i = this.index.get(startOfBucket(baseBucketMs, this.unit, this.timezone)) ?? -1;
      this.baseToIndex.set(baseBucketMs, i);
    }
    return i;
  }

  zeros(): number[] {
    return new Array<number>(this.starts.length).fill(0);
  }
}

const UNIT_MS: Record<BucketUnit, number> = { hour: 3_600_000, day: 86_400_000 };

/**
 * `usageRows` by the buckets' local hours or days, grouped by SQLite: within
 * a stretch where the zone's offset holds, a local hour or day is a fixed
 * step shifted by the offset, so a year by day is a few hundred rows rather
 * than 35,000 quarter hours. Each row's `bucket` is an instant inside its
 * local bucket, for `buckets.indexOf`. Falls back to quarter hours where
 * the range is open or the zone's offset changes off the quarter hour.
 */
export function localUsageRows(
  db: Db,
  filter: UsageFilter,
  group: Omit<UsageGrouping, 'bucketMs' | 'bucketOffsetMs'>,
  buckets: LocalBuckets,
): UsageRow[] {
  return localRows(filter, buckets, (f, step) => usageRows(db, f, { ...group, ...step }));
}

/** Transcript messages by role in each local bucket, as `localUsageRows` cuts the range. */
export function localMessageCounts(
  db: Db,
  filter: ActivityFilter,
  buckets: LocalBuckets,
): MessageRow[] {
  return localRows(filter, buckets, (f, step) => messageCounts(db, f, step));
}

/** The sessions active in each local bucket, as `localUsageRows` cuts the range. */
export function localSessions(
  db: Db,
  filter: UsageFilter,
  buckets: LocalBuckets,
): SessionInBucket[] {
  return localRows(filter, buckets, (f, step) => sessionsByBucket(db, f, step));
}

function localRows<
  Row extends { bucket: number },
  Filter extends { fromMs?: number; toMs?: number },
>(
  filter: Filter,
  buckets: LocalBuckets,
  read: (filter: Filter, step: { bucketMs: number; bucketOffsetMs?: number }) => Row[],
): Row[] {
  const { fromMs } = filter;
  // A range open at the end ("the last 90 days") is cut into spans up to the
  // buckets' end; what lies beyond it (a clock ahead) is read as a last span.
  const toMs = filter.toMs ?? buckets.endMs;
  const spans: { fromMs: number; toMs: number | undefined; offsetMs: number }[] | undefined =
    fromMs !== undefined && toMs > fromMs ? offsetSpans(fromMs, toMs, buckets.timezone) : undefined;
  if (!spans) return read(filter, { bucketMs: BASE_BUCKET_MS });
  const last = spans.at(-1);
  if (filter.toMs === undefined && last) {
    spans.push({ fromMs: toMs, toMs: undefined, offsetMs: last.offsetMs });
  }
  const rows: Row[] = [];
  for (const span of spans) {
    const part = read(
      { ...filter, fromMs: span.fromMs, toMs: span.toMs },
      { bucketMs: UNIT_MS[buckets.unit], bucketOffsetMs: span.offsetMs },
    );
    // A bucket cut by the span's start: its first instant in the span is inside it.
    for (const row of part) rows.push({ ...row, bucket: Math.max(row.bucket, span.fromMs) });
  }
  return rows;
}

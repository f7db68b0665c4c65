import type { BucketUnit } from './api-types.js';
import { bucketStarts, startOfBucket } from './calendar.js';

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
    endMs: number,
    readonly unit: BucketUnit,
    private readonly timezone: string,
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

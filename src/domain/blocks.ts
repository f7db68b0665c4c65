import type { Nanos } from './money.js';
import { addTotals, emptyTotals, tokensOf, type UsageTotals } from './usage-totals.js';

/** Claude's billing window. */
export const BLOCK_MS = 5 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** Responses of one model close in time (one response, or a minute's worth of them). */
export interface BlockEntry extends UsageTotals {
  model: string;
}

export interface Block {
  startMs: number;
  endMs: number;
  /** A stretch of more than a block's length without responses, between two blocks. */
  isGap: boolean;
  /** The block's window is still open at `now`. */
  isActive: boolean;
  /** Its responses; `totals.lastMs` is the block's actual end. */
  totals: UsageTotals;
  /** Models in order of first use. */
  models: string[];
}

export interface BurnRate {
  /** All token kinds per minute, between the block's first and last response. */
  tokensPerMinute: number;
  /** Input and output only (ccusage's `tokensPerMinuteForIndicator`). */
  tokensPerMinuteForIndicator: number;
  costNanosPerHour: number;
}

export interface Projection {
  /** Tokens and cost at the block's end if the burn rate holds. */
  totalTokens: number;
  costNanos: Nanos;
  remainingMinutes: number;
}

export type LimitState = 'ok' | 'warning' | 'exceeds';

export interface LimitStatus {
  limit: number;
  /** Share of the limit used so far and at the block's end, in percent. */
  usedPercent: number;
  projectedUsage: number;
  projectedPercent: number;
  state: LimitState;
}

function openBlock(startMs: number, blockMs: number): Block {
  return {
    startMs,
    endMs: startMs + blockMs,
    isGap: false,
    isActive: false,
    totals: emptyTotals(),
    models: [],
  };
}

/**
 * Splits responses into 5-hour billing blocks, as ccusage does: a block starts
 * at its first response floored to the UTC hour and takes every response until
 * one comes more than `blockMs` after the block's start or after the previous
 * response. A silence longer than a block becomes a gap block, from the last
 * response + `blockMs` to the next response.
 *
 * Entries may group responses (e.g. per minute); each counts at its `firstMs`.
 */
export function billingBlocks(
  entries: readonly BlockEntry[],
  now: number,
  blockMs: number = BLOCK_MS,
): Block[] {
  const sorted = entries.filter((e) => e.responses > 0).sort((a, b) => a.firstMs - b.firstMs);
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const entry of sorted) {
    if (current) {
      const sinceLast = entry.firstMs - current.totals.lastMs;
      if (entry.firstMs - current.startMs > blockMs || sinceLast > blockMs) {
        blocks.push(current);
        if (sinceLast > blockMs)
          blocks.push(gapBlock(current.totals.lastMs + blockMs, entry.firstMs));
        current = undefined;
      }
    }
    current ??= openBlock(Math.floor(entry.firstMs / HOUR_MS) * HOUR_MS, blockMs);
    addTotals(current.totals, entry);
    if (!current.models.includes(entry.model)) current.models.push(entry.model);
  }
  if (current) blocks.push(current);
  for (const block of blocks) block.isActive = isActiveAt(block, now, blockMs);
  return blocks;
}

/** The first and last response time of one time bucket (e.g. a quarter hour) with responses. */
export interface ActivitySpan {
  bucketMs: number;
  /** The bucket's width where it is not `blockWindows`' `bucketWidthMs` (a bucket read response by response). */
  widthMs?: number;
  firstMs: number;
  lastMs: number;
}

/** A block's time bounds, before its figures are summed. */
export interface BlockWindow {
  startMs: number;
  endMs: number;
  isGap: boolean;
  /** First and last response (for a gap: its start and end). */
  firstMs: number;
  lastMs: number;
  /** The buckets holding its responses: [fromBucketMs, toBucketMs). */
  fromBucketMs: number;
  toBucketMs: number;
}

/**
 * `billingBlocks`' rule applied to buckets of responses (spans in time order,
 * each `bucketWidthMs` wide, on whole divisions of the hour) instead of to each
 * response. A block's end is on the hour, so it can fall inside a bucket only
 * where that bucket's first response is exactly at its start and more follow:
 * then the answer needs those responses one by one, and this returns
 * undefined. A silence longer than a block is a gap, as in `billingBlocks`.
 */
export function blockWindows(
  spans: readonly ActivitySpan[],
  bucketWidthMs: number,
  blockMs: number = BLOCK_MS,
): BlockWindow[] | undefined {
  const windows: BlockWindow[] = [];
  let current: BlockWindow | undefined;
  for (const span of spans) {
    if (current) {
      const sinceLast = span.firstMs - current.lastMs;
      if (span.firstMs - current.startMs > blockMs || sinceLast > blockMs) {
        windows.push(current);
        if (sinceLast > blockMs) {
          const gapStart = current.lastMs + blockMs;
          windows.push({
            startMs: gapStart,
            endMs: span.firstMs,
            isGap: true,
            firstMs: gapStart,
            lastMs: span.firstMs,
            fromBucketMs: span.bucketMs,
            toBucketMs: span.bucketMs,
          });
        }
        current = undefined;
      } else if (span.lastMs - current.startMs > blockMs) {
        return undefined; // the block ends inside this bucket
      }
    }
    if (!current) {
      const startMs = Math.floor(span.firstMs / HOUR_MS) * HOUR_MS;
      if (span.lastMs - startMs > blockMs) return undefined;
      current = {
        startMs,
        endMs: startMs + blockMs,
        isGap: false,
        firstMs: span.firstMs,
        lastMs: span.lastMs,
        fromBucketMs: span.bucketMs,
        toBucketMs: span.bucketMs + (span.widthMs ?? bucketWidthMs),
      };
      continue;
    }
    current.lastMs = Math.max(current.lastMs, span.lastMs);
    current.toBucketMs = span.bucketMs + (span.widthMs ?? bucketWidthMs);
  }
  if (current) windows.push(current);
  return windows;
}

/** Whether a block's window is still open at `now`. */
export function isActiveAt(
  block: Pick<Block, 'isGap' | 'endMs' | 'totals'>,
  now: number,
  blockMs = BLOCK_MS,
): boolean {
  return !block.isGap && now - block.totals.lastMs < blockMs && now < block.endMs;
}

function gapBlock(startMs: number, endMs: number): Block {
  return { startMs, endMs, isGap: true, isActive: false, totals: emptyTotals(), models: [] };
}

/** Null for a gap, or when the block's responses span no time. */
export function burnRateOf(block: Block): BurnRate | null {
  const t = block.totals;
  if (block.isGap || t.responses === 0) return null;
  const minutes = (t.lastMs - t.firstMs) / MINUTE_MS;
  if (minutes <= 0) return null;
  return {
    tokensPerMinute: tokensOf(t) / minutes,
    tokensPerMinuteForIndicator: (t.input + t.output) / minutes,
    costNanosPerHour: (t.costNanos / minutes) * 60,
  };
}

/** Where an active block ends up if its burn rate holds; null for other blocks. */
export function projectionOf(block: Block, now: number): Projection | null {
  if (!block.isActive) return null;
  const rate = burnRateOf(block);
  if (!rate) return null;
  const remaining = Math.max(0, (block.endMs - now) / MINUTE_MS);
  return {
    totalTokens: Math.round(tokensOf(block.totals) + rate.tokensPerMinute * remaining),
    costNanos: Math.round(block.totals.costNanos + (rate.costNanosPerHour / 60) * remaining),
    remainingMinutes: Math.round(remaining),
  };
}

/** `--token-limit max`: the largest total of a finished block (ccusage's rule); undefined if none. */
export function largestBlockTokens(blocks: readonly Block[]): number | undefined {
  let max = 0;
  for (const b of blocks) {
    if (!b.isGap && !b.isActive) max = Math.max(max, tokensOf(b.totals));
  }
  return max > 0 ? max : undefined;
}

/** Over the limit at the block's end: exceeds; over 80 %: warning. */
export function limitStatusOf(block: Block, limit: number, now: number): LimitStatus {
  const used = tokensOf(block.totals);
  const projectedUsage = projectionOf(block, now)?.totalTokens ?? used;
  const state: LimitState =
    projectedUsage > limit ? 'exceeds' : projectedUsage > limit * 0.8 ? 'warning' : 'ok';
  return {
    limit,
    usedPercent: (used / limit) * 100,
    projectedUsage,
    projectedPercent: (projectedUsage / limit) * 100,
    state,
  };
}

import { describe, expect, it } from 'vitest';
import {
  BLOCK_MS,
  type BlockEntry,
  billingBlocks,
  burnRateOf,
  largestBlockTokens,
  limitStatusOf,
  projectionOf,
} from '../../src/domain/blocks.js';

const at = (iso: string): number => Date.parse(iso);

/** One response of `tokens` output tokens costing `nanos`. */
function entry(
  iso: string,
  tokens = 1000,
  nanos = 1_000_000,
  model = 'claude-sonnet-4-5-20250929',
): BlockEntry {
  const ms = at(iso);
  return {
    model,
    responses: 1,
    input: 0,
    output: tokens,
    cacheRead: 0,
    cacheCreation: 0,
    costNanos: nanos,
    unpricedResponses: 0,
    unpricedTokens: 0,
    understated: 0,
    firstMs: ms,
    lastMs: ms,
  };
}

const LATER = at('2030-01-01T00:00:00Z');
const shape = (now: number, ...entries: BlockEntry[]) =>
  billingBlocks(entries, now).map((b) => ({
    start: new Date(b.startMs).toISOString(),
    end: new Date(b.endMs).toISOString(),
    gap: b.isGap,
    responses: b.totals.responses,
  }));

describe('billingBlocks', () => {
  it('starts a block at its first response floored to the UTC hour, and ends it 5 h later', () => {
    expect(shape(LATER, entry('2026-11-20T01:30:00Z'), entry('2026-11-20T05:59:00Z'))).toEqual([
      {
        start: '2026-11-20T01:00:00.000Z',
        end: '2026-11-20T06:00:00.000Z',
        gap: false,
        responses: 2,
      },
    ]);
  });

  it('a response more than 5 h after the block start opens the next block (no gap between)', () => {
    expect(
      shape(
        LATER,
        entry('2026-11-20T01:30:00Z'),
        entry('2026-11-20T03:10:00Z'),
        entry('2026-11-20T06:05:00Z'),
      ),
    ).toEqual([
      {
        start: '2026-11-20T01:00:00.000Z',
        end: '2026-11-20T06:00:00.000Z',
        gap: false,
        responses: 2,
      },
      {
        start: '2026-11-20T06:00:00.000Z',
        end: '2026-11-20T11:00:00.000Z',
        gap: false,
        responses: 1,
      },
    ]);
  });

  it('exactly 5 h after the start still belongs to the block', () => {
    expect(shape(LATER, entry('2026-11-20T01:00:00Z'), entry('2026-11-20T06:00:00Z'))).toHaveLength(
      1,
    );
  });

  it('a silence over 5 h leaves a gap block from last response + 5 h to the next response', () => {
    expect(shape(LATER, entry('2026-11-20T07:00:00Z'), entry('2026-11-20T19:00:00Z'))).toEqual([
      {
        start: '2026-11-20T07:00:00.000Z',
        end: '2026-11-20T12:00:00.000Z',
        gap: false,
        responses: 1,
      },
      {
        start: '2026-11-20T12:00:00.000Z',
        end: '2026-11-20T19:00:00.000Z',
        gap: true,
        responses: 0,
      },
      {
        start: '2026-11-20T19:00:00.000Z',
        end: '2026-11-21T00:00:00.000Z',
        gap: false,
        responses: 1,
      },
    ]);
  });

  it('sorts its entries and sums tokens, cost and models per block', () => {
    const blocks = billingBlocks(
      [
        entry('2026-11-20T02:00:00Z', 10, 5, 'claude-opus-4-5-20251101'),
        entry('2026-11-20T01:10:00Z', 20, 7),
      ],
      LATER,
    );
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.totals).toMatchObject({
      output: 30,
      costNanos: 12,
      firstMs: at('2026-11-20T01:10:00Z'),
    });
    expect(blocks[0]?.models).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101']);
  });

  it('nothing in, nothing out', () => {
    expect(billingBlocks([], LATER)).toEqual([]);
  });
});

describe('the active block', () => {
  const entries = [
    entry('2026-11-24T02:00:00Z', 30_000, 60_000_000),
    entry('2026-11-24T02:30:00Z', 30_000, 60_000_000),
  ];
  const now = at('2026-11-24T03:00:00Z');

  it('is the one whose window is still open at now', () => {
    expect(billingBlocks(entries, now)[0]?.isActive).toBe(true);
    expect(billingBlocks(entries, at('2026-11-24T07:00:00Z'))[0]?.isActive).toBe(false);
  });

  it('burns at its tokens and cost over the time between its first and last response', () => {
    const [block] = billingBlocks(entries, now);
    if (!block) throw new Error('no block');
    // 60,000 tokens and $0.12 over 30 minutes.
    expect(burnRateOf(block)).toEqual({
      tokensPerMinute: 2000,
      tokensPerMinuteForIndicator: 2000,
      costNanosPerHour: 240_000_000,
    });
  });

  it('projects that rate to the block end', () => {
    const [block] = billingBlocks(entries, now);
    if (!block) throw new Error('no block');
    // 4 h (240 min) left at 2,000 tokens/min and $0.24/h.
    expect(projectionOf(block, now)).toEqual({
      totalTokens: 60_000 + 480_000,
      costNanos: 120_000_000 + 960_000_000,
      remainingMinutes: 240,
    });
  });

  it('has no burn rate or projection with a single instant of responses, nor once inactive', () => {
    const [single] = billingBlocks([entry('2026-11-24T02:00:00Z')], now);
    if (!single) throw new Error('no block');
    expect(burnRateOf(single)).toBeNull();
    expect(projectionOf(single, now)).toBeNull();
    const [old] = billingBlocks(entries, LATER);
    if (!old) throw new Error('no block');
    expect(projectionOf(old, LATER)).toBeNull();
  });

  it('measures the token limit now and at the projected end', () => {
    const [block] = billingBlocks(entries, now);
    if (!block) throw new Error('no block');
    expect(limitStatusOf(block, 600_000, now)).toEqual({
      limit: 600_000,
      usedPercent: 10,
      projectedUsage: 540_000,
      projectedPercent: 90,
      state: 'warning',
    });
    expect(limitStatusOf(block, 1_000_000, now).state).toBe('ok');
    expect(limitStatusOf(block, 500_000, now).state).toBe('exceeds');
  });

  it('--token-limit max is the largest finished block, never the active one', () => {
    const blocks = billingBlocks(
      [entry('2026-11-20T01:00:00Z', 5000), entry('2026-11-21T01:00:00Z', 7000), ...entries],
      now,
    );
    expect(blocks.map((b) => b.isGap)).toEqual([false, true, false, true, false]);
    expect(largestBlockTokens(blocks)).toBe(7000);
    expect(largestBlockTokens(billingBlocks(entries, now))).toBeUndefined();
  });

  it('is 5 hours long', () => {
    expect(BLOCK_MS).toBe(5 * 3_600_000);
  });
});

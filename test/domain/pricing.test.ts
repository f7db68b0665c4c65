import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceList } from '../../src/cli/load-pricing.js';
import { nanosToUsd } from '../../src/domain/money.js';
import { normalizeModelId, PriceError, PriceList } from '../../src/domain/pricing.js';
import { emptyTokens } from '../../src/domain/usage.js';
import { unpricedModels, usageRows } from '../../src/store/usage-queries.js';
import { storeWith, tempDir } from '../helpers/store.js';
import { NEW_RUNS } from '../helpers/truth.js';

const tokens = (input: number, output: number, cacheCreation: number, cacheRead: number) => ({
  ...emptyTokens(),
  input,
  output,
  cacheCreation,
  cacheRead,
});

describe('pricing', () => {
  const prices = new PriceList();

  it('prices the README example to the micro-dollar', () => {
    const cost = prices.costOf('claude-sonnet-4-5-20250929', tokens(16, 69, 16061, 30468));
    expect(cost).toBe(70_452_150);
    expect(nanosToUsd(cost ?? 0)).toBe(0.07045215);
  });

  it('never confuses Opus 4.5 with Opus 4, nor prices an unknown model as $0', () => {
    expect(prices.costOf('claude-opus-4-5-20251101', tokens(1_000_000, 0, 0, 0))).toBe(5e9);
    expect(prices.costOf('claude-opus-4-20250514', tokens(1_000_000, 0, 0, 0))).toBe(15e9);
    expect(prices.costOf('claude-opus-4-6', tokens(1, 0, 0, 0))).toBeUndefined();
    expect(prices.costOf('gpt-5', tokens(1, 0, 0, 0))).toBeUndefined();
  });

  it('recognises provider spellings of a model id', () => {
    expect(normalizeModelId('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(
      'claude-sonnet-4-5-20250929',
    );
    expect(prices.has('claude-sonnet-4-5@20250929')).toBe(true);
    expect(prices.has('claude-sonnet-4-5-20250929[1m]')).toBe(true);
  });

  it('charges the long-context tier when the prompt exceeds 200k tokens', () => {
    const small = prices.costOf('claude-sonnet-4-5-20250929', tokens(200_000, 1000, 0, 0));
    const large = prices.costOf('claude-sonnet-4-5-20250929', tokens(200_001, 1000, 0, 0));
    expect(small).toBe(200_000 * 3000 + 1000 * 15_000);
    expect(large).toBe(200_001 * 6000 + 1000 * 22_500);
  });

  it('splits cache writes into 5-minute and 1-hour prices', () => {
    const t = { ...tokens(0, 0, 300, 0), cacheCreation5m: 100, cacheCreation1h: 200 };
    expect(prices.costOf('claude-haiku-4-5-20251001', t)).toBe(100 * 1250 + 200 * 2000);
  });

  it('--pricing adds and overrides models, and rejects bad files clearly', () => {
    const dir = tempDir();
    const file = join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ 'claude-opus-4-6': { input: 5, output: 25 } }));
    const list = loadPriceList(file);
    expect(list.costOf('claude-opus-4-6-20260101', tokens(0, 0, 1_000_000, 1_000_000))).toBe(
      6.25e9 + 0.5e9,
    );
    writeFileSync(file, '{"m": {"input": "three"}}');
    expect(() => loadPriceList(file)).toThrow(PriceError);
    writeFileSync(file, '{"m": {"input": 0.0001, "output": 1}}');
    expect(() => loadPriceList(file)).toThrow(/3 decimals/);
    expect(() => loadPriceList(join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });

  it('reports the tokens of an unknown model as unpriced, naming it', () => {
    const { db } = storeWith([`${NEW_RUNS}json-tools`], new PriceList({}));
    const [row] = usageRows(db, { view: 'transcripts', mode: 'calculate' }, {});
    expect(row?.costNanos).toBe(0);
    expect(row?.unpricedResponses).toBe(3);
    expect(row?.unpricedTokens).toBe(16 + 69 + 16061 + 30468);
    expect(unpricedModels(db, 'transcripts')).toEqual(['claude-sonnet-4-5-20250929']);
  });
});

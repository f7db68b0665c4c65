import { readFileSync } from 'node:fs';
import { PriceError, PriceList } from '../domain/pricing.js';
import type { ModelPrice, RatesPerMillion } from '../domain/pricing-table.js';

export const PRICING_FILE_EXAMPLE = `{
  "claude-opus-4-6": { "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }
}`;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ratesOf(value: unknown, where: string): RatesPerMillion {
  if (!isRecord(value)) throw new PriceError(`${where}: expected an object of prices`);
  const rate = (key: keyof RatesPerMillion, fallback?: number): number => {
    const v = value[key] ?? fallback;
    if (typeof v !== 'number') {
      throw new PriceError(`${where}: "${key}" must be a number (USD per million tokens)`);
    }
    return v;
  };
  const input = rate('input');
  return {
    input,
    output: rate('output'),
    // Anthropic's cache rates are fixed multiples of the input rate.
    cacheRead: rate('cacheRead', input / 10),
    cacheWrite5m: rate('cacheWrite5m', input * 1.25),
    cacheWrite1h: rate('cacheWrite1h', input * 2),
  };
}

/**
 * `--pricing FILE`: a JSON object of model family (or exact model id) to
 * prices in USD per million tokens; it overrides or extends the built-in table.
 */
export function loadPriceList(file: string | undefined): PriceList {
  if (!file) return new PriceList();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PriceError(`cannot read the pricing file ${file}: ${(error as Error).message}`);
  }
  const models = isRecord(parsed) && isRecord(parsed.models) ? parsed.models : parsed;
  if (!isRecord(models)) {
    throw new PriceError(
      `the pricing file ${file} must hold a JSON object, e.g.\n${PRICING_FILE_EXAMPLE}`,
    );
  }
  const overrides: Record<string, ModelPrice> = {};
  for (const [model, value] of Object.entries(models)) {
    const where = `${file}: ${model}`;
    const price: ModelPrice = ratesOf(value, where);
    if (isRecord(value) && value.longContext !== undefined) {
      price.longContext = ratesOf(value.longContext, `${where} longContext`);
    }
    overrides[model] = price;
  }
  return PriceList.withOverrides(overrides);
}

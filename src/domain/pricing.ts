import type { Nanos } from './money.js';
import {
  BUILT_IN_PRICES,
  LONG_CONTEXT_THRESHOLD,
  type ModelPrice,
  type RatesPerMillion,
} from './pricing-table.js';
import type { TokenCounts } from './usage.js';

/** Rates in integer nano-dollars per token (USD per million x 1000). */
interface NanoRates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

interface CompiledPrice {
  family: string;
  base: NanoRates;
  longContext: NanoRates | undefined;
}

export class PriceError extends Error {}

function toNanoRates(rates: RatesPerMillion, where: string): NanoRates {
  const rate = (key: keyof RatesPerMillion): number => {
    const perMillion = rates[key];
    if (typeof perMillion !== 'number' || !Number.isFinite(perMillion) || perMillion < 0) {
      throw new PriceError(
        `${where}: "${key}" must be a non-negative number of USD per million tokens`,
      );
    }
    const nanos = Math.round(perMillion * 1000);
    if (Math.abs(nanos - perMillion * 1000) > 1e-6) {
      throw new PriceError(
        `${where}: "${key}" = ${perMillion} has more than 3 decimals per million tokens; ccmon keeps costs exact in nano-dollars`,
      );
    }
    return nanos;
  };
  return {
    input: rate('input'),
    output: rate('output'),
    cacheRead: rate('cacheRead'),
    cacheWrite5m: rate('cacheWrite5m'),
    cacheWrite1h: rate('cacheWrite1h'),
  };
}

/**
 * The price list in force: the built-in table plus any `--pricing` overrides.
 * Unknown models return undefined and must be reported as unpriced, never $0.
 */
export class PriceList {
  private readonly families: CompiledPrice[];
  private readonly cache = new Map<string, CompiledPrice | null>();
  /** A short fingerprint of the rates, so stored costs can be recomputed when prices change. */
  readonly fingerprint: string;

  /** `prices`: the table it was made from, e.g. to make the same list in a worker thread. */
  constructor(readonly prices: Readonly<Record<string, ModelPrice>> = BUILT_IN_PRICES) {
    this.families = Object.entries(prices)
      .map(([family, price]) => ({
        family: family.toLowerCase(),
        base: toNanoRates(price, `price of ${family}`),
        longContext: price.longContext
          ? toNanoRates(price.longContext, `long-context price of ${family}`)
          : undefined,
      }))
      .sort((a, b) => b.family.length - a.family.length);
    this.fingerprint = JSON.stringify(
      this.families.map((f) => [f.family, f.base, f.longContext ?? null]),
    );
  }

  static withOverrides(overrides: Readonly<Record<string, ModelPrice>>): PriceList {
    return new PriceList({ ...BUILT_IN_PRICES, ...overrides });
  }

  private lookup(model: string): CompiledPrice | undefined {
    const cached = this.cache.get(model);
    if (cached !== undefined) return cached ?? undefined;
    const id = normalizeModelId(model);
    const found = this.families.find((f) => id === f.family || isVariantOf(id, f.family)) ?? null;
    this.cache.set(model, found);
    return found ?? undefined;
  }

  has(model: string): boolean {
    return this.lookup(model) !== undefined;
  }

  /** Cost of one response in nano-dollars, or undefined when the model has no price. */
  costOf(model: string, tokens: TokenCounts): Nanos | undefined {
    const price = this.lookup(model);
    if (!price) return undefined;
    const prompt = tokens.input + tokens.cacheRead + tokens.cacheCreation;
    const rates =
      price.longContext && prompt > LONG_CONTEXT_THRESHOLD ? price.longContext : price.base;
    // Cache writes without a 5m/1h split are 5-minute writes (Claude Code's default).
    const unsplit = Math.max(
      0,
      tokens.cacheCreation - tokens.cacheCreation5m - tokens.cacheCreation1h,
    );
    return (
      tokens.input * rates.input +
      tokens.output * rates.output +
      tokens.cacheRead * rates.cacheRead +
      (tokens.cacheCreation5m + unsplit) * rates.cacheWrite5m +
      tokens.cacheCreation1h * rates.cacheWrite1h
    );
  }
}

/** `us.anthropic.claude-sonnet-4-5-20250929-v1:0` and `claude-sonnet-4-5@20250929` become `claude-sonnet-4-5-20250929`. */
export function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase();
  const start = id.indexOf('claude-');
  if (start > 0) id = id.slice(start);
  id = id.replace(/\[[^\]]*\]$/, '');
  id = id.replace(/@/, '-');
  id = id.replace(/-v\d+(:\d+)?$/, '');
  return id;
}

function isVariantOf(id: string, family: string): boolean {
  if (!id.startsWith(family)) return false;
  const rest = id.slice(family.length);
  return /^-\d{8}$/.test(rest) || rest === '-latest';
}

/** List prices in USD per million tokens. */
export interface RatesPerMillion {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface ModelPrice extends RatesPerMillion {
  /** Rates for a request whose prompt (input + cache read + cache write) exceeds 200k tokens. */
  longContext?: RatesPerMillion;
}

/** The date the built-in table was checked against Anthropic's published list prices. */
export const BUILT_IN_PRICES_AS_OF = '2026-11-01';

export const LONG_CONTEXT_THRESHOLD = 200_000;

const opus4: ModelPrice = {
  input: 15,
  output: 75,
  cacheRead: 1.5,
  cacheWrite5m: 18.75,
  cacheWrite1h: 30,
};
const sonnet: ModelPrice = {
  input: 3,
  output: 15,
  cacheRead: 0.3,
  cacheWrite5m: 3.75,
  cacheWrite1h: 6,
};
const sonnet4LongContext: ModelPrice = {
  ...sonnet,
  longContext: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 },
};

/**
 * Keyed by model family; a model id matches a family when it is the family name,
 * optionally followed by a date (`-20250929`) or a provider suffix. Families are
 * matched longest first so `claude-opus-4-5` never falls back to `claude-opus-4`.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10 },
  'claude-opus-4-1': opus4,
  'claude-opus-4': opus4,
  'claude-3-opus': opus4,
  'claude-sonnet-4-5': sonnet4LongContext,
  'claude-sonnet-4': sonnet4LongContext,
  'claude-3-7-sonnet': sonnet,
  'claude-3-5-sonnet': sonnet,
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2 },
  'claude-3-5-haiku': {
    input: 0.8,
    output: 4,
    cacheRead: 0.08,
    cacheWrite5m: 1,
    cacheWrite1h: 1.6,
  },
  'claude-3-haiku': {
    input: 0.25,
    output: 1.25,
    cacheRead: 0.03,
    cacheWrite5m: 0.3,
    cacheWrite1h: 0.5,
  },
};

import type { Nanos } from './money.js';

/** Sums of a set of responses: the figures every report row shows. */
export interface UsageTotals {
  responses: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  /** Cost of the priced responses. */
  costNanos: Nanos;
  unpricedResponses: number;
  unpricedTokens: number;
  /** Responses whose output count is a placeholder. */
  understated: number;
  /** First and last response, Unix ms; 0 when empty. */
  firstMs: number;
  lastMs: number;
}

export function emptyTotals(): UsageTotals {
  return {
    responses: 0,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheCreation: 0,
    costNanos: 0,
    unpricedResponses: 0,
    unpricedTokens: 0,
    understated: 0,
    firstMs: 0,
    lastMs: 0,
  };
}

/** Adds `part` into `into` (mutates and returns it). */
export function addTotals(into: UsageTotals, part: Readonly<UsageTotals>): UsageTotals {
  if (part.responses === 0) return into;
  into.firstMs = into.responses === 0 ? part.firstMs : Math.min(into.firstMs, part.firstMs);
  into.lastMs = Math.max(into.lastMs, part.lastMs);
  into.responses += part.responses;
  into.input += part.input;
  into.output += part.output;
  into.cacheRead += part.cacheRead;
  into.cacheCreation += part.cacheCreation;
  into.costNanos += part.costNanos;
  into.unpricedResponses += part.unpricedResponses;
  into.unpricedTokens += part.unpricedTokens;
  into.understated += part.understated;
  return into;
}

export function tokensOf(t: Readonly<UsageTotals>): number {
  return t.input + t.output + t.cacheRead + t.cacheCreation;
}

/**
 * Money is held as integer nano-dollars (1e-9 USD) so sums are exact: every list
 * price per million tokens with at most three decimals is a whole number of
 * nano-dollars per token. Dollars appear only at the edges.
 */
export type Nanos = number;

export const NANOS_PER_USD = 1e9;

export function usdToNanos(usd: number): Nanos {
  return Math.round(usd * NANOS_PER_USD);
}

export function nanosToUsd(nanos: Nanos): number {
  // Dividing an exact integer by 1e9 gives the shortest decimal that round-trips,
  // e.g. 70452150 -> 0.07045215.
  return nanos / NANOS_PER_USD;
}

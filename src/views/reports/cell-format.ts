import { nanosToUsd } from '../../domain/money.js';

// Made on first use: each costs milliseconds to build, and JSON output needs neither.
let integers: Intl.NumberFormat | undefined;
let dollars: Intl.NumberFormat | undefined;

/** `1,234,567` */
export function formatTokens(n: number): string {
  integers ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return integers.format(n);
}

/** `$1,234.57`; a trailing `*` when some tokens have no price and are not in it. */
export function formatCost(nanos: number, unpricedTokens = 0): string {
  dollars ??= new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${dollars.format(nanosToUsd(nanos))}${unpricedTokens > 0 ? '*' : ''}`;
}

/** `claude-sonnet-4-5-20250929` -> `sonnet-4-5`, to keep tables narrow. */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** `2h 05m` */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

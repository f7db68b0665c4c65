/** How numbers read on the page: thousands separators, dollars with cents, compact axis units. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compactNumber = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const cents = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const compactDollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 2,
});

export const NANOS_PER_USD = 1e9;

export function formatInt(n: number): string {
  return integer.format(n);
}

export function formatCompact(n: number): string {
  return compactNumber.format(n);
}

/** `$1,234.56`; money is integer nano-dollars everywhere in the API. */
export function formatUsd(nanos: number): string {
  return cents.format(nanos / NANOS_PER_USD);
}

/** Every digit Claude Code's prices give: `$0.07045215`. */
export function formatUsdExact(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(Math.round(nanos));
  const dollars = Math.floor(abs / NANOS_PER_USD);
  const frac = String(abs % NANOS_PER_USD)
    .padStart(9, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0');
  return `${sign}$${integer.format(dollars)}.${frac}`;
}

/** Axis ticks: `$1.2K`, `$0.05`. */
export function formatUsdCompact(nanos: number): string {
  const usd = nanos / NANOS_PER_USD;
  return Math.abs(usd) < 1 && usd !== 0 ? cents.format(usd) : compactDollars.format(usd);
}

export function formatPercent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return formatDuration(seconds * 1000);
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(
  timeZone: string,
  kind: 'time' | 'dateTime' | 'date' | 'shortDate',
): Intl.DateTimeFormat {
  const key = `${timeZone}|${kind}`;
  let f = timeFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
        : kind === 'date'
          ? { year: 'numeric', month: 'short', day: 'numeric' }
          : kind === 'shortDate'
            ? { month: 'short', day: 'numeric' }
            : {
                month: 'short',
                day: 'numeric',
                hour: '2-digit',
                minute: '2-digit',
                hourCycle: 'h23',
              };
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    timeFormats.set(key, f);
  }
  return f;
}

export function formatTime(ms: number, timeZone: string): string {
  return timeFormat(timeZone, 'time').format(ms);
}

export function formatDateTime(ms: number, timeZone: string): string {
  return timeFormat(timeZone, 'dateTime').format(ms);
}

export function formatShortDate(ms: number, timeZone: string): string {
  return timeFormat(timeZone, 'shortDate').format(ms);
}

export function formatDate(ms: number, timeZone: string): string {
  return timeFormat(timeZone, 'date').format(ms);
}

/** `claude-sonnet-4-5-20250929` reads better as `sonnet-4-5`. */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

export const KIND_LABELS: Record<string, string> = {
  input: 'Input',
  output: 'Output',
  cacheRead: 'Cache read',
  cacheCreation: 'Cache write',
};

// Rows of the "targets" tables the issue-driven suites write: what the issue asks, what
// was measured, whether it is met, and how busy the machine was meanwhile.

import { loadavg } from 'node:os';

/** The 1-minute load average now. */
export const loadNow = () => loadavg()[0];

/** "2.9 → 3.4": the 1-minute load average at the start and end of a measurement. */
export const loadText = (start, end = loadNow()) => `${start.toFixed(1)} → ${end.toFixed(1)}`;

/** Milliseconds with a precision that suits their size. */
export function ms(value) {
  if (value == null || !Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(value >= 10 ? 1 : 2)} ms`;
}

/** The q-quantile of a list of numbers (nearest rank): 0.5 the median, 0.95 the p95. */
export function percentile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * One target: `value` against `limit` (at most, or at least when `atLeast`); `show`
 * formats both. `met` can be given instead when the check is not a comparison.
 */
export function targetRow({
  what,
  target,
  value,
  limit,
  atLeast = false,
  show = String,
  met,
  load,
  note,
}) {
  const ok =
    met ??
    (value == null || limit === undefined ? null : atLeast ? value >= limit : value <= limit);
  return {
    Target: what,
    Wanted: target ?? `${atLeast ? '≥' : '≤'} ${show(limit)}`,
    Measured: value == null ? 'n/a' : show(value),
    Met: ok === null ? 'not measured' : ok ? 'yes' : 'NO',
    'Load avg': load ?? '',
    ...(note ? { Note: note } : {}),
  };
}

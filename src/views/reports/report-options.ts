import type { Weekday } from '../../domain/local-calendar.js';
import type { CostMode, View } from '../../domain/usage.js';

export const REPORT_NAMES = [
  'daily',
  'weekly',
  'monthly',
  'session',
  'blocks',
  'projects',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const ORDERS = ['asc', 'desc'] as const;
export type Order = (typeof ORDERS)[number];

/** What a report covers and how; values are already checked (the CLI parses them). */
export interface ReportOptions {
  view: View;
  mode: CostMode;
  /** IANA zone that days, weeks and months are cut in. */
  timezone: string;
  /** Inclusive local days, `YYYY-MM-DD`. */
  since?: string;
  until?: string;
  /** Project name or path (or Claude Code's folder name for it). */
  project?: string;
  order: Order;
  /** Per-model rows in tables (JSON always has `modelBreakdowns`). */
  breakdown: boolean;
  startOfWeek: Weekday;
  /** blocks: only the active block / blocks of the last 3 days. */
  active: boolean;
  recent: boolean;
  tokenLimit?: number | 'max';
  /** The present, Unix ms; injected so tests fix it. */
  now: number;
}

export const DEFAULT_REPORT_OPTIONS: Omit<ReportOptions, 'timezone' | 'now'> = {
  view: 'both',
  mode: 'auto',
  order: 'asc',
  breakdown: false,
  startOfWeek: 'sunday',
  active: false,
  recent: false,
};

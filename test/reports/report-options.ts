import {
  DEFAULT_REPORT_OPTIONS,
  type ReportOptions,
} from '../../src/views/reports/report-options.js';

/** Report options as the CLI's defaults give them, in UTC, at a fixed now. */
export function optionsWith(overrides: Partial<ReportOptions> = {}): ReportOptions {
  return {
    ...DEFAULT_REPORT_OPTIONS,
    timezone: 'UTC',
    now: Date.parse('2026-12-01T00:00:00Z'),
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { addDays, LocalCalendar, parseDayKey, weekOf } from '../../src/domain/local-calendar.js';
import type { UsageRow } from '../../src/store/usage-queries.js';
import { groupByPeriod, periodJson, periodReport } from '../../src/views/reports/period-report.js';
import { storeWith } from '../helpers/store.js';
import { optionsWith } from './report-options.js';
import { configDirWith } from './synth-transcript.js';

const HOUR = 3_600_000;

// America/New_York: 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z);
// 2026-11-01 02:00 EDT falls back to 01:00 EST (06:00Z).
const TIMES = [
  '2026-03-08T04:30:00Z', // Mar 7 23:30 EST
  '2026-03-08T05:30:00Z', // Mar 8 00:30 EST
  '2026-03-08T07:30:00Z', // Mar 8 03:30 EDT, just after the jump
  '2026-03-09T03:30:00Z', // Mar 8 23:30 EDT
  '2026-03-09T04:30:00Z', // Mar 9 00:30 EDT
  '2026-11-01T03:59:59Z', // Oct 31 23:59:59 EDT
  '2026-11-01T05:30:00Z', // Nov 1 01:30 EDT
  '2026-11-01T06:30:00Z', // Nov 1 01:30 EST, the repeated hour
  '2026-11-02T04:30:00Z', // Nov 1 23:30 EST
  '2026-11-02T05:30:00Z', // Nov 2 00:30 EST
];

function responsesPer(json: ReturnType<typeof periodJson>): Record<string, number> {
  const rows =
    'daily' in json
      ? json.daily.map((r) => [r.date, r.responses] as const)
      : 'weekly' in json
        ? json.weekly.map((r) => [r.week, r.responses] as const)
        : json.monthly.map((r) => [r.month, r.responses] as const);
  return Object.fromEntries(rows);
}

describe('days, weeks and months are cut in --timezone', () => {
  const { db } = storeWith([configDirWith(TIMES)]);
  const report = (period: 'daily' | 'weekly' | 'monthly', overrides = {}) =>
    periodJson(
      periodReport(db, optionsWith({ timezone: 'America/New_York', ...overrides }), period),
    );

  it('a response at 23:30 local counts on that local day; DST days lose and double nothing', () => {
    const daily = report('daily');
    expect(responsesPer(daily)).toEqual({
      '2026-03-07': 1,
      '2026-03-08': 3,
      '2026-03-09': 1,
      '2026-10-31': 1,
      '2026-11-01': 3,
      '2026-11-02': 1,
    });
    expect(daily.totals.responses).toBe(TIMES.length);
  });

  it('the same responses in UTC', () => {
    expect(responsesPer(report('daily', { timezone: 'UTC' }))).toEqual({
      '2026-03-08': 3,
      '2026-03-09': 2,
      '2026-11-01': 3,
      '2026-11-02': 2,
    });
  });

  it('months and weeks (Sunday, as ccusage, or Monday)', () => {
    expect(responsesPer(report('monthly'))).toEqual({ '2026-03': 5, '2026-10': 1, '2026-11': 4 });
    expect(responsesPer(report('weekly'))).toEqual({
      '2026-03-01': 1,
      '2026-03-08': 4,
      '2026-10-25': 1,
      '2026-11-01': 4,
    });
    expect(responsesPer(report('weekly', { startOfWeek: 'monday' }))).toEqual({
      '2026-03-02': 4,
      '2026-03-09': 1,
      '2026-10-26': 4,
      '2026-11-02': 1,
    });
  });

  it('--since and --until are whole local days, inclusive', () => {
    const dstDay = report('daily', { since: '2026-03-08', until: '2026-03-08' });
    expect(responsesPer(dstDay)).toEqual({ '2026-03-08': 3 });
    const autumn = report('daily', { since: '2026-10-31', until: '2026-11-01' });
    expect(responsesPer(autumn)).toEqual({ '2026-10-31': 1, '2026-11-01': 3 });
  });

  it('--order desc puts the newest first', () => {
    const daily = report('daily', { order: 'desc' });
    expect('daily' in daily && daily.daily.map((d) => d.date)[0]).toBe('2026-11-02');
  });
});

describe('LocalCalendar', () => {
  it('DST days are 23 and 25 hours long', () => {
    const ny = new LocalCalendar('America/New_York');
    const length = (day: string) => ny.startOfDay(addDays(day, 1)) - ny.startOfDay(day);
    expect(length('2026-03-08')).toBe(23 * HOUR);
    expect(length('2026-11-01')).toBe(25 * HOUR);
    expect(length('2026-07-01')).toBe(24 * HOUR);
    expect(ny.startOfDay('2026-03-08')).toBe(Date.parse('2026-03-08T05:00:00Z'));
  });

  it('a day whose midnight is skipped starts at 01:00 (America/Santiago, 2026-09-06)', () => {
    const santiago = new LocalCalendar('America/Santiago');
    expect(santiago.startOfDay('2026-09-06')).toBe(Date.parse('2026-09-06T04:00:00Z'));
    expect(santiago.dayOf(Date.parse('2026-09-06T03:59:00Z')).key).toBe('2026-09-05');
  });

  it('agrees with Intl on every 15 minutes of a year, in zones with odd offsets', () => {
    for (const zone of [
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Europe/London',
    ]) {
      const cal = new LocalCalendar(zone);
      const reference = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      for (
        let t = Date.parse('2026-01-01T00:00:00Z');
        t < Date.parse('2027-01-01T00:00:00Z');
        t += 15 * 60_000
      ) {
        const day = cal.dayOf(t);
        if (day.key !== reference.format(t))
          throw new Error(`${zone} ${new Date(t).toISOString()}: ${day.key}`);
      }
    }
  });

  it('reads YYYY-MM-DD and YYYYMMDD, and refuses what is not a date', () => {
    expect(parseDayKey('2026-03-08')).toBe('2026-03-08');
    expect(parseDayKey('20260308')).toBe('2026-03-08');
    for (const bad of [
      '2026-02-30',
      '2026-3-8',
      '2026/03/08',
      '202603081',
      'yesterday',
      '2026-0308',
    ]) {
      expect(parseDayKey(bad), bad).toBeUndefined();
    }
  });

  it('weeks start on the given day', () => {
    expect(weekOf('2026-03-08', 'sunday')).toBe('2026-03-08');
    expect(weekOf('2026-03-08', 'monday')).toBe('2026-03-02');
    expect(weekOf('2026-03-07', 'saturday')).toBe('2026-03-07');
  });
});

describe('folding a year of 15-minute buckets', () => {
  it('folds a year of quarter-hour buckets into 365 days, DST days included', () => {
    const rows: UsageRow[] = [];
    const start = Date.parse('2026-01-01T00:00:00+01:00'); // midnight in Paris
    for (let b = start; b < start + 365 * 24 * HOUR; b += 15 * 60_000) {
      for (const model of ['claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101']) {
        rows.push({
          bucket: b,
          model,
          projectId: 0,
          sessionId: '',
          responses: 1,
          input: 1,
          output: 2,
          cacheRead: 3,
          cacheCreation: 4,
          costNanos: 5,
          unpricedResponses: 0,
          unpricedTokens: 0,
          understated: 0,
          firstMs: b,
          lastMs: b,
          userId: '',
          truncated: 0,
          errors: 0,
        });
      }
    }
    const cal = new LocalCalendar('Europe/Paris');
    const days = groupByPeriod(rows, cal, 'daily', 'sunday');
    expect(days).toHaveLength(365);
    expect(days.reduce((n, d) => n + d.totals.responses, 0)).toBe(rows.length);
    // 2026-03-29 (spring forward in Paris) has 23 hours of buckets, 2026-10-25 has 25.
    expect(days.find((d) => d.key === '2026-03-29')?.totals.responses).toBe(23 * 4 * 2);
    expect(days.find((d) => d.key === '2026-10-25')?.totals.responses).toBe(25 * 4 * 2);
  });
});

describe('offset spans', () => {
  it('cut a year where the zone changes its offset, at the exact instants', () => {
    const from = Date.parse('2026-01-01T05:00:00Z');
    const to = Date.parse('2027-01-01T05:00:00Z');
    expect(new LocalCalendar('America/New_York').offsetSpans(from, to)).toEqual([
      { fromMs: from, toMs: Date.parse('2026-03-08T07:00:00Z'), offsetMs: -5 * HOUR },
      {
        fromMs: Date.parse('2026-03-08T07:00:00Z'),
        toMs: Date.parse('2026-11-01T06:00:00Z'),
        offsetMs: -4 * HOUR,
      },
      { fromMs: Date.parse('2026-11-01T06:00:00Z'), toMs: to, offsetMs: -5 * HOUR },
    ]);
    expect(new LocalCalendar('Asia/Kathmandu').offsetSpans(from, to)).toEqual([
      { fromMs: from, toMs: to, offsetMs: 5.75 * HOUR },
    ]);
  });
});

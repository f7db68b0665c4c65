import {
  addDays,
  LocalCalendar,
  monthOf,
  type OffsetSpan,
  weekOf,
} from '../../domain/local-calendar.js';
import type { BucketUnit } from './api-types.js';

/** The dashboard's hours, days, weeks and months in a time zone, on top of LocalCalendar. */

const HOUR = 3_600_000;
const calendars = new Map<string, LocalCalendar>();

function calendarOf(timeZone: string): LocalCalendar {
  let c = calendars.get(timeZone);
  if (!c) {
    c = new LocalCalendar(timeZone);
    calendars.set(timeZone, c);
  }
  return c;
}

/** True when Intl knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    calendarOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The instant a wall-clock time names in the zone (in a DST gap, an hour later or earlier). */
export function instantOf(
  wall: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  timeZone: string,
): number {
  const c = calendarOf(timeZone);
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return guess - c.offsetAt(guess - c.offsetAt(guess));
}

/** [fromMs, toMs) cut where the zone's offset changes (see LocalCalendar.offsetSpans). */
export function offsetSpans(
  fromMs: number,
  toMs: number,
  timeZone: string,
): OffsetSpan[] | undefined {
  return calendarOf(timeZone).offsetSpans(fromMs, toMs);
}

export function startOfHour(ms: number, timeZone: string): number {
  const local = ms + calendarOf(timeZone).offsetAt(ms);
  return ms - (((local % HOUR) + HOUR) % HOUR);
}

export function startOfDay(ms: number, timeZone: string): number {
  return calendarOf(timeZone).dayOf(ms).startMs;
}

/** Weeks start on Monday (ISO 8601). */
export function startOfWeek(ms: number, timeZone: string): number {
  const c = calendarOf(timeZone);
  return c.startOfDay(weekOf(c.dayKeyAt(ms), 'monday'));
}

function firstOfMonth(ms: number, c: LocalCalendar): string {
  return `${monthOf(c.dayKeyAt(ms))}-01`;
}

export function startOfMonth(ms: number, timeZone: string): number {
  const c = calendarOf(timeZone);
  return c.startOfDay(firstOfMonth(ms, c));
}

export function startOfNextMonth(ms: number, timeZone: string): number {
  const c = calendarOf(timeZone);
  return c.startOfDay(`${monthOf(addDays(firstOfMonth(ms, c), 31))}-01`);
}

export function startOfBucket(ms: number, unit: BucketUnit, timeZone: string): number {
  return unit === 'hour' ? startOfHour(ms, timeZone) : startOfDay(ms, timeZone);
}

/** Every bucket start from the one holding `fromMs` up to (excluding) `toMs`; days are 23 to 25 h long. */
export function bucketStarts(
  fromMs: number,
  toMs: number,
  unit: BucketUnit,
  timeZone: string,
): number[] {
  const starts: number[] = [];
  if (unit === 'hour') {
    for (let b = startOfHour(fromMs, timeZone); b < toMs; b = startOfHour(b + HOUR, timeZone))
      starts.push(b);
    return starts;
  }
  const c = calendarOf(timeZone);
  for (let day = c.dayOf(fromMs); day.startMs < toMs; day = c.dayOf(day.endMs))
    starts.push(day.startMs);
  return starts;
}

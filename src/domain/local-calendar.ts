/**
 * Local days, weeks and months of instants in an IANA time zone. Only Intl
 * knows a zone's offsets and it is slow, so each local day is found once and
 * every instant inside it reuses it: a year of 15-minute buckets costs a few
 * hundred Intl calls, not tens of thousands.
 */

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A local calendar day: its `YYYY-MM-DD` and the instants it covers, [startMs, endMs). */
export interface LocalDay {
  key: string;
  startMs: number;
  endMs: number;
}

const DAY_MS = 86_400_000;
/** Every offset change of a real zone is a multiple of 15 minutes. */
const QUARTER_MS = 900_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function dayKeyOfParts(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function partsOfKey(key: string): [number, number, number] {
  return [Number(key.slice(0, 4)), Number(key.slice(5, 7)), Number(key.slice(8, 10))];
}

/** `YYYY-MM-DD` or `YYYYMMDD` of a real date, as `YYYY-MM-DD`; undefined otherwise. */
export function parseDayKey(text: string): string | undefined {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return undefined;
  }
  return dayKeyOfParts(year, month, day);
}

/** The calendar day `n` days after `key` (n may be negative). */
export function addDays(key: string, n: number): string {
  const [y, m, d] = partsOfKey(key);
  const t = new Date(Date.UTC(y, m - 1, d) + n * DAY_MS);
  return dayKeyOfParts(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The first day (`YYYY-MM-DD`) of the week holding `key`, weeks starting on `start`. */
export function weekOf(key: string, start: Weekday): string {
  const [y, m, d] = partsOfKey(key);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(key, -((weekday - WEEKDAYS.indexOf(start) + 7) % 7));
}

/** `YYYY-MM` of a day key. */
export function monthOf(key: string): string {
  return key.slice(0, 7);
}

/** A stretch of time in which a zone's offset does not change: [fromMs, toMs). */
export interface OffsetSpan {
  fromMs: number;
  toMs: number;
  offsetMs: number;
}

/** `MM/DD/YYYY, HH:MM:SS` as en-US writes it; parsing `format()` is twice as fast as `formatToParts()`. */
const WALL_CLOCK = /(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)/;

export class LocalCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly starts = new Map<string, number>();
  private last: LocalDay | undefined;

  /** Throws a RangeError for a zone Intl does not know. */
  constructor(readonly timeZone: string) {
    this.format = formatterOf(timeZone);
  }

  private wallClock(ms: number): WallClock {
    const text = this.format.format(ms);
    const m = WALL_CLOCK.exec(text);
    if (!m) throw new Error(`unexpected date format "${text}" for ${this.timeZone}`);
    return {
      month: Number(m[1]),
      day: Number(m[2]),
      year: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
    };
  }

  /** Local time minus UTC at `ms`, in ms. */
  offsetAt(ms: number): number {
    const w = this.wallClock(ms);
    const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return wall - Math.floor(ms / 1000) * 1000;
  }

  /**
   * [fromMs, toMs) cut where the zone's offset changes. Changes are found by
   * checking every 12 hours (no zone changes twice in a day) and then
   * bisecting to the minute; undefined if one falls off the quarter hour,
   * which no zone has done since 1970 but the tz database could one day.
   */
  offsetSpans(fromMs: number, toMs: number): OffsetSpan[] | undefined {
    const STEP_MS = DAY_MS / 2;
    const spans: OffsetSpan[] = [];
    let spanStart = fromMs;
    let offset = this.offsetAt(fromMs);
    for (let t = fromMs; t < toMs; ) {
      const next = Math.min(t + STEP_MS, toMs);
      const nextOffset = this.offsetAt(next);
      if (nextOffset !== offset) {
        let [before, after] = [t, next];
        while (after - before > 60_000) {
          const mid = before + Math.floor((after - before) / 2);
          if (this.offsetAt(mid) === offset) before = mid;
          else after = mid;
        }
        const change = Math.floor(after / 60_000) * 60_000;
        if (change % QUARTER_MS !== 0) return undefined;
        if (change > spanStart) spans.push({ fromMs: spanStart, toMs: change, offsetMs: offset });
        spanStart = change;
        offset = nextOffset;
      }
      t = next;
    }
    if (toMs > spanStart) spans.push({ fromMs: spanStart, toMs, offsetMs: offset });
    return spans;
  }

  /** `YYYY-MM-DD` of the local day holding `ms`. */
  dayKeyAt(ms: number): string {
    const w = this.wallClock(ms);
    return dayKeyOfParts(w.year, w.month, w.day);
  }

  /** `YYYY-MM-DD HH:MM` local time. */
  timeAt(ms: number): string {
    const w = this.wallClock(ms);
    return `${dayKeyOfParts(w.year, w.month, w.day)} ${pad2(w.hour)}:${pad2(w.minute)}`;
  }

  /** The first instant of local day `key` (midnight, or later where midnight is skipped). */
  startOfDay(key: string): number {
    const cached = this.starts.get(key);
    if (cached !== undefined) return cached;
    const [y, m, d] = partsOfKey(key);
    const wall = Date.UTC(y, m - 1, d);
    let t = wall - this.offsetAt(wall);
    t = wall - this.offsetAt(t);
    // Near an offset change the guess can land an hour off: step to the day's first quarter hour.
    while (this.dayKeyAt(t) < key) t += QUARTER_MS;
    while (this.dayKeyAt(t - QUARTER_MS) === key) t -= QUARTER_MS;
    this.starts.set(key, t);
    return t;
  }

  /**
   * The local day holding `ms`. Hot path: callers walk instants in time
   * order, so the last day found answers almost every call without Intl,
   * and a day's start is the previous day's end, found once.
   */
  dayOf(ms: number): LocalDay {
    const last = this.last;
    if (last && ms >= last.startMs && ms < last.endMs) return last;
    const key = this.dayKeyAt(ms);
    const day = { key, startMs: this.startOfDay(key), endMs: this.startOfDay(addDays(key, 1)) };
    this.last = day;
    return day;
  }
}

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalCalendar, parseDayKey } from '../domain/local-calendar.js';
import { activitySpan } from '../store/metric-queries.js';
import { writeBackfill } from '../views/metrics/backfill.js';
import { type CommonOptions, openContext, UsageError } from './context.js';
import { scanInto } from './scan-command.js';

export interface BackfillOptions extends CommonOptions {
  out: string;
  since?: string;
  until?: string;
  step: string;
  perSessionLabels?: boolean;
  perUserLabels?: boolean;
}

/** Samples per series; a year of 1-minute steps is about 525,000. */
const MAX_STEPS = 600_000;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `15m`, `1h`, `1d` in ms. */
export function parseStep(text: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0) : 0;
  if (ms < 1000) {
    throw new UsageError(`--step must be a duration such as 15m, 1h or 1d, not "${text}"`);
  }
  return ms;
}

/**
 * `YYYY-MM-DD` (the start of that day in the time zone, or of the next day
 * for --until, so the day is included) or an ISO 8601 time with its offset.
 */
export function parseInstant(text: string, flag: string, calendar: LocalCalendar): number {
  const day = parseDayKey(text);
  if (day !== undefined) {
    const start = calendar.startOfDay(day);
    return flag === '--until' ? calendar.dayOf(start).endMs : start;
  }
  const ms = /\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `${flag} must be a day (2026-11-01) or an ISO 8601 time (2026-11-01T09:00:00Z), not "${text}"`,
    );
  }
  return ms;
}

function loadCommands(file: string, blocks: string): string[] {
  return [
    'Load it into Prometheus (its data dir is its --storage.tsdb.path, /var/lib/prometheus/metrics2 on Debian; restart a container the same way):',
    `  promtool tsdb create-blocks-from openmetrics ${file} ${blocks}`,
    `  cp -r ${blocks}/* /var/lib/prometheus/metrics2/`,
    '  systemctl restart prometheus',
    '',
    `Or look at it alone: prometheus --storage.tsdb.path=${blocks} --storage.tsdb.retention.time=10y`,
    'Blocks older than the retention (default 15d) are deleted when Prometheus starts.',
  ];
}

/** `ccmon backfill`'s work, loaded only when it runs. */
export function backfillAction(options: BackfillOptions): void {
  const stepMs = parseStep(options.step);
  const ctx = openContext(options);
  try {
    scanInto(ctx);
    const calendar = new LocalCalendar(ctx.timezone);
    const span = activitySpan(ctx.db);
    if (!span) {
      throw new UsageError(
        `the store ${ctx.dbPath} holds nothing to backfill; check --claude-dir or send telemetry to ccmon serve first`,
      );
    }
    const sinceMs = options.since ? parseInstant(options.since, '--since', calendar) : span.firstMs;
    const untilMs = options.until ? parseInstant(options.until, '--until', calendar) : Date.now();
    if (untilMs < sinceMs) throw new UsageError('--until is before --since');
    const steps = Math.ceil((untilMs - sinceMs) / stepMs);
    if (steps > MAX_STEPS) {
      throw new UsageError(
        `${steps} steps of ${options.step} is more than ${MAX_STEPS} samples per series; use a larger --step or a shorter --since/--until`,
      );
    }

    const dir = resolve(options.out);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'claude-code.om');
    const fd = openSync(file, 'w');
    let stats: ReturnType<typeof writeBackfill>;
    try {
      stats = writeBackfill(
        {
          db: ctx.db,
          view: ctx.view,
          mode: ctx.mode,
          labels: {
            perSession: options.perSessionLabels === true,
            perUser: options.perUserLabels === true,
          },
          sinceMs,
          untilMs,
          stepMs,
        },
        (text) => writeSync(fd, text),
      );
    } finally {
      closeSync(fd);
    }
    const from = calendar.timeAt(stats.firstMs);
    const to = calendar.timeAt(stats.lastMs);
    process.stdout.write(
      [
        `wrote ${file}: ${stats.series} series, ${stats.samples} samples, ${from} to ${to} (${ctx.timezone}), every ${options.step}`,
        '',
        ...loadCommands(file, join(dir, 'blocks')),
        '',
      ].join('\n'),
    );
  } finally {
    ctx.db.close();
  }
}

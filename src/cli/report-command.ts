import { type Command, Option } from 'commander';
import { parseDayKey, WEEKDAYS, type Weekday } from '../domain/local-calendar.js';
import { buildReport } from '../views/reports/build-report.js';
import {
  ORDERS,
  type Order,
  REPORT_NAMES,
  type ReportName,
  type ReportOptions,
} from '../views/reports/report-options.js';
import type { TableStyle } from '../views/reports/text-table.js';
import { type CommonOptions, openContext, UsageError, withCommonOptions } from './context.js';
import { scanInto } from './scan-command.js';

interface ReportCliOptions extends CommonOptions {
  json?: boolean;
  since?: string;
  until?: string;
  breakdown?: boolean;
  project?: string;
  order: Order;
  startOfWeek: Weekday;
  scan: boolean;
  active?: boolean;
  recent?: boolean;
  tokenLimit?: string;
}

function isReportName(name: string): name is ReportName {
  return REPORT_NAMES.some((n) => n === name);
}

function dayOption(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const day = parseDayKey(value);
  if (!day) throw new UsageError(`${flag} "${value}" is not a date; use YYYY-MM-DD or YYYYMMDD`);
  return day;
}

function tokenLimitOption(value: string | undefined): number | 'max' | undefined {
  if (value === undefined || value === 'max') return value;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`--token-limit "${value}" must be a positive number of tokens or "max"`);
  }
  return Number(value);
}

/** Checks what the options say before anything is opened; the time zone is checked by openContext. */
function reportRequest(
  name: string,
  o: ReportCliOptions,
): { name: ReportName } & Omit<ReportOptions, 'view' | 'mode' | 'timezone' | 'now'> {
  if (!isReportName(name)) {
    throw new UsageError(`unknown report "${name}"; choose one of ${REPORT_NAMES.join(', ')}`);
  }
  const since = dayOption('--since', o.since);
  const until = dayOption('--until', o.until);
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError(`--since ${since} is after --until ${until}`);
  }
  if (name !== 'blocks') {
    const blockOnly = [
      ['--active', o.active],
      ['--recent', o.recent],
      ['--token-limit', o.tokenLimit],
    ].find(([, v]) => v !== undefined);
    if (blockOnly) throw new UsageError(`${blockOnly[0]} applies to \`ccmon report blocks\` only`);
  }
  return {
    name,
    since,
    until,
    project: o.project,
    order: o.order,
    breakdown: o.breakdown === true,
    startOfWeek: o.startOfWeek,
    active: o.active === true,
    recent: o.recent === true,
    tokenLimit: tokenLimitOption(o.tokenLimit),
  };
}

/** Colour only on a terminal, and never with NO_COLOR; tables fit the terminal, else 80 columns. */
function stdoutStyle(): TableStyle {
  const env = process.env;
  const tty = process.stdout.isTTY === true;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  return {
    width: tty ? process.stdout.columns || 80 : 80,
    color: !env.NO_COLOR && (forced || (tty && env.TERM !== 'dumb')),
  };
}

export function registerReport(program: Command): void {
  withCommonOptions(
    program
      .command('report')
      .description(
        'Usage and cost per day, week, month, session, 5-hour block or project (tables, or ccusage-compatible JSON)',
      )
      .argument('<report>', REPORT_NAMES.join(' | '))
      .option('--json', "print JSON in ccusage's shape (plus ccmon's fields)")
      .option('--since <date>', 'first day, YYYY-MM-DD or YYYYMMDD, inclusive, in --timezone')
      .option('--until <date>', 'last day, YYYY-MM-DD or YYYYMMDD, inclusive, in --timezone')
      .option('--breakdown', 'a line per model under each row')
      .option('--project <name>', 'only this project (its name or path)')
      .addOption(
        new Option('--order <order>', 'oldest first (asc) or newest first (desc)')
          .choices(ORDERS)
          .default('asc'),
      )
      .addOption(
        new Option('--start-of-week <day>', "weekly: the day weeks start on (ccusage's default)")
          .choices(WEEKDAYS)
          .default('sunday'),
      )
      .option(
        '--no-scan',
        'report what the store holds, without reading new transcript lines first',
      )
      .option('--active', 'blocks: only the active block, with its projection')
      .option('--recent', 'blocks: the last 3 days (and the active block)')
      .option(
        '--token-limit <tokens>',
        'blocks: tokens per block to measure against, or "max" (the largest finished block)',
      ),
  ).action((name: string, options: ReportCliOptions) => {
    const request = reportRequest(name, options);
    const ctx = openContext(options);
    try {
      if (options.scan) {
        // Quiet: stdout stays clean for --json; what went wrong goes to stderr.
        const stats = scanInto(ctx, { quiet: true });
        for (const p of stats.problems) process.stderr.write(`warning: ${p.message}\n`);
        if (stats.malformed > 0) {
          process.stderr.write(
            `warning: ${stats.malformed} malformed transcript lines skipped; \`ccmon scan\` lists them\n`,
          );
        }
      }
      const report = buildReport(ctx.db, request.name, {
        ...request,
        view: ctx.view,
        mode: ctx.mode,
        timezone: ctx.timezone,
        now: Date.now(),
      });
      process.stdout.write(
        options.json ? `${JSON.stringify(report.json(), null, 2)}\n` : report.table(stdoutStyle()),
      );
    } finally {
      ctx.db.close();
    }
  });
}

import type { Command } from 'commander';
import { Option } from 'commander';
import type { PriceList } from '../domain/pricing.js';
import { COST_MODES, type CostMode, VIEWS, type View } from '../domain/usage.js';
import { type ProjectsDir, projectsDirs } from '../sources/transcripts/config-dirs.js';
import { type Db, defaultStorePath, openStore } from '../store/open-store.js';
import { loadPriceList } from './load-pricing.js';

/** A bad option value: the CLI prints the message and exits 2. */
export class UsageError extends Error {}

export interface CommonOptions {
  /** --claude-dir, repeated; undefined when not given. */
  claudeDir?: string[];
  db?: string;
  pricing?: string;
  mode: CostMode;
  timezone?: string;
  view: View;
}

/** A repeatable option's values; without a default, so that --help shows none. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options every command shares. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option(
      '--claude-dir <dir>',
      'Claude config dir to read (repeatable; overrides CLAUDE_CONFIG_DIR and the defaults)',
      collect,
    )
    .option(
      '--db <path>',
      'store file (default: $CCMON_DB or ~/.local/share/claude-monitoring/ccmon.db)',
    )
    .option(
      '--pricing <file>',
      'JSON file of prices (USD per million tokens) that override or add models',
    )
    .addOption(
      new Option(
        '--mode <mode>',
        "cost: Claude Code's own figure where written (auto), computed, or Claude Code's only",
      )
        .choices(COST_MODES)
        .default('auto'),
    )
    .option('--timezone <zone>', "IANA time zone for days and months (default: the system's)")
    .addOption(
      new Option(
        '--view <view>',
        'which trail: transcripts, telemetry, or both joined (each response once)',
      )
        .choices(VIEWS)
        .default('both'),
    );
}

export function validateTimezone(zone: string | undefined): string {
  const tz = zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UsageError(`unknown time zone "${tz}"; use an IANA name such as Europe/Paris or UTC`);
  }
  return tz;
}

export interface Context {
  db: Db;
  dbPath: string;
  prices: PriceList;
  dirs: ProjectsDir[];
  timezone: string;
  mode: CostMode;
  view: View;
}

export function openContext(options: CommonOptions): Context {
  const timezone = validateTimezone(options.timezone);
  const prices = loadPriceList(options.pricing);
  const dbPath = options.db ?? defaultStorePath();
  const db = openStore(dbPath);
  return {
    db,
    dbPath,
    prices,
    dirs: projectsDirs(options.claudeDir ?? []),
    timezone,
    mode: options.mode,
    view: options.view,
  };
}

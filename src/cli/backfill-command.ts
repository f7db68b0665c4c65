import type { Command } from 'commander';
import type { BackfillOptions } from './backfill-run.js';
import { withCommonOptions } from './context.js';

// The OpenMetrics writer and its modules load only when `ccmon backfill` runs.

export function registerBackfill(program: Command): void {
  withCommonOptions(
    program
      .command('backfill')
      .description(
        "Write the /metrics counters' history as OpenMetrics, for promtool tsdb create-blocks-from openmetrics",
      )
      .requiredOption('--out <dir>', 'folder to write claude-code.om into (created if needed)')
      .option(
        '--since <time>',
        'first sample: a day (YYYY-MM-DD) or ISO time (default: first activity)',
      )
      .option('--until <time>', 'last sample: a day (included) or ISO time (default: now)')
      .option('--step <duration>', 'time between samples (30s, 15m, 1h, 1d)', '1h')
      .option('--per-session-labels', "session_id labels on Claude Code's own metrics")
      .option(
        '--per-user-labels',
        "user labels (user_id, user_email, ...) on Claude Code's own metrics",
      ),
  ).action(async (options: BackfillOptions) =>
    (await import('./backfill-run.js')).backfillAction(options),
  );
}

import { type Command, Option } from 'commander';
import { SETUP_TARGETS } from './claude-code-env.js';
import { OTLP_PROTOCOLS } from './doctor-telemetry.js';
import type { SetupCliOptions } from './setup-run.js';

// The settings editor and its modules load only when `ccmon setup` runs.

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description(
      "Turn on Claude Code's OpenTelemetry and point it at ccmon (or the stack): merges the env block of ~/.claude/settings.json after a backup",
    )
    .addOption(
      new Option(
        '--target <target>',
        "embedded: ccmon serve on this machine (delta); stack: the Docker stack's collector (cumulative)",
      )
        .choices(SETUP_TARGETS)
        .default('embedded'),
    )
    .addOption(
      new Option('--protocol <protocol>', 'OTLP protocol (grpc on port 4317, http/* on 4318)')
        .choices(OTLP_PROTOCOLS)
        .default('grpc'),
    )
    .option('--endpoint <url>', "send to this URL instead of the target's default")
    .option(
      '--auth-token <token>',
      'bearer token the receiver wants (the one given to ccmon serve, e.g. $CCMON_AUTH_TOKEN)',
    )
    .option(
      '--claude-dir <dir>',
      'Claude config dir holding settings.json (default: first of CLAUDE_CONFIG_DIR, else ~/.claude)',
    )
    .option(
      '--print',
      'print the variables for bash/zsh, fish and PowerShell instead of writing settings.json',
    )
    .option('--dry-run', 'show the change without writing it')
    .option('-y, --yes', 'write without asking (without a terminal, setup never asks)')
    .action(async (o: SetupCliOptions) => (await import('./setup-run.js')).setupAction(o));
}

import type { Command } from 'commander';
import { Option } from 'commander';
import { envLines, telemetryEnv } from './claude-code-env.js';
import { type CommonOptions, openContext, UsageError, withCommonOptions } from './context.js';

interface ServeOptions extends CommonOptions {
  host: string;
  port: string;
  otlpGrpcPort: string;
  otlpHttpPort: string;
  otlp: boolean;
  authToken?: string;
  budget?: string;
  storeContent?: boolean;
  scrapeInterval: string;
  perSessionLabels?: boolean;
  perUserLabels?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function portOf(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${flag} must be a port number (0-65535), not "${value}"`);
  }
  return port;
}

function budgetOf(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const usd = Number(value);
  if (!Number.isFinite(usd) || usd < 0) {
    throw new UsageError(`the monthly budget must be a number of USD, not "${value}"`);
  }
  return usd;
}

export function registerServe(program: Command, version: string): void {
  withCommonOptions(
    program
      .command('serve')
      .description(
        'Watch transcripts, receive OpenTelemetry, and serve the dashboard, JSON API, /metrics and /health',
      )
      .option(
        '--host <host>',
        'address to bind (anything but loopback needs --auth-token)',
        '127.0.0.1',
      )
      .addOption(
        new Option('--port <port>', 'HTTP port for the dashboard, API, /metrics and /health')
          .env('METRICS_PORT')
          .default('3202'),
      )
      .option('--otlp-grpc-port <port>', 'OTLP/gRPC receiver port', '4317')
      .option(
        '--otlp-http-port <port>',
        'OTLP/HTTP receiver port (OTLP/HTTP is also served on --port)',
        '4318',
      )
      .option('--no-otlp', 'do not start the OTLP receivers')
      // Read from the environment by name, so that --help never prints the token itself.
      .addOption(
        new Option('--auth-token <token>', 'bearer token required on every route but /health').env(
          'CCMON_AUTH_TOKEN',
        ),
      )
      .addOption(
        new Option('--budget <usd>', 'monthly budget in USD')
          .env('CLAUDE_MONTHLY_BUDGET')
          .default('300'),
      )
      .option(
        '--store-content',
        'keep prompts, responses and tool inputs from telemetry events (off: they are dropped)',
      )
      .addOption(
        new Option('--scrape-interval <seconds>', 'full rescan interval')
          .env('SCRAPE_INTERVAL')
          .default('60'),
      )
      .addOption(
        new Option(
          '--per-session-labels',
          'add session_id labels to Claude Code metrics on /metrics (high cardinality)',
        ),
      )
      .addOption(
        new Option(
          '--per-user-labels',
          'add user labels (user_id, user_email, ...) to Claude Code metrics on /metrics',
        ),
      ),
  ).action(async (options: ServeOptions) => {
    const port = portOf(options.port, '--port');
    const grpcPort = options.otlp ? portOf(options.otlpGrpcPort, '--otlp-grpc-port') : null;
    const httpPort = options.otlp ? portOf(options.otlpHttpPort, '--otlp-http-port') : null;
    const authToken = options.authToken?.trim() || undefined;
    if (!LOOPBACK.has(options.host) && !authToken) {
      throw new UsageError(
        `binding ${options.host} exposes your usage data beyond this machine; set --auth-token (or CCMON_AUTH_TOKEN) to require a bearer token`,
      );
    }
    const rescanSeconds = Number(options.scrapeInterval);
    if (!Number.isFinite(rescanSeconds) || rescanSeconds <= 0) {
      throw new UsageError(
        `--scrape-interval must be a positive number of seconds, not "${options.scrapeInterval}"`,
      );
    }
    const ctx = openContext(options);
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    process.stderr.write(`Reading transcripts into ${ctx.dbPath} ...\n`);
    // The receivers and the web server load only for `serve`, so other commands start fast.
    const { startServe } = await import('./serve.js');
    let running: Awaited<ReturnType<typeof startServe>>;
    try {
      running = await startServe({
        ...ctx,
        version,
        host: options.host,
        port,
        otlpGrpcPort: grpcPort,
        otlpHttpPort: httpPort,
        ...(authToken ? { authToken } : {}),
        ...(budgetOf(options.budget) !== undefined ? { budgetUsd: budgetOf(options.budget) } : {}),
        storeContent: options.storeContent === true,
        rescanSeconds,
        labels: {
          perSession: options.perSessionLabels === true,
          perUser: options.perUserLabels === true,
        },
        log,
      });
    } catch (error) {
      ctx.db.close();
      throw new UsageError((error as Error).message);
    }
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const base = `http://${host}:${running.port}`;
    const lines = [
      '',
      `ccmon ${version} is running`,
      `  dashboard   ${base}/`,
      `  metrics     ${base}/metrics`,
      `  health      ${base}/health`,
      `  JSON API    ${base}/api/summary`,
      running.otlpGrpcPort !== null
        ? `  OTLP gRPC   ${host}:${running.otlpGrpcPort}`
        : '  OTLP        off (--no-otlp)',
      running.otlpHttpPort !== null ? `  OTLP HTTP   http://${host}:${running.otlpHttpPort}` : '',
      `  store       ${ctx.dbPath}`,
      `  transcripts ${ctx.dirs.map((d) => d.path).join(', ')}`,
    ].filter(Boolean);
    if (running.otlpGrpcPort !== null) {
      const env = telemetryEnv({
        protocol: 'grpc',
        endpoint: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${running.otlpGrpcPort}`,
        temporality: 'delta',
        ...(authToken ? { authToken } : {}),
      });
      lines.push('', 'Send Claude Code telemetry here (or run `ccmon setup`):', '  bash/zsh:');
      lines.push(...envLines(env, 'bash').map((l) => `    ${l}`));
      lines.push('  PowerShell:', ...envLines(env, 'powershell').map((l) => `    ${l}`));
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping`);
      await running.close();
      ctx.db.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });
}

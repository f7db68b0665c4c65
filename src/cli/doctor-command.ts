import { type Command, Option } from 'commander';
import { withCommonOptions } from './context.js';
import { DEFAULT_PORTS } from './doctor-check.js';
import type { DoctorCliOptions } from './doctor-run.js';

// The checks and their modules load only when `ccmon doctor` runs.

export function registerDoctor(program: Command): void {
  withCommonOptions(
    program
      .command('doctor')
      .description(
        'Check transcripts, Claude Code telemetry settings, ports, received data and the store; explain each problem and its fix',
      )
      .option('--json', 'print the checks as JSON')
      .addOption(
        new Option('--port <port>', "ccmon serve's HTTP port")
          .env('METRICS_PORT')
          .default(String(DEFAULT_PORTS.http)),
      )
      .option(
        '--otlp-grpc-port <port>',
        "ccmon serve's OTLP/gRPC port",
        String(DEFAULT_PORTS.otlpGrpc),
      )
      .option(
        '--otlp-http-port <port>',
        "ccmon serve's OTLP/HTTP port",
        String(DEFAULT_PORTS.otlpHttp),
      ),
  ).action(async (options: DoctorCliOptions) =>
    (await import('./doctor-run.js')).doctorAction(options),
  );
}

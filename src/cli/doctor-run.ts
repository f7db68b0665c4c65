import { existsSync } from 'node:fs';
import { type ProjectsDir, projectsDirs } from '../sources/transcripts/config-dirs.js';
import { defaultStorePath } from '../store/open-store.js';
import {
  type ClaudeSettings,
  managedSettingsPath,
  readSettings,
  settingsEnv,
  userSettingsPath,
} from './claude-settings.js';
import { type CommonOptions, UsageError } from './context.js';
import { type CcmonPorts, type Check, check, formatChecks } from './doctor-check.js';
import { checkEndpointAnswers, checkHttpPort, checkOtlpPort } from './doctor-ports.js';
import { parseOtlpHeaders } from './doctor-probes.js';
import { checkRecentTelemetry, checkStore } from './doctor-store.js';
import {
  checkTelemetrySettings,
  type EnvSource,
  effectiveTelemetrySettings,
} from './doctor-telemetry.js';
import { checkTranscripts } from './doctor-transcripts.js';

/** Everything `ccmon doctor` looks at, so a test can point each at a temp file or port. */
export interface DoctorInputs {
  dirs: readonly ProjectsDir[];
  settingsPath: string;
  /** The organization's managed settings, if any; undefined skips them. */
  managedSettingsPath?: string;
  env: NodeJS.ProcessEnv;
  dbPath: string;
  ports: CcmonPorts;
  now: number;
}

/** The env sources Claude Code will see, lowest precedence first, and a check for each unusable file. */
function telemetrySources(inputs: DoctorInputs): {
  sources: EnvSource[];
  searched: string[];
  problems: Check[];
} {
  const sources: EnvSource[] = [{ from: 'this shell', env: inputs.env }];
  const problems: Check[] = [];
  const files = [inputs.settingsPath, inputs.managedSettingsPath].filter(
    (p): p is string => p !== undefined && (p === inputs.settingsPath || existsSync(p)),
  );
  for (const path of files) {
    let file: ClaudeSettings;
    try {
      file = readSettings(path);
      sources.push({ from: path, env: settingsEnv(file) });
    } catch (error) {
      problems.push(
        check(
          'settings',
          'fail',
          (error as Error).message,
          'fix the JSON by hand (Claude Code cannot use this file either), or move it away and run `ccmon setup`',
        ),
      );
    }
  }
  return { sources, searched: [...files, 'this shell'], problems };
}

export async function runDoctor(inputs: DoctorInputs): Promise<Check[]> {
  const { sources, searched, problems } = telemetrySources(inputs);
  const settings = effectiveTelemetrySettings(sources);
  const headers = parseOtlpHeaders(settings.get('OTEL_EXPORTER_OTLP_HEADERS')?.value);
  const [httpPort, grpcPort, otlpHttpPort, receiver] = await Promise.all([
    checkHttpPort(inputs.ports.http),
    checkOtlpPort('grpc', inputs.ports.otlpGrpc, headers),
    checkOtlpPort('http', inputs.ports.otlpHttp, headers),
    checkEndpointAnswers(settings, headers),
  ]);
  const store = checkStore(inputs.dbPath);
  const last = httpPort.health
    ? { ms: httpPort.health.lastData.telemetryMs, from: `ccmon serve on port ${inputs.ports.http}` }
    : store.lastTelemetryMs !== undefined
      ? { ms: store.lastTelemetryMs, from: `store ${inputs.dbPath}` }
      : undefined;
  return [
    checkTranscripts(inputs.dirs),
    ...problems,
    ...checkTelemetrySettings(settings, searched, inputs.ports),
    ...(receiver ? [receiver] : []),
    httpPort.check,
    grpcPort,
    otlpHttpPort,
    store.check,
    checkRecentTelemetry(last, inputs.now),
  ];
}

function portOption(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${flag} must be a port number (1-65535), not "${value}"`);
  }
  return port;
}

export interface DoctorCliOptions extends CommonOptions {
  json?: boolean;
  port: string;
  otlpGrpcPort: string;
  otlpHttpPort: string;
}

/** `ccmon doctor`'s work, loaded only when it runs. */
export async function doctorAction(options: DoctorCliOptions): Promise<void> {
  const checks = await runDoctor({
    dirs: projectsDirs(options.claudeDir ?? []),
    settingsPath: userSettingsPath(options.claudeDir?.[0]),
    managedSettingsPath: managedSettingsPath(),
    env: process.env,
    dbPath: options.db ?? defaultStorePath(),
    ports: {
      http: portOption(options.port, '--port'),
      otlpGrpc: portOption(options.otlpGrpcPort, '--otlp-grpc-port'),
      otlpHttp: portOption(options.otlpHttpPort, '--otlp-http-port'),
    },
    now: Date.now(),
  });
  const ok = checks.every((c) => c.status !== 'fail');
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ ok, checks }, null, 2)}\n`
      : formatChecks(checks, process.stdout.isTTY === true && !process.env.NO_COLOR),
  );
  if (!ok) process.exitCode = 1;
}

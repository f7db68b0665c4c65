/** Where Claude Code should send its telemetry, and how. */
/** Where `ccmon setup` can point Claude Code: ccmon serve here, or the Docker stack's collector. */
export const SETUP_TARGETS = ['embedded', 'stack'] as const;

export interface TelemetryTarget {
  protocol: 'grpc' | 'http/protobuf' | 'http/json';
  endpoint: string;
  /**
   * ccmon stores increments and takes either; an OpenTelemetry Collector
   * exporting to Prometheus wants cumulative sums.
   */
  temporality: 'delta' | 'cumulative';
  authToken?: string;
}

/** The environment that turns Claude Code's telemetry on and points it at the target. */
export function telemetryEnv(target: TelemetryTarget): Record<string, string> {
  const env: Record<string, string> = {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: target.protocol,
    OTEL_EXPORTER_OTLP_ENDPOINT: target.endpoint,
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: target.temporality,
  };
  if (target.authToken) env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer ${target.authToken}`;
  return env;
}

export type Shell = 'bash' | 'fish' | 'powershell';

function quote(value: string, shell: Shell): string {
  if (shell === 'powershell') return `"${value.replace(/[`"$]/g, '`$&')}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The lines a user pastes into a shell (or profile) to set `env`. */
export function envLines(env: Record<string, string>, shell: Shell): string[] {
  return Object.entries(env).map(([key, value]) => {
    if (shell === 'powershell') return `$env:${key} = ${quote(value, shell)}`;
    if (shell === 'fish') return `set -gx ${key} ${quote(value, shell)}`;
    return `export ${key}=${quote(value, shell)}`;
  });
}

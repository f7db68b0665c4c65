import type { TelemetryTarget } from './claude-code-env.js';
import { type CcmonPorts, type Check, check } from './doctor-check.js';

export type OtlpProtocol = TelemetryTarget['protocol'];
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

export function isOtlpProtocol(value: string): value is OtlpProtocol {
  return OTLP_PROTOCOLS.some((p) => p === value);
}

/** A telemetry variable as Claude Code will see it, and where it was set. */
export interface SettingValue {
  value: string;
  from: string;
}

/** Variables from one place: a settings file's `env` block, or a shell's environment. */
export interface EnvSource {
  from: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Variables that override the general endpoint or protocol for one signal. */
export const PER_SIGNAL_KEY = /^OTEL_EXPORTER_OTLP_(METRICS|LOGS)_(ENDPOINT|PROTOCOL)$/;

const FIX_SETUP = 'run `ccmon setup`, then restart Claude Code';

/**
 * The telemetry variables Claude Code will run with. `sources` go from the
 * lowest precedence to the highest: the shell's environment, then the user's
 * settings.json (whose `env` block Claude Code applies over it), then managed
 * settings.
 */
export function effectiveTelemetrySettings(
  sources: readonly EnvSource[],
): Map<string, SettingValue> {
  const out = new Map<string, SettingValue>();
  for (const { from, env } of sources) {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined || value.trim() === '') continue;
      if (key === 'CLAUDE_CODE_ENABLE_TELEMETRY' || key.startsWith('OTEL_')) {
        out.set(key, { value: value.trim(), from });
      }
    }
  }
  return out;
}

function shown(key: string, v: SettingValue): string {
  return `${key}=${v.value} (${v.from})`;
}

/** Whether telemetry is switched on, exported over OTLP, to an endpoint that fits its protocol. */
export function checkTelemetrySettings(
  settings: ReadonlyMap<string, SettingValue>,
  searched: readonly string[],
  ports: CcmonPorts,
): Check[] {
  const enabled = settings.get('CLAUDE_CODE_ENABLE_TELEMETRY');
  if (settings.size === 0) {
    return [
      check(
        'telemetry',
        'fail',
        `no telemetry settings found (looked in ${searched.join(', ')}); Claude Code sends no OpenTelemetry data`,
        FIX_SETUP,
      ),
    ];
  }
  const checks: Check[] = [];
  if (enabled === undefined) {
    checks.push(
      check(
        'telemetry',
        'fail',
        `CLAUDE_CODE_ENABLE_TELEMETRY is not set (looked in ${searched.join(', ')})`,
        FIX_SETUP,
      ),
    );
  } else if (/^(1|true)$/i.test(enabled.value)) {
    checks.push(
      check('telemetry', 'ok', `switched on: ${shown('CLAUDE_CODE_ENABLE_TELEMETRY', enabled)}`),
    );
  } else {
    checks.push(
      check(
        'telemetry',
        'fail',
        `switched off: ${shown('CLAUDE_CODE_ENABLE_TELEMETRY', enabled)}`,
        FIX_SETUP,
      ),
    );
  }
  checks.push(
    checkExporters(settings.get('OTEL_METRICS_EXPORTER'), settings.get('OTEL_LOGS_EXPORTER')),
  );
  const protocol = settings.get('OTEL_EXPORTER_OTLP_PROTOCOL');
  const endpoint = settings.get('OTEL_EXPORTER_OTLP_ENDPOINT');
  checks.push(checkEndpoint(protocol, endpoint, ports));
  checks.push(checkTemporality(settings.get('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE')));
  const overrides = [...settings].filter(([key]) => PER_SIGNAL_KEY.test(key));
  if (overrides.length > 0) {
    checks.push(
      check(
        'per-signal settings',
        'warn',
        `${overrides.map(([k, v]) => shown(k, v)).join('; ')} override the general endpoint and protocol for that signal; this doctor checked only the general ones`,
        'remove them, or make sure they point at the same receiver',
      ),
    );
  }
  return checks;
}

function checkExporters(metrics: SettingValue | undefined, logs: SettingValue | undefined): Check {
  const isOtlp = (v: SettingValue | undefined) =>
    v?.value.split(',').some((e) => e.trim() === 'otlp') === true;
  const fix = 'set OTEL_METRICS_EXPORTER=otlp and OTEL_LOGS_EXPORTER=otlp (`ccmon setup` does)';
  const describe = (key: string, v: SettingValue | undefined) =>
    v === undefined ? `${key} is not set` : shown(key, v);
  if (isOtlp(metrics) && isOtlp(logs))
    return check('exporters', 'ok', 'metrics and events go out over OTLP');
  if (!isOtlp(metrics) && !isOtlp(logs)) {
    const detail = `${describe('OTEL_METRICS_EXPORTER', metrics)}, ${describe('OTEL_LOGS_EXPORTER', logs)}: nothing is exported over OTLP`;
    return check('exporters', 'fail', detail, fix);
  }
  return isOtlp(metrics)
    ? check(
        'exporters',
        'warn',
        `${describe('OTEL_LOGS_EXPORTER', logs)}: events (api_request, tool_result, ...) are not exported, so ccmon's telemetry trail stays empty`,
        fix,
      )
    : check(
        'exporters',
        'warn',
        `${describe('OTEL_METRICS_EXPORTER', metrics)}: Claude Code's metrics are not exported`,
        fix,
      );
}

function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * The protocol is one of the three, the endpoint parses as an http(s) URL,
 * and its port is the one a receiver of that protocol listens on
 * (gRPC on 4317, HTTP on 4318, by convention and by default).
 */
export function checkEndpoint(
  protocol: SettingValue | undefined,
  endpoint: SettingValue | undefined,
  ports: CcmonPorts,
): Check {
  const name = 'endpoint';
  if (protocol === undefined) {
    return check(
      name,
      'warn',
      'OTEL_EXPORTER_OTLP_PROTOCOL is not set; the exporters then pick their own default',
      `set it to grpc (ccmon and the collector listen on ${ports.otlpGrpc}) or http/protobuf (${ports.otlpHttp}); \`ccmon setup\` does`,
    );
  }
  if (!isOtlpProtocol(protocol.value)) {
    return check(
      name,
      'fail',
      `${shown('OTEL_EXPORTER_OTLP_PROTOCOL', protocol)} is not one of ${OTLP_PROTOCOLS.join(', ')}`,
      FIX_SETUP,
    );
  }
  const grpc = protocol.value === 'grpc';
  const expected = grpc ? ports.otlpGrpc : ports.otlpHttp;
  if (endpoint === undefined) {
    return check(
      name,
      'ok',
      `${protocol.value}; OTEL_EXPORTER_OTLP_ENDPOINT is not set, so it goes to the default http://localhost:${grpc ? 4317 : 4318}`,
    );
  }
  let url: URL;
  try {
    url = new URL(endpoint.value);
  } catch {
    return check(
      name,
      'fail',
      `${shown('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint)} is not a URL`,
      FIX_SETUP,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return check(
      name,
      'fail',
      `${shown('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint)} must start with http:// or https://`,
      `use http://127.0.0.1:${expected}, or ${FIX_SETUP}`,
    );
  }
  const port = portOf(url);
  const sends = `${protocol.value} to ${endpoint.value}`;
  const other = grpc ? [ports.otlpHttp, ports.http] : [ports.otlpGrpc];
  if (other.includes(port)) {
    const fitting = grpc ? ports.otlpGrpc : ports.otlpHttp;
    return check(
      name,
      'warn',
      `${sends}: port ${port} is where ${grpc ? 'OTLP/HTTP' : 'OTLP/gRPC'} is received, not ${protocol.value}`,
      `use port ${fitting} (${url.protocol}//${url.hostname}:${fitting}), or set OTEL_EXPORTER_OTLP_PROTOCOL=${grpc ? 'http/protobuf' : 'grpc'}; \`ccmon setup --protocol ${protocol.value}\` writes a matching pair`,
    );
  }
  if (!grpc && /\/v1\/(logs|metrics|traces)\/?$/.test(url.pathname)) {
    return check(
      name,
      'warn',
      `${sends}: the exporters add /v1/logs and /v1/metrics to this URL themselves`,
      `use the base URL, ${url.protocol}//${url.host}`,
    );
  }
  const note =
    port === expected || (!grpc && port === ports.http)
      ? ''
      : `; ccmon serve takes ${protocol.value} on port ${expected}, so another receiver should listen on ${port}`;
  return check(name, 'ok', `${sends} (${endpoint.from})${note}`);
}

const TEMPORALITIES = ['delta', 'cumulative', 'lowmemory'];

function checkTemporality(v: SettingValue | undefined): Check {
  if (v === undefined) return check('temporality', 'ok', 'not set: Claude Code sends delta sums');
  if (TEMPORALITIES.includes(v.value.toLowerCase())) {
    return check(
      'temporality',
      'ok',
      shown('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', v),
    );
  }
  return check(
    'temporality',
    'warn',
    `${shown('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', v)} is not delta, cumulative or lowmemory; the exporter ignores it`,
    'use delta for ccmon serve, cumulative for the stack (collector → Prometheus); `ccmon setup` picks it',
  );
}

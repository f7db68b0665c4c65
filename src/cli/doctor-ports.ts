import type { HealthResponse } from '../views/web/api-types.js';
import { type Check, check } from './doctor-check.js';
import { probeCcmon, probeOtlp } from './doctor-probes.js';
import { isOtlpProtocol, type SettingValue } from './doctor-telemetry.js';

/** Port 3202 (`--port`): free, or ccmon answering /health. Returns the health it read, for the data check. */
export async function checkHttpPort(
  port: number,
): Promise<{ check: Check; health?: HealthResponse }> {
  const name = `port ${port}`;
  const probe = await probeCcmon(port);
  switch (probe.kind) {
    case 'refused':
      return { check: check(name, 'ok', 'free: ccmon serve is not running, and can listen here') };
    case 'expected': {
      const h = probe.value;
      if (h.status === 'ok') {
        return {
          check: check(name, 'ok', `ccmon ${h.version} is serving here (up ${h.uptimeSeconds} s)`),
          health: h,
        };
      }
      return {
        check: check(
          name,
          'warn',
          `ccmon ${h.version} answers but its store takes no writes${h.store?.reason ? ` (${h.store.reason})` : ''}`,
          'look at the output of `ccmon serve`, then restart it',
        ),
        health: h,
      };
    }
    default:
      return {
        check: check(
          name,
          'fail',
          `held by another program: ${probe.kind === 'other' ? probe.detail : 'it wants a token on /health'}`,
          `stop that program, or run \`ccmon serve --port N\` and \`ccmon doctor --port N\` with a free port N`,
        ),
      };
  }
}

/**
 * An OTLP port (4317 gRPC, 4318 HTTP): free, or an OTLP receiver (ccmon serve
 * or the stack's collector). Claude Code's headers go along, so that a ccmon
 * with a token does not count the probe as a rejected request.
 */
export async function checkOtlpPort(
  kind: 'grpc' | 'http',
  port: number,
  headers: Record<string, string> = {},
): Promise<Check> {
  const name = `port ${port}`;
  const what = kind === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP';
  const protocol = kind === 'grpc' ? 'grpc' : 'http/json';
  const probe = await probeOtlp(`http://127.0.0.1:${port}`, protocol, headers);
  if (probe.kind === 'refused')
    return check(name, 'ok', `free: ccmon serve can receive ${what} here`);
  if (probe.kind === 'other') {
    const flag = kind === 'grpc' ? '--otlp-grpc-port' : '--otlp-http-port';
    return check(
      name,
      'fail',
      `held by a program that is not an ${what} receiver (${probe.detail})`,
      `stop that program, or run \`ccmon serve ${flag} N\` and \`ccmon setup --endpoint http://127.0.0.1:N\` with a free port N`,
    );
  }
  const auth = probe.kind === 'unauthenticated' ? ', with a token' : '';
  return check(name, 'ok', `an ${what} receiver answers here${auth} (ccmon serve or a collector)`);
}

/** Sends an empty export where Claude Code sends its telemetry, with its headers. */
export async function checkEndpointAnswers(
  settings: ReadonlyMap<string, SettingValue>,
  headers: Record<string, string>,
): Promise<Check | undefined> {
  const protocol = settings.get('OTEL_EXPORTER_OTLP_PROTOCOL')?.value ?? '';
  if (!isOtlpProtocol(protocol)) return undefined;
  const endpoint =
    settings.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value ??
    `http://localhost:${protocol === 'grpc' ? 4317 : 4318}`;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) return undefined;
  const name = 'receiver';
  const probe = await probeOtlp(endpoint, protocol, headers);
  switch (probe.kind) {
    case 'expected':
      return check(name, 'ok', `${endpoint} accepts ${protocol} exports`);
    case 'refused':
      return check(
        name,
        'warn',
        `nothing listens at ${endpoint}: Claude Code's telemetry is lost while it does not`,
        'start `ccmon serve` (or the stack: deploy/start.sh), and keep it running',
      );
    case 'unauthenticated':
      return check(
        name,
        'fail',
        `${endpoint} refuses Claude Code's credentials (${Object.keys(headers).some((k) => /^authorization$/i.test(k)) ? 'wrong token' : 'no token sent'})`,
        'run `ccmon setup --auth-token TOKEN` with the token `ccmon serve` uses ($CCMON_AUTH_TOKEN), then restart Claude Code',
      );
    default:
      return check(
        name,
        'fail',
        `${endpoint} does not answer as an ${protocol} OTLP receiver: ${probe.detail}`,
        'check that the protocol fits the port (grpc → 4317, http/protobuf or http/json → 4318); `ccmon setup` writes a matching pair',
      );
  }
}

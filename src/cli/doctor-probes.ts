import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthResponse } from '../views/web/api-types.js';
import type { OtlpProtocol } from './doctor-telemetry.js';

const TIMEOUT_MS = 2_000;

/** What answered on a port: nothing, the expected kind of server, or something else. */
export type Probe<T = undefined> =
  | { kind: 'refused' }
  | { kind: 'expected'; value: T }
  | { kind: 'unauthenticated' }
  | { kind: 'other'; detail: string };

/** Whether anything accepts TCP connections at host:port. */
export function probeTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: TIMEOUT_MS });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function isHealth(value: unknown): value is HealthResponse {
  if (typeof value !== 'object' || value === null) return false;
  if (!('status' in value && 'version' in value && 'lastData' in value)) return false;
  const { status, version, lastData } = value;
  return (
    typeof status === 'string' &&
    typeof version === 'string' &&
    typeof lastData === 'object' &&
    lastData !== null &&
    'telemetryMs' in lastData &&
    (typeof lastData.telemetryMs === 'number' || lastData.telemetryMs === null)
  );
}

interface HttpAnswer {
  status: number;
  type: string;
  body: string;
}

function httpCall(
  url: URL,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body?: Buffer,
): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        if (chunks.length < 64) chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.once('error', reject);
    req.end(body);
  });
}

/** GET /health on a local port: ccmon answers with its health JSON, anything else is named. */
export async function probeCcmon(port: number): Promise<Probe<HealthResponse>> {
  if (!(await probeTcp('127.0.0.1', port))) return { kind: 'refused' };
  let answer: HttpAnswer;
  try {
    answer = await httpCall(new URL(`http://127.0.0.1:${port}/health`), 'GET', {});
  } catch (error) {
    return { kind: 'other', detail: `not an HTTP server (${(error as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return { kind: 'other', detail: `GET /health answered ${answer.status} without JSON` };
  }
  return isHealth(json)
    ? { kind: 'expected', value: json }
    : { kind: 'other', detail: `GET /health answered ${answer.status}, not ccmon's health JSON` };
}

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs, comma-separated, values percent-encoded. */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    let text = pair.slice(at + 1).trim();
    try {
      text = decodeURIComponent(text);
    } catch {
      // Not percent-encoded: taken as written, as the exporters do.
    }
    if (key) out[key] = text;
  }
  return out;
}

/**
 * Sends an empty logs export (no records, so nothing is stored) the way
 * Claude Code would, and says whether an OTLP receiver accepted it.
 */
export async function probeOtlp(
  endpoint: string,
  protocol: OtlpProtocol,
  headers: Record<string, string> = {},
): Promise<Probe> {
  const url = new URL(endpoint);
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!(await probeTcp(host, port))) return { kind: 'refused' };
  return protocol === 'grpc' ? probeGrpc(url, headers) : probeHttp(url, protocol, headers);
}

async function probeHttp(
  base: URL,
  protocol: 'http/protobuf' | 'http/json',
  headers: Record<string, string>,
): Promise<Probe> {
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/v1/logs`, base);
  const json = protocol === 'http/json';
  let answer: HttpAnswer;
  try {
    answer = await httpCall(
      url,
      'POST',
      { ...headers, 'Content-Type': json ? 'application/json' : 'application/x-protobuf' },
      Buffer.from(json ? '{}' : ''),
    );
  } catch (error) {
    return {
      kind: 'other',
      detail: `no OTLP/HTTP answer from ${url.href} (${(error as Error).message})`,
    };
  }
  // A receiver answers in the request's encoding; a web server that says 200 to anything does not.
  const otlpBody = /^application\/(json|x-protobuf)/.test(answer.type);
  if (answer.status >= 200 && answer.status < 300 && otlpBody) {
    return { kind: 'expected', value: undefined };
  }
  if (answer.status === 401 || answer.status === 403) return { kind: 'unauthenticated' };
  const type = answer.type || 'no content type';
  return { kind: 'other', detail: `POST ${url.href} answered HTTP ${answer.status} (${type})` };
}

async function probeGrpc(url: URL, headers: Record<string, string>): Promise<Probe> {
  // Loaded here, not at start: every other command would pay for gRPC's start-up.
  const { Client, credentials, Metadata, status } = await import('@grpc/grpc-js');
  const creds = url.protocol === 'https:' ? credentials.createSsl() : credentials.createInsecure();
  const client = new Client(url.host, creds);
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key.toLowerCase(), value);
  const raw = (b: Buffer) => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
      raw,
      raw,
      Buffer.alloc(0),
      metadata,
      { deadline: Date.now() + TIMEOUT_MS },
      (error) => {
        client.close();
        if (!error) resolve({ kind: 'expected', value: undefined });
        else if (error.code === status.UNAUTHENTICATED || error.code === status.PERMISSION_DENIED) {
          resolve({ kind: 'unauthenticated' });
        } else {
          resolve({
            kind: 'other',
            detail: `no OTLP/gRPC answer (${status[error.code]}: ${error.details})`,
          });
        }
      },
    );
  });
}

import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { hasBearerToken } from './bearer-token.js';
import { OtlpDecodeError } from './decode-error.js';
import { encodeErrorStatus, encodeExportResponse } from './export-response.js';
import { bindError, DEFAULT_MAX_BODY_BYTES, type OtlpServer } from './otlp-server.js';
import type { BodyEncoding } from './parse-export-body.js';
import { type ExportOutcome, receiveExport } from './receive-export.js';
import { BodyTooLargeError, ClientAbortedError, inflateBody, readBody } from './request-body.js';
import type { OtlpSink, OtlpStats, OtlpStatus, Protocol, Signal } from './sink.js';

export interface OtlpHttpOptions {
  sink: OtlpSink;
  stats?: OtlpStats;
  /** When set, requests must carry `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** Limit on the body, as sent and once inflated; 16 MiB by default. */
  maxBodyBytes?: number;
}

export interface OtlpHttpServerOptions extends OtlpHttpOptions {
  host: string;
  port: number;
}

/** Handles an OTLP/HTTP request and resolves true, or resolves false for any other path. */
export type OtlpHttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const SIGNAL_OF_PATH: Readonly<Record<string, Signal>> = {
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
  '/v1/traces': 'traces',
};

const ENCODING_OF_MEDIA_TYPE: Readonly<Record<string, BodyEncoding>> = {
  'application/json': 'json',
  'application/x-protobuf': 'protobuf',
};

const PROTOCOL_OF_ENCODING: Readonly<Record<BodyEncoding, Protocol>> = {
  json: 'http/json',
  protobuf: 'http/protobuf',
};

const CONTENT_TYPE: Readonly<Record<BodyEncoding, string>> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

// gRPC status codes, carried in the google.rpc.Status of an error response.
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const UNIMPLEMENTED = 12;
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;

/** Seconds an exporter should wait before retrying after a 503. */
const RETRY_AFTER_SECONDS = 5;

function signalOf(url: string | undefined): Signal | undefined {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return Object.hasOwn(SIGNAL_OF_PATH, path) ? SIGNAL_OF_PATH[path] : undefined;
}

function encodingOf(contentType: string | undefined): BodyEncoding | undefined {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(ENCODING_OF_MEDIA_TYPE, mediaType)
    ? ENCODING_OF_MEDIA_TYPE[mediaType]
    : undefined;
}

function contentEncodingOf(header: string | undefined): 'gzip' | 'identity' | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  return value === 'gzip' ? 'gzip' : undefined;
}

function send(
  res: ServerResponse,
  httpStatus: number,
  encoding: BodyEncoding,
  body: Uint8Array,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(httpStatus, {
    'Content-Type': CONTENT_TYPE[encoding],
    'Content-Length': body.byteLength,
    ...headers,
  });
  res.end(body);
}

/**
 * The OTLP/HTTP receiver as a plain node:http handler, so that it can be
 * mounted on any server: POST /v1/metrics, /v1/logs, /v1/traces with an
 * `application/json` or `application/x-protobuf` body, optionally gzipped.
 * It never rejects: every failure is answered (or reported, if the client left).
 */
export function createOtlpHttpHandler(options: OtlpHttpOptions): OtlpHttpHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req, res) => {
    const signal = signalOf(req.url);
    if (signal === undefined) return false;
    const exchange = new Exchange(signal, req, res, options.stats);
    try {
      await handleExport(exchange, options, maxBodyBytes);
    } catch (error) {
      // A bug of ours: answer retryable rather than lose the batch or crash the server.
      const reason = error instanceof Error ? error.message : String(error);
      exchange.refuse(503, UNAVAILABLE, 'unavailable', `internal error: ${reason}`);
    }
    return true;
  };
}

/** One request being answered: its signal, encoding and peer, and how to reply. */
class Exchange {
  readonly encoding: BodyEncoding | undefined;
  readonly protocol: Protocol | 'http';
  readonly remote: string;

  constructor(
    readonly signal: Signal,
    readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly stats: OtlpStats | undefined,
  ) {
    this.encoding = encodingOf(req.headers['content-type']);
    this.protocol = this.encoding === undefined ? 'http' : PROTOCOL_OF_ENCODING[this.encoding];
    this.remote = `${req.socket.remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`;
  }

  report(status: OtlpStatus, message: string, accepted = 0, rejected = 0): void {
    const { signal, protocol, remote } = this;
    this.stats?.request({ signal, protocol, status, accepted, rejected, message, remote });
  }

  /** Answers with a google.rpc.Status in the request's encoding (JSON if unknown). */
  refuse(
    httpStatus: number,
    grpcCode: number,
    status: OtlpStatus,
    message: string,
    headers: OutgoingHttpHeaders = {},
  ): void {
    const encoding = this.encoding ?? 'json';
    send(this.res, httpStatus, encoding, encodeErrorStatus(encoding, grpcCode, message), headers);
    this.report(status, message);
  }

  accept(encoding: BodyEncoding, outcome: ExportOutcome): void {
    const body = encodeExportResponse(this.signal, encoding, outcome.rejected, outcome.message);
    send(this.res, 200, encoding, body);
    this.report(outcome.status, outcome.message, outcome.accepted, outcome.rejected);
  }
}

// Refusals before reading the body close the connection, so that an unread
// (maybe endless) body is not drained just to keep the connection alive.
const CLOSE = { Connection: 'close' };

async function handleExport(
  exchange: Exchange,
  options: OtlpHttpOptions,
  maxBodyBytes: number,
): Promise<void> {
  const { req, encoding, signal } = exchange;
  if (req.method !== 'POST') {
    const message = `${req.method} is not allowed; OTLP/HTTP exports are POST`;
    return exchange.refuse(405, UNIMPLEMENTED, 'unsupported', message, { ...CLOSE, Allow: 'POST' });
  }
  const { authToken } = options;
  if (authToken !== undefined && !hasBearerToken(req.headers.authorization, authToken)) {
    const message = 'missing or wrong bearer token in the Authorization header';
    const headers = { ...CLOSE, 'WWW-Authenticate': 'Bearer' };
    return exchange.refuse(401, UNAUTHENTICATED, 'unauthenticated', message, headers);
  }
  if (encoding === undefined) {
    const type = req.headers['content-type'] ?? '(none)';
    const message = `content type ${type} is not supported; send application/json or application/x-protobuf`;
    return exchange.refuse(415, INVALID_ARGUMENT, 'unsupported', message, CLOSE);
  }
  const contentEncoding = contentEncodingOf(req.headers['content-encoding']);
  if (contentEncoding === undefined) {
    const message = `content encoding ${req.headers['content-encoding']} is not supported; send gzip or none`;
    return exchange.refuse(415, INVALID_ARGUMENT, 'unsupported', message, CLOSE);
  }

  let body: Buffer;
  try {
    body = await inflateBody(await readBody(req, maxBodyBytes), contentEncoding, maxBodyBytes);
  } catch (error) {
    if (error instanceof ClientAbortedError) return exchange.report('aborted', error.message);
    if (error instanceof BodyTooLargeError) {
      return exchange.refuse(413, RESOURCE_EXHAUSTED, 'too_large', error.message, CLOSE);
    }
    if (error instanceof OtlpDecodeError) {
      return exchange.refuse(400, INVALID_ARGUMENT, 'invalid', error.message);
    }
    throw error;
  }

  const from = { protocol: PROTOCOL_OF_ENCODING[encoding], remote: exchange.remote };
  const outcome = await receiveExport(signal, encoding, body, options.sink, from);
  switch (outcome.status) {
    case 'invalid':
      return exchange.refuse(400, INVALID_ARGUMENT, 'invalid', outcome.message);
    case 'unavailable': {
      const headers = { 'Retry-After': String(RETRY_AFTER_SECONDS) };
      return exchange.refuse(503, UNAVAILABLE, 'unavailable', outcome.message, headers);
    }
    case 'ok':
    case 'partial':
      return exchange.accept(encoding, outcome);
  }
}

/** A node:http server with only the OTLP/HTTP receiver on it (404 elsewhere). */
export function startOtlpHttpServer(options: OtlpHttpServerOptions): Promise<OtlpServer> {
  const handle = createOtlpHttpHandler(options);
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (handled) return;
      const message = 'not an OTLP path; POST to /v1/metrics, /v1/logs or /v1/traces';
      send(res, 404, 'json', encodeErrorStatus('json', UNIMPLEMENTED, message));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(bindError('OTLP/HTTP receiver', options.host, options.port, error)),
    );
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Exporters keep connections alive; without this close() would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}

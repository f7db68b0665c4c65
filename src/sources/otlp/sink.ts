import type { LogRecord } from './decode-logs.js';
import type { MetricPoint } from './decode-metrics.js';

/** The three OTLP signals, named as in the OTLP/HTTP paths (`/v1/<signal>`). */
export type Signal = 'metrics' | 'logs' | 'traces';

/** The values of OTEL_EXPORTER_OTLP_PROTOCOL that Claude Code can send with. */
export type Protocol = 'grpc' | 'http/json' | 'http/protobuf';

export interface ReceiveContext {
  protocol: Protocol;
  /** Peer address of the exporter, e.g. `127.0.0.1:53124`, when known. */
  remote?: string;
}

/**
 * Where the receivers deliver what they decoded (the store, in `ccmon serve`).
 * The receiver answers once the method returns or its promise resolves, so a
 * success means stored. A method may throw or reject, e.g. when the store
 * cannot be written: the receiver then answers 503 / UNAVAILABLE so that the
 * exporter retries the same batch later.
 */
export interface OtlpSink {
  metrics(points: MetricPoint[], from: ReceiveContext): void | Promise<void>;
  logs(records: LogRecord[], from: ReceiveContext): void | Promise<void>;
  spans(count: number, from: ReceiveContext): void | Promise<void>;
}

/**
 * How one export request ended, the same words for HTTP and gRPC:
 * ok / partial (some items rejected) / invalid (400, INVALID_ARGUMENT) /
 * unauthenticated (401) / too_large (413, RESOURCE_EXHAUSTED) /
 * unsupported (405, 415) / unavailable (sink threw: 503, UNAVAILABLE) /
 * aborted (the client went away before the body was read).
 */
export type OtlpStatus =
  | 'ok'
  | 'partial'
  | 'invalid'
  | 'unauthenticated'
  | 'too_large'
  | 'unsupported'
  | 'unavailable'
  | 'aborted';

export interface OtlpRequestReport {
  signal: Signal;
  /** `http` when the content type was not one OTLP/HTTP defines. */
  protocol: Protocol | 'http';
  status: OtlpStatus;
  /** Data points, log records or spans handed to the sink. */
  accepted: number;
  /** Items refused as invalid (reported back as partial success). */
  rejected: number;
  /** Why the request failed or what was rejected; empty when all went well. */
  message: string;
  remote?: string;
}

/**
 * Observer of every export request, for /health and
 * `ccmon_otlp_requests_total{signal,protocol,status}`. Must not throw.
 */
export interface OtlpStats {
  request(report: OtlpRequestReport): void;
}

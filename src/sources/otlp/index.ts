// The OTLP source's public API, for `ccmon serve` and the store.
export type { Attributes, AttributeValue } from './attribute-value.js';
export { type DecodedLogs, decodeLogs, type LogRecord } from './decode-logs.js';
export {
  type DecodedMetrics,
  decodeMetrics,
  type MetricPoint,
  type Temporality,
} from './decode-metrics.js';
export { type DecodedTraces, decodeTraces } from './decode-traces.js';
export { type OtlpGrpcServerOptions, startOtlpGrpcServer } from './grpc-receiver.js';
export {
  createOtlpHttpHandler,
  type OtlpHttpHandler,
  type OtlpHttpOptions,
  type OtlpHttpServerOptions,
  startOtlpHttpServer,
} from './http-receiver.js';
export { DEFAULT_MAX_BODY_BYTES, type OtlpServer } from './otlp-server.js';
export type {
  OtlpRequestReport,
  OtlpSink,
  OtlpStats,
  OtlpStatus,
  Protocol,
  ReceiveContext,
  Signal,
} from './sink.js';

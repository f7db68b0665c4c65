import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { Signal } from '../../src/sources/otlp/index.js';

const METHOD: Record<Signal, string> = {
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
};

const passBytes = (bytes: Buffer): Buffer => bytes;

/**
 * Sends `message` (an encoded Export*ServiceRequest) with a real grpc-js client,
 * resolving the encoded response or the ServiceError.
 */
export function exportOverGrpc(
  port: number,
  signal: Signal,
  message: Buffer,
  options: { token?: string; gzip?: boolean } = {},
): Promise<Buffer | ServiceError> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), {
    ...(options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {}),
  });
  const metadata = new Metadata();
  if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      METHOD[signal],
      passBytes,
      passBytes,
      message,
      metadata,
      (error, response) => {
        client.close();
        resolve(error ?? response ?? Buffer.alloc(0));
      },
    );
  });
}

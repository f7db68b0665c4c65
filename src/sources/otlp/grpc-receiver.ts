import {
  type handleUnaryCall,
  type MethodDefinition,
  Server,
  ServerCredentials,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { hasBearerToken } from './bearer-token.js';
import { encodeExportResponse } from './export-response.js';
import { SERVICE_PACKAGE } from './otlp-schema.js';
import { bindError, DEFAULT_MAX_BODY_BYTES, hostPort, type OtlpServer } from './otlp-server.js';
import { receiveExport } from './receive-export.js';
import type { OtlpSink, OtlpStats, OtlpStatus, Signal } from './sink.js';

export interface OtlpGrpcServerOptions {
  host: string;
  port: number;
  sink: OtlpSink;
  stats?: OtlpStats;
  /** When set, calls must carry `authorization: Bearer <authToken>` metadata. */
  authToken?: string;
  /** Limit on one message once inflated; 16 MiB by default (grpc-js answers RESOURCE_EXHAUSTED). */
  maxMessageBytes?: number;
}

const SERVICE_NAME: Readonly<Record<Signal, string>> = {
  metrics: 'MetricsService',
  logs: 'LogsService',
  traces: 'TraceService',
};

const SIGNALS: readonly Signal[] = ['metrics', 'logs', 'traces'];

/** How long close() lets calls in flight finish before cutting them. */
const SHUTDOWN_GRACE_MS = 2_000;

// Messages pass through grpc-js as raw bytes: decoding happens in the handler,
// so that a bad payload is answered INVALID_ARGUMENT (grpc-js would say INTERNAL).
const passBytes = (bytes: Buffer): Buffer => bytes;

function exportMethod(signal: Signal): MethodDefinition<Buffer, Buffer> {
  return {
    path: `/${SERVICE_PACKAGE[signal]}.${SERVICE_NAME[signal]}/Export`,
    requestStream: false,
    responseStream: false,
    requestSerialize: passBytes,
    requestDeserialize: passBytes,
    responseSerialize: passBytes,
    responseDeserialize: passBytes,
  };
}

function exportHandler(
  signal: Signal,
  options: OtlpGrpcServerOptions,
): handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const remote = call.getPeer();
    const report = (status: OtlpStatus, message: string, accepted = 0, rejected = 0): void =>
      options.stats?.request({
        signal,
        protocol: 'grpc',
        status,
        accepted,
        rejected,
        message,
        remote,
      });
    const { authToken } = options;
    if (authToken !== undefined) {
      const [header] = call.metadata.get('authorization');
      if (!hasBearerToken(header?.toString(), authToken)) {
        const details = 'missing or wrong bearer token in the authorization metadata';
        report('unauthenticated', details);
        return callback({ code: status.UNAUTHENTICATED, details });
      }
    }
    // Answered once the sink has the data: for `ccmon serve`, once it is stored.
    void (async () => {
      try {
        const outcome = await receiveExport(signal, 'protobuf', call.request, options.sink, {
          protocol: 'grpc',
          remote,
        });
        switch (outcome.status) {
          case 'invalid':
            report('invalid', outcome.message);
            return callback({ code: status.INVALID_ARGUMENT, details: outcome.message });
          case 'unavailable':
            report('unavailable', outcome.message);
            return callback({ code: status.UNAVAILABLE, details: outcome.message });
          case 'ok':
          case 'partial': {
            const response = encodeExportResponse(
              signal,
              'protobuf',
              outcome.rejected,
              outcome.message,
            );
            report(outcome.status, outcome.message, outcome.accepted, outcome.rejected);
            return callback(null, Buffer.from(response));
          }
        }
      } catch (error) {
        // A bug of ours: answer retryable rather than lose the batch.
        const details = `internal error: ${error instanceof Error ? error.message : String(error)}`;
        report('unavailable', details);
        return callback({ code: status.UNAVAILABLE, details });
      }
    })();
  };
}

/**
 * The OTLP/gRPC receiver: the Export method of the metrics, logs and trace
 * collector services. grpc-js inflates `grpc-encoding: gzip` messages itself.
 */
export function startOtlpGrpcServer(options: OtlpGrpcServerOptions): Promise<OtlpServer> {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = new Server({ 'grpc.max_receive_message_length': maxMessageBytes });
  for (const signal of SIGNALS) {
    const service: ServiceDefinition = { Export: exportMethod(signal) };
    const implementation: UntypedServiceImplementation = { Export: exportHandler(signal, options) };
    server.addService(service, implementation);
  }
  const address = hostPort(options.host, options.port);
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => {
      if (error) {
        server.forceShutdown();
        return reject(bindError('OTLP/gRPC receiver', options.host, options.port, error));
      }
      resolve({ port, close: () => shutdown(server) });
    });
  });
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

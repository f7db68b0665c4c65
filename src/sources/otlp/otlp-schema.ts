import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Signal } from './sink.js';

/**
 * The OTLP v1 protobuf schema, loaded once at startup by reflection from the
 * package's `proto/` folder (three levels up from both src/sources/otlp and
 * dist/sources/otlp).
 */
const PROTO_DIR = fileURLToPath(new URL('../../../proto/', import.meta.url));

const SERVICE_FILES = [
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'google/rpc/status.proto',
];

function loadSchema(): protobuf.Root {
  const root = new protobuf.Root();
  // google/protobuf/* are bundled with protobufjs; everything else is ours.
  root.resolvePath = (_origin, target) =>
    target.startsWith('google/protobuf/') ? target : PROTO_DIR + target;
  root.loadSync(SERVICE_FILES);
  root.resolveAll();
  return root;
}

const schema = loadSchema();

/** Package of each signal's collector service, as in the gRPC method paths. */
export const SERVICE_PACKAGE: Readonly<Record<Signal, string>> = {
  metrics: 'opentelemetry.proto.collector.metrics.v1',
  logs: 'opentelemetry.proto.collector.logs.v1',
  traces: 'opentelemetry.proto.collector.trace.v1',
};

const MESSAGE_STEM: Readonly<Record<Signal, string>> = {
  metrics: 'Metrics',
  logs: 'Logs',
  traces: 'Trace',
};

function typeOf(signal: Signal, suffix: string): protobuf.Type {
  return schema.lookupType(`${SERVICE_PACKAGE[signal]}.Export${MESSAGE_STEM[signal]}${suffix}`);
}

export const exportRequestType: Readonly<Record<Signal, protobuf.Type>> = {
  metrics: typeOf('metrics', 'ServiceRequest'),
  logs: typeOf('logs', 'ServiceRequest'),
  traces: typeOf('traces', 'ServiceRequest'),
};

export const exportResponseType: Readonly<Record<Signal, protobuf.Type>> = {
  metrics: typeOf('metrics', 'ServiceResponse'),
  logs: typeOf('logs', 'ServiceResponse'),
  traces: typeOf('traces', 'ServiceResponse'),
};

/** google.rpc.Status, the body of an OTLP/HTTP error response. */
export const statusType: protobuf.Type = schema.lookupType('google.rpc.Status');

import { exportResponseType, statusType } from './otlp-schema.js';
import type { BodyEncoding } from './parse-export-body.js';
import type { Signal } from './sink.js';

/** Field of Export<Signal>PartialSuccess that counts the rejected items. */
const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
  traces: 'rejectedSpans',
};

/**
 * The Export<Signal>ServiceResponse for an accepted request: empty when all
 * went in, with `partialSuccess` when some items were rejected or there is a
 * warning to pass back.
 */
export function encodeExportResponse(
  signal: Signal,
  encoding: BodyEncoding,
  rejected: number,
  errorMessage: string,
): Uint8Array {
  const response =
    rejected === 0 && errorMessage === ''
      ? {}
      : { partialSuccess: { [REJECTED_FIELD[signal]]: rejected, errorMessage } };
  if (encoding === 'json') return Buffer.from(JSON.stringify(response));
  const type = exportResponseType[signal];
  return type.encode(type.fromObject(response)).finish();
}

/** A google.rpc.Status, the body OTLP/HTTP sends with an error status code. */
export function encodeErrorStatus(
  encoding: BodyEncoding,
  grpcCode: number,
  message: string,
): Uint8Array {
  const status = { code: grpcCode, message };
  if (encoding === 'json') return Buffer.from(JSON.stringify(status));
  return statusType.encode(statusType.fromObject(status)).finish();
}

import { OtlpDecodeError } from './decode-error.js';
import { exportRequestType } from './otlp-schema.js';
import type { Signal } from './sink.js';

/** How an export request's bytes are encoded: OTLP/JSON, or protobuf (HTTP and gRPC). */
export type BodyEncoding = 'json' | 'protobuf';

/**
 * The bytes of an Export<Signal>ServiceRequest as one JSON-shaped value, so
 * that a single decoder reads both encodings. Protobuf goes through protobufjs
 * `toObject` with 64-bit integers as bigints (exact, and about as cheap as
 * reading two 32-bit halves; as decimal strings they took a division loop per
 * timestamp) and bytes as base64, which is also what OTLP/JSON uses for
 * AnyValue bytes.
 */
export function parseExportBody(signal: Signal, encoding: BodyEncoding, body: Uint8Array): unknown {
  if (encoding === 'json') {
    try {
      return JSON.parse(
        Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
      );
    } catch (error) {
      throw new OtlpDecodeError(`body is not valid JSON: ${messageOf(error)}`);
    }
  }
  const type = exportRequestType[signal];
  try {
    return type.toObject(type.decode(body), { longs: BigInt, bytes: String });
  } catch (error) {
    throw new OtlpDecodeError(`body is not a valid ${type.name} protobuf: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { OtlpDecodeError } from './decode-error.js';
import { decodeLogs } from './decode-logs.js';
import { decodeMetrics } from './decode-metrics.js';
import { decodeTraces } from './decode-traces.js';
import { type BodyEncoding, parseExportBody } from './parse-export-body.js';
import type { OtlpSink, ReceiveContext, Signal } from './sink.js';

/**
 * What became of one export request's bytes, before any transport answer:
 * - ok / partial: decoded and delivered (partial: `rejected` items were invalid);
 * - invalid: the body does not decode (400 / INVALID_ARGUMENT);
 * - unavailable: the sink threw (503 / UNAVAILABLE, the exporter retries).
 */
export interface ExportOutcome {
  status: 'ok' | 'partial' | 'invalid' | 'unavailable';
  accepted: number;
  rejected: number;
  message: string;
}

interface Decoded {
  accepted: number;
  rejected: number;
  errorMessage: string;
  deliver: () => void | Promise<void>;
}

function decode(signal: Signal, request: unknown, sink: OtlpSink, from: ReceiveContext): Decoded {
  switch (signal) {
    case 'metrics': {
      const { points, rejected, errorMessage } = decodeMetrics(request);
      return {
        accepted: points.length,
        rejected,
        errorMessage,
        deliver: () => sink.metrics(points, from),
      };
    }
    case 'logs': {
      const { records, rejected, errorMessage } = decodeLogs(request);
      return {
        accepted: records.length,
        rejected,
        errorMessage,
        deliver: () => sink.logs(records, from),
      };
    }
    case 'traces': {
      const { spans, rejected, errorMessage } = decodeTraces(request);
      return { accepted: spans, rejected, errorMessage, deliver: () => sink.spans(spans, from) };
    }
  }
}

/**
 * Decode an export request and hand its items to the sink; the same for every
 * transport. Resolves once the sink has them (stored, for `ccmon serve`).
 */
export async function receiveExport(
  signal: Signal,
  encoding: BodyEncoding,
  body: Uint8Array,
  sink: OtlpSink,
  from: ReceiveContext,
): Promise<ExportOutcome> {
  let decoded: Decoded;
  try {
    decoded = decode(signal, parseExportBody(signal, encoding, body), sink, from);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    return {
      status: 'invalid',
      accepted: 0,
      rejected: 0,
      message: `invalid ${signal} export: ${error.message}`,
    };
  }
  // An empty batch (all rejected, or a keep-alive export) need not reach the store.
  if (decoded.accepted > 0) {
    try {
      await decoded.deliver();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        status: 'unavailable',
        accepted: 0,
        rejected: 0,
        message: `cannot store ${signal}: ${reason}`,
      };
    }
  }
  return {
    status: decoded.rejected > 0 ? 'partial' : 'ok',
    accepted: decoded.accepted,
    rejected: decoded.rejected,
    message: decoded.errorMessage,
  };
}

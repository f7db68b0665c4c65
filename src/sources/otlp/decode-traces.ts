import { OtlpDecodeError } from './decode-error.js';
import { isJsonObject, objectsField, stringField } from './json-fields.js';
import { Rejections } from './rejections.js';

export interface DecodedTraces {
  /** Valid spans; ccmon only counts them (Claude Code's usage is in metrics and logs). */
  spans: number;
  rejected: number;
  errorMessage: string;
}

/**
 * An ExportTraceServiceRequest (JSON shape), counted. A span without a
 * trace or span id is rejected, as the OTLP spec calls it invalid.
 */
export function decodeTraces(request: unknown): DecodedTraces {
  if (!isJsonObject(request)) throw new OtlpDecodeError('request is not an object');
  let spans = 0;
  const rejections = new Rejections();
  for (const [r, resourceSpans] of objectsField(request, 'resourceSpans', 'request').entries()) {
    const rPath = `resourceSpans[${r}]`;
    for (const [s, scopeSpans] of objectsField(resourceSpans, 'scopeSpans', rPath).entries()) {
      const sPath = `${rPath}.scopeSpans[${s}]`;
      for (const [i, span] of objectsField(scopeSpans, 'spans', sPath).entries()) {
        const path = `${sPath}.spans[${i}]`;
        try {
          // Hex in OTLP/JSON, base64 after protobuf toObject: either way non-empty.
          if (
            stringField(span, 'traceId', path) === '' ||
            stringField(span, 'spanId', path) === ''
          ) {
            throw new OtlpDecodeError(`${path} has no traceId or spanId`);
          }
          spans += 1;
        } catch (error) {
          if (!(error instanceof OtlpDecodeError)) throw error;
          rejections.add(1, error.message);
        }
      }
    }
  }
  return { spans, rejected: rejections.count, errorMessage: rejections.message };
}

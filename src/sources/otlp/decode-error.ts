/**
 * An export request that does not decode, or one item in it that is invalid.
 * The message names the field, e.g. `resourceMetrics[0].scopeMetrics is not an array`.
 */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

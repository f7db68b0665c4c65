import { type Attributes, parseAttributes } from './attribute-value.js';
import { OtlpDecodeError } from './decode-error.js';
import {
  boolField,
  doubleField,
  enumField,
  int64NumberField,
  isJsonObject,
  type JsonObject,
  objectField,
  objectsField,
  stringField,
  uint64Field,
} from './json-fields.js';
import { Rejections } from './rejections.js';
import { resourceOf, scopeOf } from './resource-and-scope.js';

export type Temporality = 'delta' | 'cumulative' | 'unspecified';

/** One data point of one metric, with everything needed to store it alone. */
export interface MetricPoint {
  metric: string;
  unit: string;
  kind: 'sum' | 'gauge' | 'histogram';
  temporality: Temporality;
  monotonic: boolean;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** The point's value; for a histogram, the sum of its observations. */
  value: number;
  /** Histograms only: how many observations. */
  count?: number;
  attributes: Attributes;
  resource: Attributes;
  scope: string;
}

export interface DecodedMetrics {
  points: MetricPoint[];
  /** Data points refused as invalid, for the partial-success answer. */
  rejected: number;
  errorMessage: string;
}

const TEMPORALITY_NUMBERS = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
} as const;

const TEMPORALITIES: readonly Temporality[] = ['unspecified', 'delta', 'cumulative'];

/** DataPointFlags.NO_RECORDED_VALUE_MASK: a deliberate gap, not an invalid point. */
const NO_RECORDED_VALUE = 1;

/** The fields a metric gives every one of its points. */
type MetricShape = Omit<
  MetricPoint,
  'startTimeUnixNano' | 'timeUnixNano' | 'value' | 'count' | 'attributes'
>;

/**
 * An ExportMetricsServiceRequest (JSON shape) as data points. A malformed
 * envelope (resource, scope, metric) throws OtlpDecodeError; an invalid data
 * point is counted in `rejected` and the rest are kept.
 */
export function decodeMetrics(request: unknown): DecodedMetrics {
  if (!isJsonObject(request)) throw new OtlpDecodeError('request is not an object');
  const out: Output = { points: [], rejections: new Rejections() };
  for (const [r, resourceMetrics] of objectsField(
    request,
    'resourceMetrics',
    'request',
  ).entries()) {
    const rPath = `resourceMetrics[${r}]`;
    const resource = resourceOf(resourceMetrics, rPath);
    for (const [s, scopeMetrics] of objectsField(
      resourceMetrics,
      'scopeMetrics',
      rPath,
    ).entries()) {
      const sPath = `${rPath}.scopeMetrics[${s}]`;
      const scope = scopeOf(scopeMetrics, sPath);
      for (const [m, metric] of objectsField(scopeMetrics, 'metrics', sPath).entries()) {
        decodeMetric(metric, `${sPath}.metrics[${m}]`, { resource, scope }, out);
      }
    }
  }
  const { points, rejections } = out;
  return { points, rejected: rejections.count, errorMessage: rejections.message };
}

interface Output {
  points: MetricPoint[];
  rejections: Rejections;
}

/** The oneof `data` of a Metric, in the order they are looked for. */
const DATA_FIELDS = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;

function decodeMetric(
  metric: JsonObject,
  path: string,
  origin: Pick<MetricPoint, 'resource' | 'scope'>,
  out: Output,
): void {
  const name = stringField(metric, 'name', path);
  const common = { ...origin, metric: name, unit: stringField(metric, 'unit', path) };
  for (const field of DATA_FIELDS) {
    const data = objectField(metric, field, path);
    if (!data) continue;
    const dataPath = `${path}.${field}`;
    switch (field) {
      case 'sum': {
        const temporality = temporalityOf(data, dataPath);
        const monotonic = boolField(data, 'isMonotonic', dataPath);
        const shape: MetricShape = { ...common, kind: 'sum', temporality, monotonic };
        decodePoints(data, dataPath, shape, numberValue, out);
        break;
      }
      case 'gauge': {
        const shape: MetricShape = {
          ...common,
          kind: 'gauge',
          temporality: 'unspecified',
          monotonic: false,
        };
        decodePoints(data, dataPath, shape, numberValue, out);
        break;
      }
      case 'histogram':
      case 'exponentialHistogram': {
        const temporality = temporalityOf(data, dataPath);
        const shape: MetricShape = { ...common, kind: 'histogram', temporality, monotonic: false };
        decodePoints(data, dataPath, shape, histogramValue, out);
        break;
      }
      case 'summary': {
        const count = objectsField(data, 'dataPoints', dataPath).length;
        if (count > 0)
          out.rejections.add(count, `metric ${name}: summary metrics are not supported`);
        break;
      }
    }
    return;
  }
  // A metric with no data at all carries no points: nothing to keep or reject.
}

function temporalityOf(data: JsonObject, path: string): Temporality {
  const number = enumField(data, 'aggregationTemporality', path, TEMPORALITY_NUMBERS);
  // An unknown future value is kept as 'unspecified' rather than guessed.
  return TEMPORALITIES[number] ?? 'unspecified';
}

type PointValue = Pick<MetricPoint, 'value' | 'count'>;

function decodePoints(
  data: JsonObject,
  path: string,
  shape: MetricShape,
  readValue: (point: JsonObject, path: string) => PointValue,
  out: Output,
): void {
  for (const [p, point] of objectsField(data, 'dataPoints', path).entries()) {
    const pPath = `${path}.dataPoints[${p}]`;
    try {
      if ((int64NumberField(point, 'flags', pPath) ?? 0) & NO_RECORDED_VALUE) continue;
      const timeUnixNano = uint64Field(point, 'timeUnixNano', pPath);
      if (timeUnixNano === 0n) throw new OtlpDecodeError(`${pPath} has no timeUnixNano`);
      const { value, count } = readValue(point, pPath);
      if (!Number.isFinite(value))
        throw new OtlpDecodeError(`${pPath} value ${value} is not finite`);
      out.points.push({
        ...shape,
        startTimeUnixNano: uint64Field(point, 'startTimeUnixNano', pPath),
        timeUnixNano,
        value,
        ...(count === undefined ? {} : { count }),
        attributes: parseAttributes(point, 'attributes', pPath),
      });
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      out.rejections.add(1, `metric ${shape.metric}: ${error.message}`);
    }
  }
}

function numberValue(point: JsonObject, path: string): PointValue {
  const value = doubleField(point, 'asDouble', path) ?? int64NumberField(point, 'asInt', path);
  if (value === undefined) throw new OtlpDecodeError(`${path} has no value (asDouble or asInt)`);
  return { value };
}

function histogramValue(point: JsonObject, path: string): PointValue {
  const value = doubleField(point, 'sum', path);
  if (value === undefined) throw new OtlpDecodeError(`${path} has no sum`);
  return { value, count: int64NumberField(point, 'count', path) ?? 0 };
}

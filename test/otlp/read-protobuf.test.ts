import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportRequestType } from '../../src/sources/otlp/otlp-schema.js';
import { messagePlan, readProtobuf } from '../../src/sources/otlp/read-protobuf.js';
import type { Signal } from '../../src/sources/otlp/sink.js';
import { fixtureBodies } from './fixture-bodies.js';

const plans = {
  metrics: messagePlan(exportRequestType.metrics),
  logs: messagePlan(exportRequestType.logs),
  traces: messagePlan(exportRequestType.traces),
};

/** protobufjs' reading of the same bytes, with 64-bit integers as bigint like ours. */
function protobufjsReading(signal: Signal, bytes: Uint8Array): unknown {
  const type = exportRequestType[signal];
  const object = type.toObject(type.decode(bytes), { longs: String, bytes: String });
  return JSON.parse(JSON.stringify(object));
}

function ourReading(signal: Signal, bytes: Uint8Array): unknown {
  // 64-bit integers compared as the decimal strings protobufjs gives.
  const json = JSON.stringify(readProtobuf(plans[signal], bytes), (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  return JSON.parse(json);
}

function encode(signal: Signal, object: Record<string, unknown>): Uint8Array {
  const type = exportRequestType[signal];
  return type.encode(type.fromObject(object)).finish();
}

const attribute = (key: string, value: Record<string, unknown>) => ({ key, value });

/** Every kind of AnyValue, nested, and negative and large integers. */
const ANY_VALUES = [
  attribute('text', { stringValue: 'caf\u00e9 \u2615 \u{1f600}' }),
  attribute('empty', { stringValue: '' }),
  attribute('yes', { boolValue: true }),
  attribute('no', { boolValue: false }),
  attribute('negative', { intValue: '-42' }),
  attribute('huge', { intValue: '9007199254740993' }),
  attribute('zero', { intValue: '0' }),
  attribute('ratio', { doubleValue: -0.125 }),
  attribute('bytes', { bytesValue: Buffer.from([0, 1, 2, 250]).toString('base64') }),
  attribute('list', { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }, {}] } }),
  attribute('map', { kvlistValue: { values: [attribute('inner', { doubleValue: 1.5 })] } }),
];

const RICH_METRICS = {
  resourceMetrics: [
    {
      resource: { attributes: ANY_VALUES, droppedAttributesCount: 3 },
      schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
      scopeMetrics: [
        {
          scope: { name: 'scope', version: '1' },
          metrics: [
            {
              name: 'sum',
              unit: 'By',
              sum: {
                aggregationTemporality: 1,
                isMonotonic: true,
                dataPoints: [
                  { timeUnixNano: '18446744073709551615', asInt: '-7', attributes: ANY_VALUES },
                  { startTimeUnixNano: '1', timeUnixNano: '2', asDouble: 0, flags: 1 },
                ],
              },
            },
            { name: 'gauge', gauge: { dataPoints: [{ timeUnixNano: '5', asDouble: 3.25 }] } },
            {
              name: 'histogram',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    timeUnixNano: '9',
                    count: '6',
                    sum: 12.5,
                    min: 0.5,
                    max: 9,
                    bucketCounts: ['1', '2', '3'],
                    explicitBounds: [1, 5],
                    exemplars: [{ timeUnixNano: '9', asDouble: 1, spanId: 'AAECAwQFBgc=' }],
                  },
                ],
              },
            },
            {
              name: 'exponential',
              exponentialHistogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    timeUnixNano: '9',
                    count: '3',
                    sum: 4,
                    scale: -3,
                    zeroCount: '1',
                    positive: { offset: -2, bucketCounts: ['1', '1'] },
                    negative: { offset: 4, bucketCounts: [] },
                  },
                ],
              },
            },
            {
              name: 'summary',
              summary: {
                dataPoints: [
                  {
                    timeUnixNano: '9',
                    count: '2',
                    sum: 3,
                    quantileValues: [{ quantile: 0.5, value: 1.5 }],
                  },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

const RICH_LOGS = {
  resourceLogs: [
    {
      resource: { attributes: ANY_VALUES },
      scopeLogs: [
        {
          scope: { name: 'events', attributes: ANY_VALUES },
          logRecords: [
            {
              timeUnixNano: '1795483652438000000',
              observedTimeUnixNano: '1795483652438000001',
              severityNumber: 9,
              severityText: 'INFO',
              body: { kvlistValue: { values: ANY_VALUES } },
              attributes: ANY_VALUES,
              flags: 1,
              traceId: 'AAECAwQFBgcICQoLDA0ODw==',
              spanId: 'AAECAwQFBgc=',
              eventName: 'claude_code.api_request',
            },
            { observedTimeUnixNano: '3' },
          ],
        },
      ],
    },
  ],
};

const RICH_TRACES = {
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: [
            {
              traceId: 'AAECAwQFBgcICQoLDA0ODw==',
              spanId: 'AAECAwQFBgc=',
              name: 'span',
              kind: 3,
              startTimeUnixNano: '1',
              endTimeUnixNano: '2',
              attributes: ANY_VALUES,
              events: [{ timeUnixNano: '1', name: 'event' }],
              links: [{ traceId: 'AAECAwQFBgcICQoLDA0ODw==', spanId: 'AAECAwQFBgc=' }],
              status: { code: 2, message: 'failed' },
            },
          ],
        },
      ],
    },
  ],
};

const RICH: [Signal, Uint8Array][] = [
  ['metrics', encode('metrics', RICH_METRICS)],
  ['logs', encode('logs', RICH_LOGS)],
  ['traces', encode('traces', RICH_TRACES)],
];

describe('reading OTLP protobuf into the JSON shape', () => {
  it('reads every recorded Claude Code body as protobufjs does', () => {
    for (const run of ['pb-tools', 'grpc-tools']) {
      for (const body of fixtureBodies(run)) {
        expect(ourReading(body.signal, body.bytes), body.file).toEqual(
          protobufjsReading(body.signal, body.bytes),
        );
      }
    }
  });

  it('reads every field type of the OTLP schema as protobufjs does', () => {
    for (const [signal, bytes] of RICH) {
      expect(ourReading(signal, bytes), signal).toEqual(protobufjsReading(signal, bytes));
    }
  });

  it('agrees with protobufjs on every cut-off body: the same reading, or both refuse', () => {
    for (const [signal, bytes] of RICH) {
      for (let length = 0; length < bytes.length; length++) {
        const cut = bytes.subarray(0, length);
        let theirs: unknown;
        try {
          theirs = protobufjsReading(signal, cut);
        } catch {
          expect(() => ourReading(signal, cut), `${signal} cut at ${length}`).toThrow();
          continue;
        }
        expect(ourReading(signal, cut), `${signal} cut at ${length}`).toEqual(theirs);
      }
    }
  });

  it('never accepts damaged bytes that protobufjs refuses, and reads the rest the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RICH),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        ([signal, original], damage) => {
          const bytes = Buffer.from(original);
          for (const [at, byte] of damage) bytes[at % bytes.length] = byte;
          let ours: unknown;
          try {
            ours = ourReading(signal, bytes);
          } catch {
            return; // Refusing is always safe: the exporter is told why.
          }
          expect(ours).toEqual(protobufjsReading(signal, bytes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps the last member of a oneof set, as protobufjs does', () => {
    const anyValue = exportRequestType.logs.root.lookupType(
      'opentelemetry.proto.common.v1.AnyValue',
    );
    const both = Buffer.concat([
      anyValue.encode({ stringValue: 'first' }).finish(),
      anyValue.encode({ intValue: 5 }).finish(),
    ]);
    expect(readProtobuf(messagePlan(anyValue), both)).toEqual({ intValue: 5n });
    expect(anyValue.toObject(anyValue.decode(both), { longs: String })).toEqual({ intValue: '5' });
  });

  it('refuses invalid UTF-8 in a string, as protobufjs does', () => {
    const bytes = Buffer.from(encode('logs', RICH_LOGS));
    const at = bytes.indexOf('INFO');
    bytes[at] = 0xc3;
    bytes[at + 1] = 0x28;
    expect(() => protobufjsReading('logs', bytes)).toThrow();
    expect(() => ourReading('logs', bytes)).toThrow();
  });
});

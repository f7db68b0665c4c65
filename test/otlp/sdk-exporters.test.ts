import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type OtlpServer,
  type Protocol,
  startOtlpGrpcServer,
  startOtlpHttpServer,
} from '../../src/sources/otlp/index.js';
import { RecordingSink } from './recording-sink.js';

// A second, independent client: the OpenTelemetry JS SDK's own exporters.

const sink = new RecordingSink();
let http: OtlpServer;
let grpc: OtlpServer;

beforeAll(async () => {
  http = await startOtlpHttpServer({ host: '127.0.0.1', port: 0, sink });
  grpc = await startOtlpGrpcServer({ host: '127.0.0.1', port: 0, sink });
});
afterAll(async () => {
  await http.close();
  await grpc.close();
});
beforeEach(() => {
  sink.points = [];
  sink.records = [];
  sink.from = [];
});

const resource = resourceFromAttributes({ 'service.name': 'sdk-test', team: 'platform' });
const PROTOCOLS: Protocol[] = ['grpc', 'http/json', 'http/protobuf'];
const COMPRESSIONS = [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP];

function metricExporter(protocol: Protocol, compression: CompressionAlgorithm, delta: boolean) {
  const temporalityPreference = delta
    ? AggregationTemporalityPreference.DELTA
    : AggregationTemporalityPreference.CUMULATIVE;
  const options = { compression, temporalityPreference };
  if (protocol === 'grpc')
    return new GrpcMetricExporter({ ...options, url: `http://127.0.0.1:${grpc.port}` });
  const url = `http://127.0.0.1:${http.port}/v1/metrics`;
  return protocol === 'http/json'
    ? new JsonMetricExporter({ ...options, url })
    : new ProtoMetricExporter({ ...options, url });
}

function logExporter(protocol: Protocol, compression: CompressionAlgorithm) {
  if (protocol === 'grpc')
    return new GrpcLogExporter({ compression, url: `http://127.0.0.1:${grpc.port}` });
  const url = `http://127.0.0.1:${http.port}/v1/logs`;
  return protocol === 'http/json'
    ? new JsonLogExporter({ compression, url })
    : new ProtoLogExporter({ compression, url });
}

describe.each(PROTOCOLS)('OpenTelemetry SDK exporters over %s', (protocol) => {
  it.each(COMPRESSIONS)('metrics arrive as sent (compression %s)', async (compression) => {
    const delta = compression === CompressionAlgorithm.GZIP;
    const reader = new PeriodicExportingMetricReader({
      exporter: metricExporter(protocol, compression, delta),
      exportIntervalMillis: 600_000,
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('ccmon-test', '1.0.0');
    const tokens = meter.createCounter('claude_code.token.usage', { unit: 'tokens' });
    tokens.add(16, { type: 'input', model: 'claude-sonnet-4-5-20250929' });
    tokens.add(69, { type: 'output', model: 'claude-sonnet-4-5-20250929' });
    tokens.add(31, { type: 'output', model: 'claude-sonnet-4-5-20250929' });
    const latency = meter.createHistogram('request.duration', { unit: 'ms' });
    latency.record(120, { route: 'messages' });
    latency.record(80, { route: 'messages' });
    meter.createGauge('queue.depth').record(-3, { queue: 'main' });
    // Shutting down exports once, then stops the reader.
    await provider.shutdown();

    const byName = (name: string) => sink.points.filter((p) => p.metric === name);
    expect(byName('claude_code.token.usage').map((p) => [p.attributes.type, p.value])).toEqual([
      ['input', 16],
      ['output', 100],
    ]);
    const [input] = byName('claude_code.token.usage');
    expect(input).toMatchObject({
      unit: 'tokens',
      kind: 'sum',
      monotonic: true,
      temporality: delta ? 'delta' : 'cumulative',
      attributes: { type: 'input', model: 'claude-sonnet-4-5-20250929' },
      resource: { 'service.name': 'sdk-test', team: 'platform' },
      scope: 'ccmon-test',
    });
    expect(input?.timeUnixNano).toBeGreaterThanOrEqual(input?.startTimeUnixNano ?? 0n);
    expect(input?.timeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
    expect(byName('request.duration')).toMatchObject([
      { kind: 'histogram', value: 200, count: 2, unit: 'ms', attributes: { route: 'messages' } },
    ]);
    expect(byName('queue.depth')).toMatchObject([
      { kind: 'gauge', value: -3, temporality: 'unspecified', attributes: { queue: 'main' } },
    ]);
    expect(sink.from.map((f) => f.protocol)).toEqual([protocol]);
  });

  it.each(COMPRESSIONS)('log records arrive as sent (compression %s)', async (compression) => {
    const provider = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor({ exporter: logExporter(protocol, compression) })],
    });
    provider.getLogger('com.anthropic.claude_code.events').emit({
      body: 'claude_code.api_request',
      // Nanoseconds past 2^53: only an exact 64-bit path keeps the last digits.
      timestamp: [1795483746, 123456789],
      severityText: 'INFO',
      attributes: {
        'event.name': 'api_request',
        input_tokens: 16,
        cost_usd: 0.0577095,
        success: true,
        duration_ms: '24',
        tools: ['Write', 'Bash'],
        nested: { depth: 2, tags: ['a'] },
      },
    });
    await provider.forceFlush();
    await provider.shutdown();

    expect(sink.records).toEqual([
      {
        body: 'claude_code.api_request',
        eventName: 'api_request',
        timeUnixNano: 1795483746123456789n,
        observedTimeUnixNano: expect.any(BigInt),
        severityText: 'INFO',
        attributes: {
          'event.name': 'api_request',
          input_tokens: 16,
          cost_usd: 0.0577095,
          success: true,
          duration_ms: '24',
          tools: ['Write', 'Bash'],
          nested: { depth: 2, tags: ['a'] },
        },
        resource: { 'service.name': 'sdk-test', team: 'platform' },
        scope: 'com.anthropic.claude_code.events',
      },
    ]);
    expect(sink.from.map((f) => f.protocol)).toEqual([protocol]);
  });
});

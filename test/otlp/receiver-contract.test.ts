import { createServer } from 'node:http';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOtlpHttpHandler,
  type OtlpRequestReport,
  type OtlpServer,
  startOtlpGrpcServer,
  startOtlpHttpServer,
} from '../../src/sources/otlp/index.js';
import { exportResponseType } from '../../src/sources/otlp/otlp-schema.js';
import { fixtureBodies } from './fixture-bodies.js';
import { exportOverGrpc } from './grpc-export.js';
import { JSON_TYPE, PROTOBUF_TYPE, post } from './http-post.js';
import { RecordingSink } from './recording-sink.js';

const [metricsPb] = fixtureBodies('pb-tools').filter((b) => b.signal === 'metrics');
const [logsJson] = fixtureBodies('json-tools').filter((b) => b.signal === 'logs');
if (!metricsPb || !logsJson) throw new Error('fixture bodies missing');

const running: OtlpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(options: { authToken?: string } = {}) {
  const sink = new RecordingSink();
  const reports: OtlpRequestReport[] = [];
  const stats = { request: (report: OtlpRequestReport) => reports.push(report) };
  const http = await startOtlpHttpServer({ host: '127.0.0.1', port: 0, sink, stats, ...options });
  const grpc = await startOtlpGrpcServer({ host: '127.0.0.1', port: 0, sink, stats, ...options });
  running.push(http, grpc);
  return { sink, reports, http, grpc };
}

/** An OTLP/JSON metrics request with one good point and one without a value. */
const halfBadMetrics = JSON.stringify({
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
      scopeMetrics: [
        {
          scope: { name: 'com.anthropic.claude_code' },
          metrics: [
            {
              name: 'claude_code.token.usage',
              unit: 'tokens',
              sum: {
                aggregationTemporality: 1,
                isMonotonic: true,
                dataPoints: [
                  { timeUnixNano: '1795483746551000000', asInt: '16', attributes: [] },
                  { timeUnixNano: '1795483746551000000', attributes: [] },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
});

describe('partial success', () => {
  it('keeps the good points and reports the rejected one, in JSON', async () => {
    const { sink, reports, http } = await serve();
    const answer = await post(http.port, '/v1/metrics', halfBadMetrics, JSON_TYPE);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toEqual({
      partialSuccess: {
        rejectedDataPoints: 1,
        errorMessage:
          'metric claude_code.token.usage: resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[1] has no value (asDouble or asInt)',
      },
    });
    expect(sink.points.map((p) => p.value)).toEqual([16]);
    expect(reports.at(-1)).toMatchObject({
      signal: 'metrics',
      protocol: 'http/json',
      status: 'partial',
      accepted: 1,
      rejected: 1,
    });
  });

  it('answers an ExportMetricsServiceResponse in protobuf to a protobuf request', async () => {
    const { http } = await serve();
    const type = exportResponseType.metrics;
    const request = (await import('../../src/sources/otlp/otlp-schema.js')).exportRequestType
      .metrics;
    const bytes = request.encode(request.fromObject(JSON.parse(halfBadMetrics))).finish();
    const answer = await post(http.port, '/v1/metrics', bytes, PROTOBUF_TYPE);
    expect(answer.status).toBe(200);
    expect(type.toObject(type.decode(answer.body), { longs: Number })).toMatchObject({
      partialSuccess: { rejectedDataPoints: 1 },
    });
  });
});

describe('bearer token', () => {
  it('HTTP: 401 without or with a wrong token, 200 with it', async () => {
    const { sink, http } = await serve({ authToken: 's3cret' });
    const send = (headers: Record<string, string>) =>
      post(http.port, '/v1/logs', logsJson.bytes, { ...JSON_TYPE, ...headers });
    expect((await send({})).status).toBe(401);
    expect((await send({ Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await send({ Authorization: 'Basic czNjcmV0' })).status).toBe(401);
    expect(sink.records).toEqual([]);
    expect((await send({ Authorization: 'Bearer s3cret' })).status).toBe(200);
    expect(sink.records.length).toBeGreaterThan(0);
  });

  it('gRPC: UNAUTHENTICATED without or with a wrong token, OK with it', async () => {
    const { sink, grpc } = await serve({ authToken: 's3cret' });
    expect(await exportOverGrpc(grpc.port, 'metrics', metricsPb.bytes)).toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    expect(
      await exportOverGrpc(grpc.port, 'metrics', metricsPb.bytes, { token: 'nope' }),
    ).toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    expect(sink.points).toEqual([]);
    expect(
      await exportOverGrpc(grpc.port, 'metrics', metricsPb.bytes, { token: 's3cret' }),
    ).toBeInstanceOf(Buffer);
    expect(sink.points.length).toBeGreaterThan(0);
  });
});

describe('a sink that throws (store unwritable) makes the exporter retry', () => {
  it('HTTP 503 with Retry-After, gRPC UNAVAILABLE, and the next request goes through', async () => {
    const { sink, reports, http, grpc } = await serve();
    sink.failWith = new Error('database is locked');
    const answer = await post(http.port, '/v1/logs', logsJson.bytes, JSON_TYPE);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(JSON.parse(answer.body.toString())).toEqual({
      code: 14,
      message: 'cannot store logs: database is locked',
    });
    expect(await exportOverGrpc(grpc.port, 'metrics', metricsPb.bytes)).toMatchObject({
      code: status.UNAVAILABLE,
      details: 'cannot store metrics: database is locked',
    });
    expect(reports.map((r) => [r.signal, r.protocol, r.status])).toEqual([
      ['logs', 'http/json', 'unavailable'],
      ['metrics', 'grpc', 'unavailable'],
    ]);
    sink.failWith = undefined;
    expect((await post(http.port, '/v1/logs', logsJson.bytes, JSON_TYPE)).status).toBe(200);
  });
});

describe('stats', () => {
  it('reports every request with signal, protocol, status and counts', async () => {
    const { reports, http, grpc } = await serve();
    await post(http.port, '/v1/logs', logsJson.bytes, JSON_TYPE);
    await post(http.port, '/v1/metrics', metricsPb.bytes, PROTOBUF_TYPE);
    await exportOverGrpc(grpc.port, 'metrics', metricsPb.bytes);
    await post(http.port, '/v1/traces', '{}', { 'Content-Type': 'text/plain' });
    expect(
      reports.map(({ signal, protocol, status, accepted, rejected }) => ({
        signal,
        protocol,
        status,
        accepted,
        rejected,
      })),
    ).toEqual([
      { signal: 'logs', protocol: 'http/json', status: 'ok', accepted: 14, rejected: 0 },
      { signal: 'metrics', protocol: 'http/protobuf', status: 'ok', accepted: 10, rejected: 0 },
      { signal: 'metrics', protocol: 'grpc', status: 'ok', accepted: 10, rejected: 0 },
      { signal: 'traces', protocol: 'http', status: 'unsupported', accepted: 0, rejected: 0 },
    ]);
    expect(reports[0]?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('traces', () => {
  it('counts spans from JSON (hex ids) and rejects a span without ids', async () => {
    const { sink, http } = await serve();
    const spans = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'a',
                },
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b175',
                  name: 'b',
                },
                { name: 'no ids' },
              ],
            },
          ],
        },
      ],
    });
    const answer = await post(http.port, '/v1/traces', spans, JSON_TYPE);
    expect(JSON.parse(answer.body.toString())).toMatchObject({
      partialSuccess: { rejectedSpans: 1 },
    });
    expect(sink.spanCount).toBe(2);
  });
});

describe('binding', () => {
  it('names host:port when the port is taken', async () => {
    const { http, grpc } = await serve();
    await expect(
      startOtlpHttpServer({ host: '127.0.0.1', port: http.port, sink: new RecordingSink() }),
    ).rejects.toThrow(`OTLP/HTTP receiver cannot listen on 127.0.0.1:${http.port}`);
    await expect(
      startOtlpGrpcServer({ host: '127.0.0.1', port: grpc.port, sink: new RecordingSink() }),
    ).rejects.toThrow(`OTLP/gRPC receiver cannot listen on 127.0.0.1:${grpc.port}`);
  });
});

describe('createOtlpHttpHandler', () => {
  it('mounts on another server and leaves it the other paths', async () => {
    const sink = new RecordingSink();
    const handle = createOtlpHttpHandler({ sink });
    const server = createServer(async (req, res) => {
      if (await handle(req, res)) return;
      res.end('dashboard');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      expect((await post(port, '/', '', {}, 'GET')).body.toString()).toBe('dashboard');
      expect((await post(port, '/v1/logs', logsJson.bytes, JSON_TYPE)).status).toBe(200);
      expect(sink.records).toHaveLength(14);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

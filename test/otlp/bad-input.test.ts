import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OtlpRequestReport,
  type OtlpServer,
  startOtlpGrpcServer,
  startOtlpHttpServer,
} from '../../src/sources/otlp/index.js';
import { statusType } from '../../src/sources/otlp/otlp-schema.js';
import { fixtureBodies } from './fixture-bodies.js';
import { exportOverGrpc } from './grpc-export.js';
import { type HttpAnswer, JSON_TYPE, PROTOBUF_TYPE, post } from './http-post.js';
import { RecordingSink } from './recording-sink.js';

const LIMIT = 4 * 1024 * 1024;
const sink = new RecordingSink();
const reports: OtlpRequestReport[] = [];
const stats = { request: (report: OtlpRequestReport) => reports.push(report) };
let http: OtlpServer;
let grpc: OtlpServer;

const [metricsPb] = fixtureBodies('pb-tools').filter((b) => b.signal === 'metrics');
const [metricsJson] = fixtureBodies('json-tools').filter((b) => b.signal === 'metrics');
if (!metricsPb || !metricsJson) throw new Error('fixture bodies missing');

beforeAll(async () => {
  http = await startOtlpHttpServer({
    host: '127.0.0.1',
    port: 0,
    sink,
    stats,
    maxBodyBytes: LIMIT,
  });
  grpc = await startOtlpGrpcServer({
    host: '127.0.0.1',
    port: 0,
    sink,
    stats,
    maxMessageBytes: LIMIT,
  });
});
afterAll(async () => {
  await http.close();
  await grpc.close();
});

/** After every bad request, the server must still take a good one. */
async function expectStillServing(): Promise<void> {
  const before = sink.points.length;
  const answer = await post(http.port, '/v1/metrics', metricsJson?.bytes ?? '', JSON_TYPE);
  expect(answer.status).toBe(200);
  expect(
    await exportOverGrpc(grpc.port, 'metrics', metricsPb?.bytes ?? Buffer.alloc(0)),
  ).toBeInstanceOf(Buffer);
  expect(sink.points.length).toBeGreaterThan(before);
}

/** The message of the google.rpc.Status an error answer carries, in either encoding. */
function statusMessage(answer: HttpAnswer): string {
  const parsed: { message?: string } =
    answer.headers['content-type'] === 'application/x-protobuf'
      ? statusType.toObject(statusType.decode(answer.body))
      : JSON.parse(answer.body.toString());
  return parsed.message ?? '';
}

describe('bad input over HTTP is answered and leaves the server up', () => {
  it.each([
    ['invalid JSON', '{"resourceMetrics": [', JSON_TYPE, 400, 'body is not valid JSON'],
    [
      'JSON of the wrong shape',
      '{"resourceMetrics": 5}',
      JSON_TYPE,
      400,
      'resourceMetrics is not an array',
    ],
    ['a JSON array', '[1, 2]', JSON_TYPE, 400, 'request is not an object'],
    [
      'protobuf garbage',
      Buffer.alloc(64, 0xff),
      PROTOBUF_TYPE,
      400,
      'not a valid ExportMetricsServiceRequest',
    ],
    [
      'truncated protobuf',
      metricsPb.bytes.subarray(0, metricsPb.bytes.length / 2),
      PROTOBUF_TYPE,
      400,
      'not a valid ExportMetricsServiceRequest',
    ],
    [
      'a wrong content type',
      '{}',
      { 'Content-Type': 'text/plain' },
      415,
      'text/plain is not supported',
    ],
    ['no content type', '{}', {}, 415, '(none) is not supported'],
    [
      'an unknown content encoding',
      '{}',
      { ...JSON_TYPE, 'Content-Encoding': 'br' },
      415,
      'br is not supported',
    ],
    [
      'gzip that is not gzip',
      '{}',
      { ...JSON_TYPE, 'Content-Encoding': 'gzip' },
      400,
      'does not inflate',
    ],
  ])('%s', async (_what, body, headers, code, message) => {
    const answer = await post(http.port, '/v1/metrics', body, headers);
    expect(answer.status).toBe(code);
    expect(statusMessage(answer)).toContain(message);
    await expectStillServing();
  });

  it('answers an error in protobuf when the request was protobuf', async () => {
    const answer = await post(http.port, '/v1/logs', Buffer.from([0x0a, 0xff]), PROTOBUF_TYPE);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    // google.rpc.Status: field 1 (code) = 3, then field 2 (message).
    expect([...answer.body.subarray(0, 3)]).toEqual([0x08, 3, 0x12]);
  });

  it('refuses a body over the limit by its Content-Length (413)', async () => {
    const answer = await post(http.port, '/v1/metrics', Buffer.alloc(LIMIT + 1), JSON_TYPE);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    await expectStillServing();
  });

  it('refuses a chunked body once it grows over the limit (413)', async () => {
    const answer = await post(http.port, '/v1/metrics', Buffer.alloc(LIMIT + 1), {
      ...JSON_TYPE,
      'Transfer-Encoding': 'chunked',
    });
    expect(answer.status).toBe(413);
    await expectStillServing();
  });

  it('cuts a gzip bomb off while inflating: 413, memory bounded', async () => {
    // 64 gzip members of 16 MiB of zeros: 1 GiB inflated from about 1 MiB.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(LIMIT);
    const rssBefore = process.memoryUsage().rss;
    const answer = await post(http.port, '/v1/metrics', bomb, {
      ...JSON_TYPE,
      'Content-Encoding': 'gzip',
    });
    expect(answer.status).toBe(413);
    expect(statusMessage(answer)).toContain('inflates to over the limit');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    await expectStillServing();
  });

  it('survives a client that disconnects mid-body', async () => {
    const socket = connect(http.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"resourceMetrics":[',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect.poll(() => reports.some((r) => r.status === 'aborted')).toBe(true);
    await expectStillServing();
  });

  it('refuses other methods (405) and leaves other paths to the caller (404 standalone)', async () => {
    const get = await post(http.port, '/v1/metrics', '', JSON_TYPE, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const other = await post(http.port, '/v1/profiles', '{}', JSON_TYPE);
    expect(other.status).toBe(404);
    await expectStillServing();
  });
});

describe('bad input over gRPC is answered and leaves the server up', () => {
  it.each([
    ['protobuf garbage', Buffer.alloc(64, 0xff)],
    ['truncated protobuf', metricsPb.bytes.subarray(0, metricsPb.bytes.length / 2)],
  ])('%s: INVALID_ARGUMENT', async (_what, message) => {
    const answer = await exportOverGrpc(grpc.port, 'metrics', message);
    expect(answer).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('not a valid ExportMetricsServiceRequest protobuf'),
    });
    await expectStillServing();
  });

  it('a message over the limit: RESOURCE_EXHAUSTED, also once inflated', async () => {
    const big = Buffer.alloc(LIMIT + 1);
    expect(await exportOverGrpc(grpc.port, 'metrics', big)).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
    });
    const inflatesBig = Buffer.alloc(8 * LIMIT);
    expect(await exportOverGrpc(grpc.port, 'metrics', inflatesBig, { gzip: true })).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
    });
    await expectStillServing();
  });
});

describe('hostile shapes are refused as invalid, never as a server error', () => {
  // Built as text: JSON.stringify itself would overflow the stack on 10,000 levels.
  const nested = (depth: number) =>
    `${'{"arrayValue":{"values":['.repeat(depth)}{"intValue":"1"}${']}}'.repeat(depth)}`;
  const metricWith = (value: string) =>
    JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'm',
                  gauge: {
                    dataPoints: [
                      {
                        timeUnixNano: '1',
                        asDouble: 1,
                        attributes: [{ key: 'k', value: 'VALUE' }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    }).replace('"VALUE"', value);

  it('an attribute nested 10,000 levels deep is a rejected point', async () => {
    const answer = await post(http.port, '/v1/metrics', metricWith(nested(10_000)), JSON_TYPE);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString())).toMatchObject({
      partialSuccess: {
        rejectedDataPoints: 1,
        errorMessage: expect.stringContaining('nested over 32 levels'),
      },
    });
  });

  it('an attribute nested 30 levels deep is kept', async () => {
    const before = sink.points.length;
    const answer = await post(http.port, '/v1/metrics', metricWith(nested(30)), JSON_TYPE);
    expect(JSON.parse(answer.body.toString())).toEqual({});
    expect(sink.points.length).toBe(before + 1);
  });

  it('a "__proto__" attribute key stays plain data', async () => {
    const answer = await post(
      http.port,
      '/v1/metrics',
      metricWith('{"stringValue":"x"}').replace('"key":"k"', '"key":"__proto__"'),
      JSON_TYPE,
    );
    expect(answer.status).toBe(200);
    const point = sink.points.at(-1);
    expect(Object.getPrototypeOf(point?.attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(point?.attributes ?? {}, '__proto__')).toBe(true);
  });
});

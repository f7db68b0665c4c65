import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeLogs,
  decodeMetrics,
  type OtlpServer,
  startOtlpGrpcServer,
  startOtlpHttpServer,
} from '../../src/sources/otlp/index.js';
import { runTruth } from '../helpers/truth.js';
import { type FixtureBody, fixtureBodies, RUNS_2_1_330 } from './fixture-bodies.js';
import { exportOverGrpc } from './grpc-export.js';
import { JSON_TYPE, PROTOBUF_TYPE, post } from './http-post.js';
import { RecordingSink } from './recording-sink.js';
import { apiRequestSums, tokenUsageSums } from './token-sums.js';

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

type Transport = FixtureBody['transport'];

/** Sends one fixture body over `transport`; resolves the response body. */
async function send(body: FixtureBody, transport: Transport): Promise<Buffer> {
  if (transport === 'grpc') {
    const answer = await exportOverGrpc(grpc.port, body.signal, body.bytes);
    if (!(answer instanceof Buffer)) throw answer;
    return answer;
  }
  const type = transport === 'http/json' ? JSON_TYPE : PROTOBUF_TYPE;
  const answer = await post(http.port, `/v1/${body.signal}`, body.bytes, type);
  expect(answer.status, `${body.file}: ${answer.body}`).toBe(200);
  return answer.body;
}

/** What the pure decoder makes of the fixture's JSON form: the expected sink contents. */
function expected(bodies: FixtureBody[]) {
  return {
    points: bodies
      .filter((b) => b.signal === 'metrics')
      .flatMap((b) => decodeMetrics(b.json).points),
    records: bodies.filter((b) => b.signal === 'logs').flatMap((b) => decodeLogs(b.json).records),
  };
}

describe('each fixture body over its own transport reaches the sink decoded', () => {
  for (const run of RUNS_2_1_330) {
    it(run, async () => {
      const bodies = fixtureBodies(run);
      for (const body of bodies) {
        const response = await send(body, body.transport);
        // Everything accepted: the empty Export*ServiceResponse.
        expect(body.transport === 'http/json' ? response.toString() : response.length).toEqual(
          body.transport === 'http/json' ? '{}' : 0,
        );
      }
      expect({ points: sink.points, records: sink.records }).toEqual(expected(bodies));
      expect(new Set(sink.from.map((f) => f.protocol))).toEqual(new Set([bodies[0]?.transport]));

      const [truth] = runTruth(run).transcripts;
      expect(apiRequestSums(sink.records)).toEqual({
        input: truth?.input,
        output: truth?.output,
        cacheRead: truth?.cacheRead,
        cacheCreation: truth?.cacheCreation,
      });
      if (!run.includes('cumulative')) {
        expect(tokenUsageSums(sink.points)).toEqual(apiRequestSums(sink.records));
      }
    });
  }

  for (const run of ['pb-tools', 'grpc-tools']) {
    it(`${run}: the same .pb bodies over HTTP protobuf and as gRPC messages decode alike`, async () => {
      const bodies = fixtureBodies(run);
      for (const body of bodies) await send(body, 'http/protobuf');
      const overHttp = { points: sink.points, records: sink.records };
      sink.points = [];
      sink.records = [];
      for (const body of bodies) await send(body, 'grpc');
      expect({ points: sink.points, records: sink.records }).toEqual(overHttp);
      expect(overHttp).toEqual(expected(bodies));
    });
  }

  it('accepts gzip: an HTTP body with Content-Encoding gzip, a gRPC message with grpc-encoding gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    const [logs] = fixtureBodies('pb-tools').filter((b) => b.signal === 'logs');
    if (!logs) throw new Error('pb-tools has no logs body');
    const answer = await post(http.port, '/v1/logs', gzipSync(logs.bytes), {
      ...PROTOBUF_TYPE,
      'Content-Encoding': 'gzip',
    });
    expect(answer.status).toBe(200);
    const overGrpc = await exportOverGrpc(grpc.port, 'logs', logs.bytes, { gzip: true });
    expect(overGrpc).toBeInstanceOf(Buffer);
    const want = expected([logs]).records;
    expect(sink.records).toEqual([...want, ...want]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PriceList } from '../../src/domain/pricing.js';
import { decodeLogs } from '../../src/sources/otlp/decode-logs.js';
import { decodeMetrics } from '../../src/sources/otlp/decode-metrics.js';
import type { Db } from '../../src/store/open-store.js';
import { TelemetryWriter } from '../../src/store/telemetry-writer.js';

export interface FixtureBody {
  file: string;
  signal: 'metrics' | 'logs';
  /** The OTLP/JSON form: the JSON body itself, or the `.pb.json` decoding of a protobuf body. */
  json: unknown;
}

/** A run's OTLP bodies, in arrival order, in their OTLP/JSON form. */
export function otlpBodiesOf(runDir: string): FixtureBody[] {
  const dir = join(runDir, 'otlp');
  const index = readFileSync(join(dir, 'index.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { file: string; path: string });
  const files = new Set(readdirSync(dir));
  return index.map(({ file, path }) => {
    const jsonFile = file.endsWith('.pb') && files.has(`${file}.json`) ? `${file}.json` : file;
    return {
      file,
      // OTLP/HTTP `/v1/logs`, or gRPC `/opentelemetry.proto.collector.logs.v1.LogsService/Export`.
      signal: path.endsWith('/v1/logs') || path.includes('LogsService') ? 'logs' : 'metrics',
      json: JSON.parse(readFileSync(join(dir, jsonFile), 'utf8')),
    };
  });
}

/** A run's OTLP bodies, through the telemetry writer as `ccmon serve` stores them. */
export function sendOtlp(db: Db, runDir: string, prices = new PriceList()): void {
  const writer = new TelemetryWriter(db, prices);
  for (const body of otlpBodiesOf(runDir)) {
    if (body.signal === 'logs') writer.writeLogs(decodeLogs(body.json).records);
    else writer.writeMetrics(decodeMetrics(body.json).points);
  }
}

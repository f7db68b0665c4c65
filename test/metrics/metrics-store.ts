import { PriceList } from '../../src/domain/pricing.js';
import { decodeLogs } from '../../src/sources/otlp/decode-logs.js';
import { decodeMetrics } from '../../src/sources/otlp/decode-metrics.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import type { Db } from '../../src/store/open-store.js';
import { TelemetryWriter } from '../../src/store/telemetry-writer.js';
import { otlpBodiesOf } from '../helpers/otlp-bodies.js';
import { storeWith } from '../helpers/store.js';

/** The OTLP bodies of a fixture run, through the telemetry writer as `ccmon serve` stores them. */
export function sendOtlp(db: Db, runDir: string): void {
  const writer = new TelemetryWriter(db, new PriceList());
  for (const body of otlpBodiesOf(runDir)) {
    // By file name: otlpBodiesOf tells logs by the OTLP/HTTP path only, not the gRPC one.
    if (body.file.includes('-logs.')) writer.writeLogs(decodeLogs(body.json).records);
    else writer.writeMetrics(decodeMetrics(body.json).points);
  }
}

/** A store holding fixture runs: their transcripts, and their telemetry unless told not to. */
export function metricsStore(runDirs: readonly string[], options: { otlp?: boolean } = {}): Db {
  const { db } = storeWith([]);
  ingestTranscripts(db, new PriceList(), projectsDirs([...runDirs]));
  if (options.otlp !== false) for (const dir of runDirs) sendOtlp(db, dir);
  return db;
}

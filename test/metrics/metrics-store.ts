import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import type { Db } from '../../src/store/open-store.js';
import { sendOtlp } from '../helpers/otlp-bodies.js';

export { sendOtlp };

import { storeWith } from '../helpers/store.js';

/** A store holding fixture runs: their transcripts, and their telemetry unless told not to. */
export function metricsStore(runDirs: readonly string[], options: { otlp?: boolean } = {}): Db {
  const { db } = storeWith([]);
  ingestTranscripts(db, new PriceList(), projectsDirs([...runDirs]));
  if (options.otlp !== false) for (const dir of runDirs) sendOtlp(db, dir);
  return db;
}

import { createServer, type Server } from 'node:http';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import { type Db, openStore } from '../../src/store/open-store.js';
import { createWebHandler, type WebOptions } from '../../src/views/web/create-web-handler.js';
import { sendOtlp } from '../helpers/otlp-bodies.js';
import { RUNS } from '../helpers/truth.js';

/** Every recorded Claude Code run (a config dir each). */
export const RUN_DIRS = RUNS.map((r) => r.dir);

/** A store with the runs' transcripts and, with `telemetry`, what they sent over OTLP. */
export function fixtureStore(
  runs: readonly string[] = RUN_DIRS,
  options: { path?: string; telemetry?: boolean; prices?: PriceList } = {},
): Db {
  const db = openStore(options.path ?? ':memory:');
  const prices = options.prices ?? new PriceList();
  ingestTranscripts(db, prices, projectsDirs([...runs]));
  if (options.telemetry) {
    for (const run of runs) sendOtlp(db, run, prices);
  }
  return db;
}

/** The fixtures' responses fall between 01:27 and 02:13 UTC on this day. */
export const FIXTURE_DAY_NOON = Date.parse('2026-11-24T12:00:00Z');

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serveDashboard(options: Partial<WebOptions> & { db: Db }): Promise<Served> {
  const handler = createWebHandler({
    version: '0.0.0-test',
    startedAt: FIXTURE_DAY_NOON - 60_000,
    timezone: 'UTC',
    view: 'both',
    mode: 'auto',
    now: () => FIXTURE_DAY_NOON,
    ...options,
  });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

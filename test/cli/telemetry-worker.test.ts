import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRICES } from '../../src/domain/pricing-table.js';
import { decodeLogs } from '../../src/sources/otlp/decode-logs.js';
import { decodeMetrics } from '../../src/sources/otlp/decode-metrics.js';
import { openStore } from '../../src/store/open-store.js';
import { otlpBodiesOf, sendOtlp } from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/store.js';
import { NEW_RUNS } from '../helpers/truth.js';

// The thread runs dist/cli/telemetry-worker.js (Node cannot start a worker from TypeScript source).
const { TelemetryStoreWorker } = (await import(
  pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'telemetry-sink.js')).href
)) as typeof import('../../src/cli/telemetry-sink.js');

const RUN = `${NEW_RUNS}json-cumulative-slow`;

function counts(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      events: n('SELECT count(*) AS n FROM events'),
      points: n('SELECT count(*) AS n FROM metric_points'),
      eventTotals: n('SELECT sum(count) AS n FROM event_totals'),
      otelTotals: n('SELECT count(*) AS n FROM otel_totals'),
    };
  } finally {
    db.close();
  }
}

describe('the telemetry writer thread of ccmon serve', () => {
  it('stores a run sent at once as writing it request by request does, totals included', async () => {
    const direct = join(tempDir(), 'direct.db');
    const db = openStore(direct);
    sendOtlp(db, RUN);
    db.close();

    const path = join(tempDir(), 'ccmon.db');
    openStore(path).close();
    const lines: string[] = [];
    const worker = new TelemetryStoreWorker(
      { dbPath: path, prices: BUILT_IN_PRICES, storeContent: false },
      (line) => lines.push(line),
    );
    const bodies = otlpBodiesOf(RUN);
    const stored = await Promise.all(
      bodies.map((body) =>
        body.signal === 'logs'
          ? worker.write({ signal: 'logs', items: decodeLogs(body.json).records })
          : worker.write({ signal: 'metrics', items: decodeMetrics(body.json).points }),
      ),
    );
    const storedEvents = stored.filter((_, i) => bodies[i]?.signal === 'logs');
    await worker.close();
    const expected = counts(direct);
    expect(expected.events).toBeGreaterThan(0);
    expect(counts(path)).toEqual(expected);
    expect(storedEvents.reduce((a, b) => a + b, 0)).toBe(expected.events);
    expect(lines).toEqual([]);
    await expect(worker.write({ signal: 'logs', items: [] })).rejects.toThrow('closing');
  });

  it('a store it cannot open fails the writes with the reason, and is not retried at once', async () => {
    const path = join(tempDir(), 'ccmon.db');
    writeFileSync(path, 'not a database\n'.repeat(100));
    const lines: string[] = [];
    const worker = new TelemetryStoreWorker(
      { dbPath: path, prices: BUILT_IN_PRICES, storeContent: false },
      (line) => lines.push(line),
    );
    const records = decodeLogs(otlpBodiesOf(RUN).find((b) => b.signal === 'logs')?.json).records;
    await expect(worker.write({ signal: 'logs', items: records })).rejects.toThrow(path);
    await expect(worker.write({ signal: 'logs', items: records })).rejects.toThrow(path);
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/cannot open the store/);
    await worker.close();
  });
});

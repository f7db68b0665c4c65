import { Counter, Gauge, type Metric } from 'prom-client';
import { lineCounts, storeSizeBytes } from '../../store/metric-queries.js';
import type { Db } from '../../store/open-store.js';
import type { Scrape } from './scrape.js';

export type OtlpRequestCounter = Counter<'signal' | 'protocol' | 'status'>;

/** ccmon's own ccmon_* metrics. The scrape duration is collected last, so register it last. */
export function healthMetrics(
  db: Db,
  scrape: () => Scrape,
): { otlpRequests: OtlpRequestCounter; metrics: Metric[]; scrapeDuration: Metric } {
  const otlpRequests: OtlpRequestCounter = new Counter({
    name: 'ccmon_otlp_requests_total',
    help: 'OTLP export requests ccmon answered, by signal, protocol and status.',
    labelNames: ['signal', 'protocol', 'status'],
    registers: [],
  });
  const metrics: Metric[] = [
    otlpRequests,
    new Counter({
      name: 'ccmon_lines_ingested_total',
      help: 'Transcript lines ccmon read, by result: read (every line), malformed, unknown:<type> (a type it does not know).',
      labelNames: ['result'],
      registers: [],
      collect() {
        this.reset();
        for (const { kind, count } of lineCounts(db)) this.inc({ result: kind }, count);
      },
    }),
    new Gauge({
      name: 'ccmon_store_size_bytes',
      help: "Size of ccmon's SQLite store in bytes (without its write-ahead log).",
      registers: [],
      collect() {
        this.set(storeSizeBytes(db));
      },
    }),
  ];
  const scrapeDuration = new Gauge({
    name: 'ccmon_scrape_duration_seconds',
    help: 'Time this scrape took to read the store, in seconds.',
    registers: [],
    collect() {
      this.set((performance.now() - scrape().startedMs) / 1000);
    },
  });
  return { otlpRequests, metrics, scrapeDuration };
}

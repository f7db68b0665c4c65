import { parentPort, workerData } from 'node:worker_threads';
import { PriceList } from '../domain/pricing.js';
import type { ModelPrice } from '../domain/pricing-table.js';
import type { LogRecord } from '../sources/otlp/decode-logs.js';
import type { MetricPoint } from '../sources/otlp/decode-metrics.js';
import { GroupCommit } from '../store/group-commit.js';
import { openStore } from '../store/open-store.js';
import { TelemetryWriter } from '../store/telemetry-writer.js';

/**
 * The thread that writes OpenTelemetry data into the store for `ccmon serve`,
 * with its own SQLite connection: the main thread receives and decodes export
 * requests while this one writes, so that both cores work under load.
 */

export interface TelemetryWorkerData {
  dbPath: string;
  prices: Readonly<Record<string, ModelPrice>>;
  storeContent: boolean;
}

export type TelemetryJob =
  | { id: number; signal: 'logs'; items: LogRecord[] }
  | { id: number; signal: 'metrics'; items: MetricPoint[] };

/** `stored`: events or metric points that were new to the store. */
export type TelemetryReply =
  | { id: number; ok: true; stored: number }
  | { id: number; ok: false; message: string };

/** Sent by the worker once its store is open, or with the reason it could not open it. */
export type TelemetryWorkerStatus = { ready: true } | { ready: false; message: string };

function serveJobs(): void {
  const port = parentPort;
  if (!port) throw new Error('telemetry-worker runs as a worker thread');
  const data = workerData as TelemetryWorkerData;
  let db: ReturnType<typeof openStore>;
  try {
    db = openStore(data.dbPath);
  } catch (error) {
    port.postMessage({ ready: false, message: (error as Error).message });
    return;
  }
  // The totals' catch-up groups a batch's rows in a temporary B-tree: in
  // memory, not in a temporary file created and deleted per batch.
  db.pragma('temp_store = MEMORY');
  const writer = new TelemetryWriter(db, new PriceList(data.prices), {
    storeContent: data.storeContent,
    totalsPerTransaction: true,
  });
  const commits = new GroupCommit(db, writer.catchUpTotals);
  port.on('message', (job: TelemetryJob | 'close') => {
    if (job === 'close') {
      // What was queued before is written first: close() flushes the last batch.
      commits.close();
      db.close();
      port.close();
      return;
    }
    commits
      .run(() => {
        const result =
          job.signal === 'logs' ? writer.writeLogs(job.items) : writer.writeMetrics(job.items);
        return job.signal === 'logs' ? result.events : result.points;
      })
      .then(
        (stored) => port.postMessage({ id: job.id, ok: true, stored } satisfies TelemetryReply),
        (error: unknown) =>
          port.postMessage({
            id: job.id,
            ok: false,
            message: error instanceof Error ? error.message : String(error),
          } satisfies TelemetryReply),
      );
  });
  port.postMessage({ ready: true } satisfies TelemetryWorkerStatus);
}

serveJobs();

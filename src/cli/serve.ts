import { createServer, type Server } from 'node:http';
import type { PriceList } from '../domain/pricing.js';
import type { CostMode, View } from '../domain/usage.js';
import { startOtlpGrpcServer } from '../sources/otlp/grpc-receiver.js';
import { createOtlpHttpHandler, startOtlpHttpServer } from '../sources/otlp/http-receiver.js';
import { bindError, type OtlpServer } from '../sources/otlp/otlp-server.js';
import type { OtlpRequestReport, OtlpStats } from '../sources/otlp/sink.js';
import type { ProjectsDir } from '../sources/transcripts/config-dirs.js';
import { ingestTranscripts, type ScanStats } from '../sources/transcripts/ingest.js';
import {
  type TranscriptWatcher,
  watchTranscripts,
} from '../sources/transcripts/watch-transcripts.js';
import { type Db, useSteadyCache } from '../store/open-store.js';
import { createMetricsEndpoint } from '../views/metrics/metrics-endpoint.js';
import { createWebHandler } from '../views/web/create-web-handler.js';
import { figureSettings } from '../views/web/dashboard-jobs.js';
import { notifyDataChanged } from '../views/web/data-changes.js';
import { FiguresPool } from '../views/web/figures-pool.js';
import { storeSink, TelemetryStoreWorker } from './telemetry-sink.js';

export interface ServeConfig {
  db: Db;
  dbPath: string;
  prices: PriceList;
  dirs: ProjectsDir[];
  timezone: string;
  view: View;
  mode: CostMode;
  version: string;
  host: string;
  port: number;
  /** OTLP receivers; null turns one off. */
  otlpGrpcPort: number | null;
  otlpHttpPort: number | null;
  authToken?: string;
  budgetUsd?: number;
  storeContent: boolean;
  /** Seconds between full rescans that catch what a watcher missed. */
  rescanSeconds: number;
  labels: { perSession: boolean; perUser: boolean };
  log: (line: string) => void;
}

export interface RunningServe {
  port: number;
  otlpGrpcPort: number | null;
  otlpHttpPort: number | null;
  close(): Promise<void>;
}

const REJECTED: ReadonlySet<OtlpRequestReport['status']> = new Set([
  'invalid',
  'unauthenticated',
  'too_large',
  'unsupported',
  'unavailable',
]);

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(bindError('ccmon', host, port, error)));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/**
 * `ccmon serve`: keeps the store current from both trails and serves the
 * dashboard, the JSON API, /metrics, /health and the OTLP receivers.
 */
export async function startServe(config: ServeConfig): Promise<RunningServe> {
  const { db, log } = config;
  const startedAt = Date.now();
  let rejectedOtlp = 0;

  const scan = (onlyFiles?: readonly string[]): ScanStats | undefined => {
    try {
      const stats = ingestTranscripts(
        db,
        config.prices,
        config.dirs,
        onlyFiles ? { onlyFiles } : {},
      );
      if (stats.responseLines > 0 || stats.lines > 0) notifyDataChanged();
      for (const e of stats.errors) log(`malformed line ${e}`);
      return stats;
    } catch (error) {
      // Never let one bad scan stop the monitor; the next rescan tries again.
      log(`error: reading transcripts failed: ${(error as Error).message}`);
      return undefined;
    }
  };

  const metrics = createMetricsEndpoint({
    db,
    budgetUsd: config.budgetUsd,
    timezone: config.timezone,
    view: config.view,
    mode: config.mode,
    labels: config.labels,
  });
  const stats: OtlpStats = {
    request(report) {
      metrics.otlpRequests.inc({
        signal: report.signal,
        protocol: report.protocol,
        status: report.status,
      });
      if (REJECTED.has(report.status)) {
        rejectedOtlp++;
        log(
          `OTLP ${report.signal} over ${report.protocol} from ${report.remote ?? '?'}: ${report.status}: ${report.message}`,
        );
      }
    },
  };
  const telemetryWriter = new TelemetryStoreWorker(
    { dbPath: config.dbPath, prices: config.prices.prices, storeContent: config.storeContent },
    log,
  );
  const sink = storeSink(telemetryWriter, notifyDataChanged);
  const otlpOptions = { sink, stats, ...(config.authToken ? { authToken: config.authToken } : {}) };
  const otlpOnMainPort = createOtlpHttpHandler(otlpOptions);

  const figuresPool = new FiguresPool(
    { dbPath: config.dbPath, settings: figureSettings(config) },
    log,
  );
  const web = createWebHandler({
    db,
    figuresPool,
    version: config.version,
    startedAt,
    timezone: config.timezone,
    view: config.view,
    mode: config.mode,
    ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
    ...(config.authToken ? { authToken: config.authToken } : {}),
    health: () => ({ rejectedOtlpRequests: rejectedOtlp }),
    extraRoutes: [
      {
        path: '/metrics',
        methods: ['GET'],
        handle: async (req, res) => {
          const accept = req.headers.accept ?? '';
          const body = await metrics.render(accept);
          res.writeHead(200, { 'content-type': metrics.contentTypeFor(accept) });
          res.end(body);
        },
      },
      {
        // OTLP/HTTP on the main port too, for setups that can reach only one port.
        path: '/v1/*',
        public: true,
        handle: async (req, res) => {
          await otlpOnMainPort(req, res);
        },
      },
    ],
    onError: (error, req) =>
      log(`error: ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`),
  });

  const http = createServer((req, res) => void web(req, res));
  const opened: { close(): Promise<void> }[] = [];
  try {
    const port = await listen(http, config.host, config.port);
    opened.push({
      close: () =>
        new Promise((done) => {
          web.close();
          http.close(() => done());
          http.closeAllConnections();
        }),
    });
    let grpc: OtlpServer | undefined;
    let otlpHttp: OtlpServer | undefined;
    if (config.otlpGrpcPort !== null) {
      grpc = await startOtlpGrpcServer({
        host: config.host,
        port: config.otlpGrpcPort,
        ...otlpOptions,
      });
      opened.push(grpc);
    }
    if (config.otlpHttpPort !== null) {
      otlpHttp = await startOtlpHttpServer({
        host: config.host,
        port: config.otlpHttpPort,
        ...otlpOptions,
      });
      opened.push(otlpHttp);
    }

    const initial = scan();
    if (initial) {
      log(
        `read ${initial.files} transcript files (${(initial.bytes / 1e6).toFixed(1)} MB, ${initial.responses} new responses) in ${(initial.durationMs / 1000).toFixed(1)} s`,
      );
      for (const p of initial.problems) log(`warning: ${p.message}`);
    }
    useSteadyCache(db);
    const watcher: TranscriptWatcher = watchTranscripts(config.dirs, (files) => scan(files));
    await watcher.ready;
    // What was written while the watcher started; unchanged files are skipped by size and time.
    scan();
    const rescan = setInterval(() => {
      watcher.refresh();
      scan();
    }, Math.max(1, config.rescanSeconds) * 1000);
    rescan.unref();
    return {
      port,
      otlpGrpcPort: grpc?.port ?? null,
      otlpHttpPort: otlpHttp?.port ?? null,
      async close() {
        clearInterval(rescan);
        await watcher.close();
        await Promise.all(opened.map((s) => s.close()));
        await figuresPool.close();
        // What the receivers queued before they closed is stored before the store closes.
        await telemetryWriter.close();
      },
    };
  } catch (error) {
    await Promise.all(opened.map((s) => s.close()));
    await figuresPool.close();
    await telemetryWriter.close();
    throw error;
  }
}

import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/open-store.js';
import {
  type DashboardJob,
  type FigureSettings,
  runTimedDashboardJob,
  type TimedPart,
} from './dashboard-jobs.js';
import { BadRequest } from './query-params.js';

/**
 * A thread that reads dashboard figures from the store for `ccmon serve`, on
 * its own read-only connection: the figures of a long range take hundreds of
 * milliseconds of SQLite, which would otherwise stall the main thread (and
 * with it the OTLP receivers and /metrics) and use one core of several.
 */

export interface FiguresWorkerData {
  dbPath: string;
  settings: FigureSettings;
}

/** One job; a reader is sent the next only once it has answered this one. */
export interface FiguresTask {
  search: string;
  at: number;
  job: DashboardJob;
}

export type FiguresReply =
  /** `ms`: how long the job took on this thread (wall time). */
  ({ ok: true } & TimedPart) | { ok: false; message: string; badRequest: boolean };

function serveTasks(): void {
  const port = parentPort;
  if (!port) throw new Error('figures-worker runs as a worker thread');
  const data = workerData as FiguresWorkerData;
  const db = openStore(data.dbPath, { readonly: true });
  port.on('message', (task: FiguresTask | 'close') => {
    if (task === 'close') {
      db.close();
      port.close();
      return;
    }
    let reply: FiguresReply;
    try {
      reply = {
        ok: true,
        ...runTimedDashboardJob(db, data.settings, task.search, task.at, task.job),
      };
    } catch (error) {
      reply = {
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        badRequest: error instanceof BadRequest,
      };
    }
    port.postMessage(reply);
  });
}

serveTasks();

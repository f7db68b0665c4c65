import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  assembledDashboard,
  DASHBOARD_JOBS,
  type DashboardJob,
  type TimedDashboard,
  type TimedPart,
} from './dashboard-jobs.js';
import type { FiguresReply, FiguresTask, FiguresWorkerData } from './figures-worker.js';
import { BadRequest } from './query-params.js';

/** Built next to this module (dist/views/web/). */
const WORKER_URL = new URL('./figures-worker.js', import.meta.url);

interface Task {
  search: string;
  at: number;
  job: DashboardJob;
  resolve: (part: TimedPart) => void;
  reject: (error: Error) => void;
}

/** A reader that dies sooner than this after its start is not started again. */
const MIN_LIFETIME_MS = 1000;

interface Reader {
  worker: Worker;
  startedAt: number;
  /** The task it is working on; a reader takes one at a time. */
  task: Task | undefined;
}

/**
 * Reader threads that compute the dashboard's figures in parallel, each on its
 * own read-only connection (WAL lets readers work beside the writer). Jobs
 * wait in one queue, heaviest first per request, and each free reader takes
 * the next: over a year of history the answer comes in about half the time of
 * one thread on two cores, and the main thread stays free meanwhile.
 *
 * A reader that dies fails its task (the request answers 500) and is
 * replaced, unless it died right after its start (a store it cannot open):
 * with no reader left the pool is not `usable` and the figures are computed
 * on the main thread.
 */
export class FiguresPool {
  private readonly readers: Reader[] = [];
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(
    private readonly data: FiguresWorkerData,
    private readonly log: (line: string) => void,
    options: { threads?: number; workerUrl?: URL } = {},
  ) {
    const threads = options.threads ?? Math.min(2, availableParallelism());
    for (let i = 0; i < threads; i++)
      this.readers.push(this.start(options.workerUrl ?? WORKER_URL));
  }

  get usable(): boolean {
    return !this.closed && this.readers.length > 0;
  }

  /** The dashboard's answer for the query `search` (already checked) at time `at`. */
  async dashboard(search: string, at: number): Promise<TimedDashboard> {
    return assembledDashboard(
      await Promise.all(DASHBOARD_JOBS.map((job) => this.run(search, at, job))),
    );
  }

  /** Stops the readers; tasks still queued or running are failed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the server is closing'));
    await Promise.all(
      this.readers.map(
        (reader) =>
          new Promise<void>((done) => {
            reader.worker.once('exit', () => done());
            reader.worker.postMessage('close');
          }),
      ),
    );
  }

  private run(search: string, at: number, job: DashboardJob): Promise<TimedPart> {
    if (!this.usable) return Promise.reject(new Error('no figures reader is running'));
    return new Promise((resolve, reject) => {
      this.queue.push({ search, at, job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const reader of this.readers) {
      if (reader.task) continue;
      const task = this.queue.shift();
      if (!task) return;
      reader.task = task;
      const message: FiguresTask = {
        search: task.search,
        at: task.at,
        job: task.job,
      };
      reader.worker.postMessage(message);
    }
  }

  private start(url: URL): Reader {
    const reader: Reader = {
      worker: new Worker(url, { workerData: this.data }),
      startedAt: Date.now(),
      task: undefined,
    };
    reader.worker.on('message', (reply: FiguresReply) => {
      const task = reader.task;
      reader.task = undefined;
      if (reply.ok) task?.resolve({ figures: reply.figures, ms: reply.ms });
      else
        task?.reject(reply.badRequest ? new BadRequest(reply.message) : new Error(reply.message));
      this.dispatch();
    });
    reader.worker.on('error', (error) => this.replace(reader, url, error.message));
    reader.worker.on('exit', () => {
      if (!this.closed) this.replace(reader, url, 'the figures reader thread stopped');
    });
    return reader;
  }

  private replace(reader: Reader, url: URL, reason: string): void {
    const at = this.readers.indexOf(reader);
    if (at < 0) return;
    this.log(`error: dashboard figures: ${reason}`);
    void reader.worker.terminate();
    reader.task?.reject(new Error(reason));
    if (this.closed || Date.now() - reader.startedAt < MIN_LIFETIME_MS) {
      this.readers.splice(at, 1);
      if (this.readers.length === 0) {
        for (const task of this.queue.splice(0)) task.reject(new Error(reason));
      }
      return;
    }
    this.readers[at] = this.start(url);
    this.dispatch();
  }
}

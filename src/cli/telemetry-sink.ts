import { Worker } from 'node:worker_threads';
import type { OtlpSink } from '../sources/otlp/sink.js';
import type {
  TelemetryJob,
  TelemetryReply,
  TelemetryWorkerData,
  TelemetryWorkerStatus,
} from './telemetry-worker.js';

/** Built next to this module (dist/cli/); the tests start serve from dist too. */
const WORKER_URL = new URL('./telemetry-worker.js', import.meta.url);

/** A worker that died is started again on the next write, but not more often than this. */
const RESTART_AFTER_MS = 1000;

type Job = TelemetryJob extends infer J ? (J extends TelemetryJob ? Omit<J, 'id'> : never) : never;

interface Pending {
  resolve: (stored: number) => void;
  reject: (error: Error) => void;
}

/**
 * The main thread's side of the telemetry writer thread (telemetry-worker.ts):
 * sends decoded export requests and resolves each once its batch is committed.
 * If the thread dies, what it had not answered is rejected (the receivers
 * answer 503 and exporters retry) and a new thread takes the next writes.
 */
export class TelemetryStoreWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastStart = 0;
  private lastFailure = '';
  private closing = false;

  constructor(
    private readonly data: TelemetryWorkerData,
    private readonly log: (line: string) => void,
  ) {
    this.worker = this.start();
  }

  write(job: Job): Promise<number> {
    if (this.closing) return Promise.reject(new Error('the store is closing'));
    const worker = this.worker ?? this.restart();
    if (!worker) return Promise.reject(new Error(this.lastFailure));
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id });
    });
  }

  /** Writes what was sent before, then closes the thread's store connection. */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    worker.postMessage('close');
    await exited;
  }

  private restart(): Worker | undefined {
    if (Date.now() - this.lastStart < RESTART_AFTER_MS) return undefined;
    this.worker = this.start();
    return this.worker;
  }

  private start(): Worker {
    this.lastStart = Date.now();
    const worker = new Worker(WORKER_URL, { workerData: this.data });
    worker.on('message', (message: TelemetryReply | TelemetryWorkerStatus) => {
      if ('ready' in message) {
        if (!message.ready) this.fail(worker, `cannot open the store: ${message.message}`);
        return;
      }
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) pending?.resolve(message.stored);
      else pending?.reject(new Error(message.message));
    });
    worker.on('error', (error) => this.fail(worker, error.message));
    worker.on('exit', () => {
      if (!this.closing) this.fail(worker, 'the telemetry writer thread stopped');
    });
    return worker;
  }

  private fail(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.log(`error: OpenTelemetry data cannot be stored: ${reason}`);
    this.lastFailure = reason;
    this.worker = undefined;
    void worker.terminate();
    for (const pending of this.pending.values()) pending.reject(new Error(reason));
    this.pending.clear();
  }
}

/**
 * The OTLP receivers' sink in `ccmon serve`: decoded data goes to the writer
 * thread, then views are told. Each request is answered only once its batch
 * committed.
 */
export function storeSink(writer: TelemetryStoreWorker, onData: () => void): OtlpSink {
  return {
    async metrics(items) {
      if ((await writer.write({ signal: 'metrics', items })) > 0) onData();
    },
    async logs(items) {
      if ((await writer.write({ signal: 'logs', items })) > 0) onData();
    },
    spans() {
      // Traces are accepted and counted by the receiver, not stored.
    },
  };
}

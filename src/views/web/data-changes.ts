import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

const changes = new EventEmitter();
changes.setMaxListeners(0);

/**
 * Tells open dashboards that the store has new data. Call it after each
 * ingestion that wrote something (a transcript scan, an OTLP batch); calls
 * in quick succession reach the browser as one refresh.
 */
export function notifyDataChanged(): void {
  changes.emit('change');
}

/** Subscribes to `notifyDataChanged`; returns the unsubscribe function. */
export function onDataChanged(listener: () => void): () => void {
  changes.on('change', listener);
  return () => changes.off('change', listener);
}

const COALESCE_MS = 250;
const HEARTBEAT_MS = 25_000;

/** `GET /api/events`: server-sent events, one `change` event per burst of new data. */
export class EventStreams {
  private readonly open = new Set<() => void>();

  handle(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\nevent: ready\ndata: {"at":${Date.now()}}\n\n`);
    let pending: NodeJS.Timeout | undefined;
    const unsubscribe = onDataChanged(() => {
      pending ??= setTimeout(() => {
        pending = undefined;
        res.write(`event: change\ndata: {"at":${Date.now()}}\n\n`);
      }, COALESCE_MS);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(pending);
      this.open.delete(close);
      res.end();
    };
    this.open.add(close);
    req.on('close', close);
  }

  /** Ends every open stream (on server shutdown, so `server.close()` can finish). */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}

import {
  lastDataTimes,
  lineCount,
  recentIngestErrors,
  storeBytes,
  storeWritable,
} from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import type { HealthResponse } from './api-types.js';

/** What only `ccmon serve` knows, supplied by it on each /health request. */
export interface HealthFacts {
  /** OTLP export requests refused since start (invalid, unauthenticated, too large, store unavailable). */
  rejectedOtlpRequests: number;
}

/** /health: 503 when the store cannot take writes, so a supervisor can restart or alert. */
export function healthFigures(
  db: Db,
  info: { version: string; startedAt: number; now: number },
  facts: HealthFacts,
): { httpStatus: number; body: HealthResponse } {
  const probe = storeWritable(db);
  const body: HealthResponse = {
    status: probe.writable ? 'ok' : 'unavailable',
    version: info.version,
    uptimeSeconds: Math.max(0, Math.round((info.now - info.startedAt) / 1000)),
    store: {
      writable: probe.writable,
      bytes: storeBytes(db),
      ...(probe.reason ? { reason: probe.reason } : {}),
    },
    lastData: lastDataTimes(db),
    malformedLines: lineCount(db, 'malformed'),
    rejectedOtlpRequests: facts.rejectedOtlpRequests,
    recentErrors: recentIngestErrors(db, 5),
  };
  return { httpStatus: probe.writable ? 200 : 503, body };
}

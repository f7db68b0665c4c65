import type { Db } from './open-store.js';
import type { ResponseRow } from './response-row.js';

/** How far apart a transcript line and its api_request event may be stamped. */
export const JOIN_WINDOW_MS = 120_000;

export interface JoinKey {
  requestId: string | null;
  sessionId: string | null;
  model: string;
  timeMs: number;
  tokens: { input: number; cacheRead: number; cacheCreation: number };
}

type Row = ResponseRow & { id: number };

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  // An event-only row with a request id joins by that id alone, never by guess.
  const fuzzy = (side: 'e' | 't', onlyFlag: string, extra: string) =>
    db.prepare<[number, number, string, string, number, number, number, number], Row>(
      // The time window is searched through the ts index: a few rows at most.
      `SELECT * FROM responses INDEXED BY responses_ts
       WHERE ts BETWEEN ? AND ? AND ${onlyFlag} = 0 ${extra} AND session_id = ? AND model = ?
         AND ${side}_input = ? AND ${side}_cache_read = ? AND ${side}_cache_creation = ?
       ORDER BY abs(ts - ?) LIMIT 1`,
    );
  return {
    eventOnlyByRequest: db.prepare<[string], Row>(
      'SELECT * FROM responses WHERE request_id = ? AND has_transcript = 0 LIMIT 1',
    ),
    transcriptOnlyByRequest: db.prepare<[string], Row>(
      'SELECT * FROM responses WHERE request_id = ? AND has_event = 0 LIMIT 1',
    ),
    eventOnlyFuzzy: fuzzy('e', 'has_transcript', 'AND request_id IS NULL'),
    transcriptOnlyFuzzy: fuzzy('t', 'has_event', ''),
  };
}

function stmts(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = prepare(db);
    statements.set(db, s);
  }
  return s;
}

/**
 * The event-only row a transcript response joins: by request id where both
 * have it, else (telemetry before 2.1.3xx has no request_id) by session,
 * model, input and cache counts, and the nearest time.
 */
export function findEventOnlyMatch(db: Db, key: JoinKey): Row | undefined {
  const s = stmts(db);
  if (key.requestId !== null) {
    const byRequest = s.eventOnlyByRequest.get(key.requestId);
    if (byRequest) return byRequest;
  }
  if (key.sessionId === null) return undefined;
  const t = key.tokens;
  return s.eventOnlyFuzzy.get(
    key.timeMs - JOIN_WINDOW_MS,
    key.timeMs + JOIN_WINDOW_MS,
    key.sessionId,
    key.model,
    t.input,
    t.cacheRead,
    t.cacheCreation,
    key.timeMs,
  );
}

/** The transcript-only row an api_request event joins; the mirror of `findEventOnlyMatch`. */
export function findTranscriptOnlyMatch(db: Db, key: JoinKey): Row | undefined {
  const s = stmts(db);
  if (key.requestId !== null) {
    const byRequest = s.transcriptOnlyByRequest.get(key.requestId);
    if (byRequest) return byRequest;
    // An event with a request id joins only that request: never guess past an id.
    return undefined;
  }
  if (key.sessionId === null) return undefined;
  const t = key.tokens;
  return s.transcriptOnlyFuzzy.get(
    key.timeMs - JOIN_WINDOW_MS,
    key.timeMs + JOIN_WINDOW_MS,
    key.sessionId,
    key.model,
    t.input,
    t.cacheRead,
    t.cacheCreation,
    key.timeMs,
  );
}

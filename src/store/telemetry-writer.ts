import { createHash } from 'node:crypto';
import { incrementOf, type SeriesState } from '../domain/metric-increment.js';
import { usdToNanos } from '../domain/money.js';
import type { PriceList } from '../domain/pricing.js';
import type { TokenCounts } from '../domain/usage.js';
import type { Attributes, AttributeValue } from '../sources/otlp/attribute-value.js';
import type { LogRecord } from '../sources/otlp/decode-logs.js';
import type { MetricPoint } from '../sources/otlp/decode-metrics.js';
import { findTranscriptOnlyMatch } from './match-trails.js';
import type { Db } from './open-store.js';
import {
  deriveFigures,
  emptyRow,
  RESPONSE_COLUMNS,
  type ResponseRow,
  setEventTokens,
} from './response-row.js';
import { CATCH_UP_TELEMETRY_TOTALS } from './running-totals.js';

/**
 * Attributes that carry what the user typed or what tools read and wrote.
 * They are dropped unless ccmon runs with --store-content.
 */
export const CONTENT_ATTRIBUTES = new Set([
  'prompt',
  'prompt_text',
  'response',
  'response_text',
  'tool_input',
  'tool_parameters',
  'tool_output',
  'tool_result',
  'request_body',
  'response_body',
  'raw_body',
  'body',
]);

/** Resource attributes that are noise per event; everything else (team, department, ...) is kept. */
const DROPPED_RESOURCE = new Set([
  'host.arch',
  'os.version',
  'service.name',
  'telemetry.sdk.language',
  'telemetry.sdk.name',
  'telemetry.sdk.version',
]);

const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Claude Code sends some numbers as strings (`duration_ms`, `success`); ids stay strings. */
function normalizeValue(key: string, value: AttributeValue): AttributeValue {
  if (typeof value !== 'string') return value;
  if (key.endsWith('id') || key.endsWith('.id') || key.endsWith('_id') || key === 'version')
    return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (NUMERIC.test(value) && value.length < 20) return Number(value);
  return value;
}

export interface StoredAttributes {
  [key: string]: AttributeValue;
}

export function eventAttributes(
  record: { attributes: Attributes; resource: Attributes },
  storeContent: boolean,
): StoredAttributes {
  const out: StoredAttributes = {};
  for (const [k, v] of Object.entries(record.resource)) {
    if (!DROPPED_RESOURCE.has(k)) out[k] = normalizeValue(k, v);
  }
  for (const [k, v] of Object.entries(record.attributes)) {
    if (!storeContent && CONTENT_ATTRIBUTES.has(k)) continue;
    out[k] = normalizeValue(k, v);
  }
  return out;
}

/**
 * The attributes as JSON with their keys sorted, so that the same set always
 * gives the same text (a metric series' identity). Hot path: copying into a
 * new object by sorted keys is twice as fast as sorting entries.
 */
function sortedJson(attrs: StoredAttributes): string {
  const sorted: StoredAttributes = {};
  // The default sort compares UTF-16 code units, as `<` does.
  for (const key of Object.keys(attrs).sort()) {
    const value = attrs[key];
    if (value !== undefined) sorted[key] = value;
  }
  return JSON.stringify(sorted);
}

const asString = (v: AttributeValue | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const asCount = (v: AttributeValue | undefined): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;

function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

export interface TelemetryWriteResult {
  events: number;
  duplicates: number;
  points: number;
}

/**
 * Writes what OpenTelemetry says: events (log records) with their attributes,
 * api_request events joined to the transcript's response, and Claude Code's
 * own metrics as increments per series. Claude Code's metrics never feed the
 * response totals: they are their own series.
 */
export class TelemetryWriter {
  private readonly stmts;
  private readonly ownTransaction: <T>(work: () => T) => T;

  constructor(
    private readonly db: Db,
    private readonly prices: PriceList,
    private readonly options: {
      storeContent: boolean;
      /**
       * Leave the totals for /metrics to one catchUpTotals() per transaction
       * (a group commit's), instead of one per write.
       */
      totalsPerTransaction?: boolean;
    } = { storeContent: false },
  ) {
    const transaction = db.transaction((work: () => unknown) => work());
    this.ownTransaction = <T>(work: () => T): T => transaction(work) as T;
    const cols = RESPONSE_COLUMNS.join(', ');
    const params = RESPONSE_COLUMNS.map((c) => `@${c}`).join(', ');
    const sets = RESPONSE_COLUMNS.map((c) => `${c} = @${c}`).join(', ');
    this.stmts = {
      insertEvent: db.prepare(
        `INSERT OR IGNORE INTO events (event_key, name, ts, session_id, user_id, model, attrs, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      responseByKey: db.prepare<[string], ResponseRow & { id: number }>(
        'SELECT * FROM responses WHERE response_key = ?',
      ),
      projectOfSession: db.prepare<[string], { project_id: number | null }>(
        'SELECT project_id FROM sessions WHERE id = ?',
      ),
      insertResponse: db.prepare(`INSERT INTO responses (${cols}) VALUES (${params})`),
      updateResponse: db.prepare(`UPDATE responses SET ${sets} WHERE id = @id`),
      series: db.prepare<
        [string, string],
        {
          id: number;
          start_ns: string | null;
          last_time_ns: string | null;
          last_value: number | null;
        }
      >(
        'SELECT id, start_ns, last_time_ns, last_value FROM metric_series WHERE name = ? AND attrs_key = ?',
      ),
      insertSeries: db.prepare(
        `INSERT INTO metric_series (name, attrs_key, attrs, unit, temporality, session_id, user_id, type, decision)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateSeries: db.prepare(
        `UPDATE metric_series SET start_ns = ?, last_time_ns = ?, last_value = ?, total = total + ?, last_ms = max(coalesce(last_ms, 0), ?)
         WHERE id = ?`,
      ),
      insertPoint: db.prepare('INSERT INTO metric_points (series_id, ts, value) VALUES (?, ?, ?)'),
      catchUp: CATCH_UP_TELEMETRY_TOTALS.map((sql) => db.prepare(sql)),
    };
  }

  /**
   * Runs a write in a transaction of its own, or in the caller's as it is: no
   * savepoint, so a caller that goes on after a write failed must roll back
   * itself (GroupCommit does).
   */
  private atomically<T>(work: () => T): T {
    return this.db.inTransaction ? work() : this.ownTransaction(work);
  }

  /** Brings the event and metric totals that /metrics reads up to what was written. */
  readonly catchUpTotals = (): void => {
    for (const statement of this.stmts.catchUp) statement.run();
  };

  readonly writeLogs = (records: readonly LogRecord[]): TelemetryWriteResult =>
    this.atomically(() => {
      const result: TelemetryWriteResult = { events: 0, duplicates: 0, points: 0 };
      for (const record of records) {
        if (this.writeEvent(record)) result.events++;
        else result.duplicates++;
      }
      if (!this.options.totalsPerTransaction) this.catchUpTotals();
      return result;
    });

  readonly writeMetrics = (points: readonly MetricPoint[]): TelemetryWriteResult =>
    this.atomically(() => {
      const result: TelemetryWriteResult = { events: 0, duplicates: 0, points: 0 };
      for (const point of points) {
        if (this.writePoint(point)) result.points++;
        else result.duplicates++;
      }
      if (!this.options.totalsPerTransaction) this.catchUpTotals();
      return result;
    });

  private writeEvent(record: LogRecord): boolean {
    const name = record.eventName || record.body.replace(/^claude_code\./, '');
    const attrs = eventAttributes(record, this.options.storeContent);
    const sessionId = asString(attrs['session.id']);
    const sequence = asString(attrs['event.sequence']);
    // Claude Code numbers its events per session; older versions do not, so
    // the whole record is the identity of a resent export.
    const key =
      sessionId !== null && sequence !== null
        ? `${sessionId}#${sequence}#${name}`
        : createHash('sha1')
            .update(`${name}\n${record.timeUnixNano}\n${sortedJson(attrs)}`)
            .digest('base64url');
    const ts = nsToMs(record.timeUnixNano);
    const model = asString(attrs.model);
    const duration = attrs.duration_ms;
    const inserted = this.stmts.insertEvent.run(
      key,
      name,
      ts,
      sessionId,
      asString(attrs['user.id']),
      model,
      // Stored in the order received: only json_extract reads it, and sorting
      // the keys of every event measured 8% of the telemetry writer's time.
      JSON.stringify(attrs),
      // API latency reads it from its own column (and index).
      name === 'api_request' && typeof duration === 'number' && Number.isFinite(duration)
        ? duration
        : null,
    );
    if (inserted.changes === 0) return false;
    if (name === 'api_request' && model !== null)
      this.joinApiRequest(key, ts, sessionId, model, attrs);
    return true;
  }

  /** One API request seen in both trails counts once: fold the event into its transcript response. */
  private joinApiRequest(
    eventKey: string,
    ts: number,
    sessionId: string | null,
    model: string,
    attrs: StoredAttributes,
  ): void {
    const tokens: TokenCounts = {
      input: asCount(attrs.input_tokens),
      output: asCount(attrs.output_tokens),
      cacheRead: asCount(attrs.cache_read_tokens),
      cacheCreation: asCount(attrs.cache_creation_tokens),
      cacheCreation5m: asCount(attrs.cache_creation_5m_tokens),
      cacheCreation1h: asCount(attrs.cache_creation_1h_tokens),
    };
    const requestId = asString(attrs.request_id);
    const cost = attrs.cost_usd;
    let row: (ResponseRow & { id?: number }) | undefined =
      (requestId !== null ? this.stmts.responseByKey.get(`req:${requestId}`) : undefined) ??
      findTranscriptOnlyMatch(this.db, { requestId, sessionId, model, timeMs: ts, tokens });
    if (row && row.has_event === 1) return;
    if (!row) {
      row = emptyRow(requestId !== null ? `req:${requestId}` : `evt:${eventKey}`, model, ts);
      row.request_id = requestId;
      row.session_id = sessionId;
      row.project_id =
        sessionId !== null
          ? (this.stmts.projectOfSession.get(sessionId)?.project_id ?? null)
          : null;
      row.version = asString(attrs['service.version']);
    }
    row.has_event = 1;
    setEventTokens(row, tokens);
    row.e_reported_nanos =
      typeof cost === 'number' && Number.isFinite(cost) ? usdToNanos(cost) : null;
    row.user_id = asString(attrs['user.id']);
    deriveFigures(row, this.prices);
    if (row.id !== undefined) this.stmts.updateResponse.run(row);
    else this.stmts.insertResponse.run(row);
  }

  private writePoint(point: MetricPoint): boolean {
    if (point.kind === 'gauge') return false;
    const attrs = eventAttributes(point, this.options.storeContent);
    const attrsKey = sortedJson(attrs);
    let series = this.stmts.series.get(point.metric, attrsKey);
    if (!series) {
      const id = Number(
        this.stmts.insertSeries.run(
          point.metric,
          attrsKey,
          attrsKey,
          point.unit,
          point.temporality,
          asString(attrs['session.id']),
          asString(attrs['user.id']),
          asString(attrs.type),
          asString(attrs.decision),
        ).lastInsertRowid,
      );
      series = { id, start_ns: null, last_time_ns: null, last_value: null };
    }
    const state: SeriesState = {
      startNs: series.start_ns,
      lastTimeNs: series.last_time_ns,
      lastValue: series.last_value,
    };
    const { increment, next } = incrementOf(state, {
      temporality: point.temporality,
      startNs: point.startTimeUnixNano,
      timeNs: point.timeUnixNano,
      value: point.value,
    });
    if (next === state) return false;
    const ts = nsToMs(point.timeUnixNano);
    this.stmts.updateSeries.run(
      next.startNs,
      next.lastTimeNs,
      next.lastValue,
      increment,
      ts,
      series.id,
    );
    if (increment !== 0) this.stmts.insertPoint.run(series.id, ts, increment);
    return true;
  }
}

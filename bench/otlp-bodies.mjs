// OTLP/HTTP protobuf bodies as Claude Code sends them (the recorded fixture), turned into
// templates whose session id and times can be rewritten in place, so that a load
// generator sends new data in every request without encoding protobuf on its hot path.
//
// The store drops a log record it already has (same session.id + event.sequence + name)
// and a metric point it already counted (same series, start and time), so resending one
// body would measure only the duplicate check. Instead:
//   logs     every request gets a new session.id (request_id is derived from it), so
//            its 14 events are all new, and times of now (the recorded spacing kept),
//            so events arrive in time order as a live Claude Code's do;
//   metrics  every request is a session from a pool (series are updated in place, as a
//            long-running Claude Code's per-session delta series are) with a new
//            [start, time] window, so every point adds an increment.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const FIXTURE_DIR = join('test', 'fixtures', 'claude-code-2.1.330', 'pb-tools', 'otlp');

/** A UUID-shaped session id (36 characters) for number n. */
export function sessionIdOf(n) {
  const hex = n.toString(16).padStart(20, '0');
  return `${hex.slice(0, 8)}-0000-4000-8000-${hex.slice(8)}`;
}

const SESSION_PLACEHOLDER = sessionIdOf(0xbe_ef_be_ef_be);
const START_PLACEHOLDER = 0x1122_3344_5566_7788n;
const TIME_PLACEHOLDER = 0x1122_3344_5566_7799n;
/** Record i of the logs body gets time LOG_TIME_PLACEHOLDER + i, found again after encoding. */
const LOG_TIME_PLACEHOLDER = 0x1122_3344_5566_8800n;

function attributesOf(holder) {
  return holder.attributes ?? [];
}

function setSessionAttributes(attributes) {
  for (const a of attributes) {
    if (a.key === 'session.id') a.value = { stringValue: SESSION_PLACEHOLDER };
  }
}

/** Every offset of `needle` in `haystack`. */
function offsetsOf(haystack, needle) {
  const offsets = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    offsets.push(at);
  }
  return offsets;
}

function fixed64(value) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b;
}

/**
 * The two recorded bodies (logs and metrics) as templates: base64 bytes plus the offsets
 * of the session id (36 ASCII bytes) and, for metrics, of every point's start and time
 * (fixed64, little-endian). Uses ccmon's own protobuf schema loader from dist/.
 */
export async function otlpTemplates(repoRoot) {
  const schemaUrl = pathToFileURL(join(repoRoot, 'dist', 'sources', 'otlp', 'otlp-schema.js'));
  const { exportRequestType } = await import(schemaUrl.href);
  const dir = join(repoRoot, FIXTURE_DIR);
  const decode = (signal, file) =>
    exportRequestType[signal].toObject(
      exportRequestType[signal].decode(readFileSync(join(dir, file))),
      { longs: String, enums: Number, bytes: Buffer, defaults: false },
    );
  const encode = (signal, object) =>
    Buffer.from(
      exportRequestType[signal].encode(exportRequestType[signal].fromObject(object)).finish(),
    );

  const logs = decode('logs', '0001-logs.pb');
  let records = 0;
  const recordedTimes = [];
  for (const resource of logs.resourceLogs) {
    setSessionAttributes(attributesOf(resource.resource ?? {}));
    for (const scope of resource.scopeLogs) {
      for (const record of scope.logRecords) {
        recordedTimes.push(BigInt(record.timeUnixNano));
        record.timeUnixNano = (LOG_TIME_PLACEHOLDER + BigInt(records)).toString();
        record.observedTimeUnixNano = record.timeUnixNano;
        records++;
        setSessionAttributes(attributesOf(record));
        // request_id is the response's identity in the store: make it follow the session.
        for (const a of attributesOf(record)) {
          if (a.key === 'request_id')
            a.value = { stringValue: `${SESSION_PLACEHOLDER}/${a.value.stringValue.slice(-6)}` };
        }
      }
    }
  }
  const logsBody = encode('logs', logs);
  let lastRecorded = 0n;
  for (const t of recordedTimes) if (t > lastRecorded) lastRecorded = t;
  const logTimes = recordedTimes.map((recorded, i) => {
    const offsets = offsetsOf(logsBody, fixed64(LOG_TIME_PLACEHOLDER + BigInt(i)));
    if (offsets.length !== 2) throw new Error(`logs template: times of record ${i} not found`);
    return { offsets, beforeLastNs: Number(lastRecorded - recorded) };
  });

  const metrics = decode('metrics', '0002-metrics.pb');
  let points = 0;
  for (const resource of metrics.resourceMetrics) {
    setSessionAttributes(attributesOf(resource.resource ?? {}));
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) {
        const data = metric.sum ?? metric.gauge ?? metric.histogram;
        for (const point of data?.dataPoints ?? []) {
          points++;
          setSessionAttributes(attributesOf(point));
          point.startTimeUnixNano = START_PLACEHOLDER.toString();
          point.timeUnixNano = TIME_PLACEHOLDER.toString();
        }
      }
    }
  }
  const metricsBody = encode('metrics', metrics);

  const session = Buffer.from(SESSION_PLACEHOLDER, 'latin1');
  const templates = {
    logs: {
      path: '/v1/logs',
      body: logsBody.toString('base64'),
      bytes: logsBody.length,
      items: records,
      sessionOffsets: offsetsOf(logsBody, session),
      logTimes,
    },
    metrics: {
      path: '/v1/metrics',
      body: metricsBody.toString('base64'),
      bytes: metricsBody.length,
      items: points,
      sessionOffsets: offsetsOf(metricsBody, session),
      startOffsets: offsetsOf(metricsBody, fixed64(START_PLACEHOLDER)),
      timeOffsets: offsetsOf(metricsBody, fixed64(TIME_PLACEHOLDER)),
    },
  };
  if (templates.logs.sessionOffsets.length < records)
    throw new Error(
      `logs template: ${templates.logs.sessionOffsets.length} session ids for ${records} records`,
    );
  if (
    templates.metrics.startOffsets.length !== points ||
    templates.metrics.timeOffsets.length !== points
  )
    throw new Error(`metrics template: times of ${points} points not all found`);
  return templates;
}

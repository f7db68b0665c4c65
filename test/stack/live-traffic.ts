// What a running Claude Code session sends while Prometheus watches: a
// fixture's real OTLP bodies with a new session id and the current time.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano?: string;
  body?: unknown;
  attributes: KeyValue[];
}

interface LogsBody {
  resourceLogs: Array<{
    resource: unknown;
    scopeLogs: Array<{ scope: unknown; logRecords: LogRecord[] }>;
  }>;
}

interface DataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
}

interface MetricsBody {
  resourceMetrics: Array<{
    resource: unknown;
    scopeMetrics: Array<{
      scope: unknown;
      metrics: Array<{ name: string; sum?: { dataPoints: DataPoint[] } }>;
    }>;
  }>;
}

const stringAttribute = (attributes: KeyValue[], key: string) =>
  attributes.find((a) => a.key === key)?.value.stringValue;

function withStrings(attributes: KeyValue[], values: Record<string, string>): KeyValue[] {
  return attributes.map((a) =>
    a.key in values ? { key: a.key, value: { stringValue: values[a.key] } } : a,
  );
}

/** Attributes every Claude Code event carries, besides its own. */
const EVENT_ATTRIBUTES = new Set([
  'user.id',
  'session.id',
  'anthropic.provider',
  'anthropic.custom_base_url',
  'terminal.type',
  'event.timestamp',
  'prompt.id',
  'model',
  'duration_ms',
]);

/**
 * From the JSON run `runDir` (bodies `0001-logs.json`, `0002-metrics.json`),
 * as a new session now: its first `api_request` event again, and what the
 * fixture runs never produced (no request failed, no commit was made), shaped
 * as their real records: an `api_error` (529, overloaded) made from that
 * request, and a metrics export of `claude_code.commit.count` and
 * `claude_code.pull_request.count` made from its `claude_code.session.count`.
 */
export function liveTraffic(runDir: string, now: Date): { logs: LogsBody; metrics: MetricsBody } {
  const session = randomUUID();
  const nanos = `${BigInt(now.getTime()) * 1_000_000n}`;
  const logs: LogsBody = JSON.parse(readFileSync(join(runDir, 'otlp', '0001-logs.json'), 'utf8'));
  const metrics: MetricsBody = JSON.parse(
    readFileSync(join(runDir, 'otlp', '0002-metrics.json'), 'utf8'),
  );

  const resourceLogs = logs.resourceLogs[0];
  const scopeLogs = resourceLogs?.scopeLogs[0];
  const request = scopeLogs?.logRecords.find(
    (r) => stringAttribute(r.attributes, 'event.name') === 'api_request',
  );
  const resourceMetrics = metrics.resourceMetrics[0];
  const scopeMetrics = resourceMetrics?.scopeMetrics[0];
  const sessionCount = scopeMetrics?.metrics.find((m) => m.name === 'claude_code.session.count')
    ?.sum?.dataPoints[0];
  if (!resourceLogs || !scopeLogs || !request) {
    throw new Error(`${runDir}/otlp: no api_request event in 0001-logs.json`);
  }
  if (!resourceMetrics || !scopeMetrics || !sessionCount) {
    throw new Error(`${runDir}/otlp: no claude_code.session.count in 0002-metrics.json`);
  }

  const liveRequest: LogRecord = {
    ...request,
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    attributes: withStrings(request.attributes, {
      'session.id': session,
      'prompt.id': randomUUID(),
      request_id: `req_live_${session}`,
      'event.timestamp': now.toISOString(),
    }),
  };
  const point: DataPoint = {
    ...sessionCount,
    attributes: withStrings(
      sessionCount.attributes.filter((a) => a.key !== 'start_type'),
      { 'session.id': session },
    ),
    startTimeUnixNano: nanos,
    timeUnixNano: nanos,
  };
  const counter = (name: string) => ({
    name,
    unit: '',
    sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [point] },
  });
  const liveError: LogRecord = {
    ...liveRequest,
    body: { stringValue: 'claude_code.api_error' },
    attributes: [
      ...liveRequest.attributes.filter((a) => EVENT_ATTRIBUTES.has(a.key)),
      { key: 'event.name', value: { stringValue: 'api_error' } },
      { key: 'event.sequence', value: { intValue: 1 } },
      { key: 'error', value: { stringValue: 'Overloaded' } },
      { key: 'status_code', value: { stringValue: '529' } },
      { key: 'attempt', value: { intValue: 1 } },
    ],
  };
  return {
    logs: {
      resourceLogs: [
        { ...resourceLogs, scopeLogs: [{ ...scopeLogs, logRecords: [liveRequest, liveError] }] },
      ],
    },
    metrics: {
      resourceMetrics: [
        {
          ...resourceMetrics,
          scopeMetrics: [
            {
              ...scopeMetrics,
              metrics: [
                counter('claude_code.commit.count'),
                counter('claude_code.pull_request.count'),
              ],
            },
          ],
        },
      ],
    },
  };
}

import {
  type Attributes,
  type AttributeValue,
  parseAnyValue,
  parseAttributes,
} from './attribute-value.js';
import { OtlpDecodeError } from './decode-error.js';
import {
  fieldOf,
  isJsonObject,
  type JsonObject,
  objectsField,
  stringField,
  uint64Field,
} from './json-fields.js';
import { Rejections } from './rejections.js';
import { resourceOf, scopeOf } from './resource-and-scope.js';

/** One log record; for Claude Code, one event such as `api_request`. */
export interface LogRecord {
  /** The body as text (`claude_code.api_request`); a structured body as JSON. */
  body: string;
  /** Short event name, e.g. `api_request`; empty when the record names none. */
  eventName: string;
  /** When the event happened; the observed time when the exporter sent none. */
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityText: string;
  attributes: Attributes;
  resource: Attributes;
  scope: string;
}

export interface DecodedLogs {
  records: LogRecord[];
  /** Log records refused as invalid, for the partial-success answer. */
  rejected: number;
  errorMessage: string;
}

/** Claude Code's event prefix: body `claude_code.api_request`, event `api_request`. */
const EVENT_PREFIX = 'claude_code.';

/**
 * An ExportLogsServiceRequest (JSON shape) as log records. A malformed
 * envelope throws OtlpDecodeError; an invalid record is counted in `rejected`.
 */
export function decodeLogs(request: unknown): DecodedLogs {
  if (!isJsonObject(request)) throw new OtlpDecodeError('request is not an object');
  const records: LogRecord[] = [];
  const rejections = new Rejections();
  for (const [r, resourceLogs] of objectsField(request, 'resourceLogs', 'request').entries()) {
    const rPath = `resourceLogs[${r}]`;
    const resource = resourceOf(resourceLogs, rPath);
    for (const [s, scopeLogs] of objectsField(resourceLogs, 'scopeLogs', rPath).entries()) {
      const sPath = `${rPath}.scopeLogs[${s}]`;
      const scope = scopeOf(scopeLogs, sPath);
      for (const [l, logRecord] of objectsField(scopeLogs, 'logRecords', sPath).entries()) {
        const lPath = `${sPath}.logRecords[${l}]`;
        try {
          records.push(decodeLogRecord(logRecord, lPath, resource, scope));
        } catch (error) {
          if (!(error instanceof OtlpDecodeError)) throw error;
          rejections.add(1, error.message);
        }
      }
    }
  }
  return { records, rejected: rejections.count, errorMessage: rejections.message };
}

function decodeLogRecord(
  record: JsonObject,
  path: string,
  resource: Attributes,
  scope: string,
): LogRecord {
  const observedTimeUnixNano = uint64Field(record, 'observedTimeUnixNano', path);
  const timeUnixNano = uint64Field(record, 'timeUnixNano', path) || observedTimeUnixNano;
  if (timeUnixNano === 0n) {
    throw new OtlpDecodeError(`${path} has neither timeUnixNano nor observedTimeUnixNano`);
  }
  const rawBody = fieldOf(record, 'body');
  const body =
    rawBody === undefined || rawBody === null
      ? ''
      : bodyText(parseAnyValue(rawBody, `${path}.body`));
  const attributes = parseAttributes(record, 'attributes', path);
  return {
    body,
    eventName: eventNameOf(attributes['event.name'], stringField(record, 'eventName', path), body),
    timeUnixNano,
    observedTimeUnixNano,
    severityText: stringField(record, 'severityText', path),
    attributes,
    resource,
    scope,
  };
}

function bodyText(body: AttributeValue | undefined): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/**
 * Claude Code names its events in the `event.name` attribute (short name) and
 * in the body (`claude_code.<name>`); newer OTel SDKs also fill the record's
 * own `eventName` field. The first present wins.
 */
function eventNameOf(attribute: AttributeValue | undefined, field: string, body: string): string {
  if (typeof attribute === 'string' && attribute !== '') return withoutPrefix(attribute);
  if (field !== '') return withoutPrefix(field);
  return body.startsWith(EVENT_PREFIX) ? body.slice(EVENT_PREFIX.length) : '';
}

function withoutPrefix(name: string): string {
  return name.startsWith(EVENT_PREFIX) ? name.slice(EVENT_PREFIX.length) : name;
}

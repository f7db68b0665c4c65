/**
 * Hot path: `recordsOfLine` straight from a line's bytes. Decoding whole lines and
 * JSON.parse were most of the parse time, yet `recordsOfLine` reads a few dozen short
 * members of lines that carry 100 KB tool results. The line is validated as JSON.parse
 * would, but only those members are decoded, into a sparse copy that `recordsOfLine`
 * itself turns into records, so both paths share one reading of a line.
 */
import { recordsOfLine } from './parse-record.js';
import type { LineRecords } from './records.js';
import { arrayOf, LAZY, objectOf, prefixOf, RECURRING, readSparse, VALUE } from './sparse-json.js';

/** Enough of a tool result's `content` for the rejection checks (REJECTION_PREFIXES: 32, 28). */
const CONTENT_PREFIX_UNITS = 64;

/**
 * Every member `recordsOfLine` reads, and nothing else; RECURRING marks strings that repeat
 * from line to line, which only saves decoding them. Keep in step with parse-record.ts:
 * test/transcripts-fast checks both paths agree on every fixture line and on random lines.
 */
export const LINE_SHAPE = objectOf({
  type: RECURRING,
  subtype: RECURRING,
  timestamp: VALUE,
  sessionId: RECURRING,
  cwd: RECURRING,
  version: RECURRING,
  gitBranch: RECURRING,
  entrypoint: RECURRING,
  requestId: VALUE,
  agentId: RECURRING,
  uuid: VALUE,
  isSidechain: VALUE,
  isApiErrorMessage: VALUE,
  costUSD: VALUE,
  totalCostUSD: VALUE,
  toolDenialKind: VALUE,
  permissionDecision: objectOf({ decision: RECURRING }),
  message: objectOf({
    id: VALUE,
    model: RECURRING,
    stop_reason: RECURRING,
    usage: objectOf({
      input_tokens: VALUE,
      output_tokens: VALUE,
      cache_read_input_tokens: VALUE,
      cache_creation_input_tokens: VALUE,
      speed: RECURRING,
      cache_creation: objectOf({
        ephemeral_5m_input_tokens: VALUE,
        ephemeral_1h_input_tokens: VALUE,
      }),
    }),
    content: arrayOf(
      objectOf({
        type: RECURRING,
        id: VALUE,
        name: RECURRING,
        tool_use_id: VALUE,
        is_error: VALUE,
        content: prefixOf(CONTENT_PREFIX_UNITS),
      }),
    ),
  }),
  toolUseResult: objectOf({
    type: RECURRING,
    // Read for Writes only: a long one is decoded only if read.
    content: LAZY,
    // Only the first character of a hunk line tells an added line from a removed one.
    structuredPatch: arrayOf(objectOf({ lines: arrayOf(prefixOf(1)) })),
  }),
});

/**
 * What `recordsOfLine(JSON.parse(buf.toString('utf8', start, end)))` returns, or null when
 * the line is not valid JSON or not an object (a malformed line).
 */
export function recordsOfLineBytes(buf: Buffer, start: number, end: number): LineRecords | null {
  const line = readSparse(buf, start, end, LINE_SHAPE);
  return line === null ? null : recordsOfLine(line);
}

/**
 * Hot path: decide from a line's first bytes whether it can carry usage, so the
 * bulky lines (70 KB attachments, request shapes and blobs) are skipped without
 * being decoded. Only lines that may matter are handed to JSON.parse.
 */

/** Line types ccmon reads. Every other known type is skipped undecoded. */
const PARSED_TYPES = new Set(['user', 'assistant', 'system', 'cost-state', 'summary']);

/** Types Claude Code writes that carry nothing ccmon needs. */
export const SKIPPED_TYPES = new Set([
  'attachment',
  'api-request',
  'api-request-blob',
  'api-request-shape',
  'queue-operation',
  'atis-latch',
  'last-prompt',
  'tools-used',
  'mode',
  'permission-mode',
  'file-history-snapshot',
  'file-history-delta',
  'custom-title',
  'ai-title',
  'tag',
  'agent-name',
  'progress',
]);

export type LineClass =
  | { kind: 'parse' }
  | { kind: 'skip'; type: string }
  | { kind: 'unknown'; type: string }
  | { kind: 'blank' };

const HEAD_BYTES = 1024;
const TYPE_PREFIX = '{"type":"';
const ATTACHMENT_KEY = '"attachment":{';

const PARSE: LineClass = { kind: 'parse' };
const BLANK: LineClass = { kind: 'blank' };
const SKIP_ATTACHMENT: LineClass = { kind: 'skip', type: 'attachment' };
const skipByType = new Map<string, LineClass>();

export function classifyLine(buf: Buffer, start: number, end: number): LineClass {
  while (start < end && (buf[start] === 0x20 || buf[start] === 0x09 || buf[start] === 0x0d))
    start++;
  if (start >= end) return BLANK;
  // latin1 maps bytes 1:1, so the head can be searched without UTF-8 decoding.
  const head = buf.toString('latin1', start, Math.min(end, start + HEAD_BYTES));
  if (head.startsWith(TYPE_PREFIX)) {
    const close = head.indexOf('"', TYPE_PREFIX.length);
    if (close === -1) return PARSE;
    const type = head.slice(TYPE_PREFIX.length, close);
    if (PARSED_TYPES.has(type)) return PARSE;
    let cls = skipByType.get(type);
    if (cls === undefined) {
      cls = SKIPPED_TYPES.has(type) ? { kind: 'skip', type } : { kind: 'unknown', type };
      if (skipByType.size < 1000) skipByType.set(type, cls);
    }
    return cls;
  }
  // Conversation lines start with parentUuid; an attachment names itself early.
  const attachment = head.indexOf(ATTACHMENT_KEY);
  if (attachment !== -1 && head.lastIndexOf('"message":{', attachment) === -1)
    return SKIP_ATTACHMENT;
  return PARSE;
}

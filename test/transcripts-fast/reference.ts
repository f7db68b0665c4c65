import { isObject } from '../../src/sources/transcripts/json-fields.js';
import { recordsOfLine } from '../../src/sources/transcripts/parse-record.js';
import type { LineRecords } from '../../src/sources/transcripts/records.js';

/** The path recordsOfLineBytes must match: decode, JSON.parse, recordsOfLine (null: malformed). */
export function recordsViaJsonParse(buf: Buffer, start: number, end: number): LineRecords | null {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return null;
  }
  return isObject(value) ? recordsOfLine(value) : null;
}

/** Every line of a file's bytes as [start, end), the last one even without its newline. */
export function linesOf(buf: Buffer): [number, number][] {
  const lines: [number, number][] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
    lines.push([start, nl]);
    start = nl + 1;
  }
  if (start < buf.length) lines.push([start, buf.length]);
  return lines;
}

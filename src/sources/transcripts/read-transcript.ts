import { classifyLine } from './classify-line.js';
import { recordsOfLineBytes } from './fast-records.js';
import { readCompleteLines } from './read-lines.js';
import type { LineRecords } from './records.js';

/** What reading one transcript file found, line by line and in sum. */
export interface TranscriptRead {
  endOffset: number;
  lines: number;
  bytes: number;
  /** Bulky lines skipped undecoded. */
  skipped: number;
  /** Lines of types ccmon does not know, by type. */
  unknownTypes: Record<string, number>;
  /** The first malformed lines: line number and why. */
  malformed: { lineNo: number; reason: string }[];
  malformedCount: number;
}

const MAX_REASONS_PER_FILE = 5;

/** The message JSON.parse gives for a line the fast reader refused (rare: only malformed lines). */
function whyMalformed(line: string): string {
  try {
    JSON.parse(line);
    return 'not a JSON object';
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Reads the complete lines of one transcript from `from`, handing each line's
 * records to `onRecords`. The same code runs in the main thread and in the
 * parse worker.
 */
export function readTranscript(
  path: string,
  from: number,
  firstLine: number,
  onRecords: (records: LineRecords) => void,
  shared: { buffer: Buffer },
): TranscriptRead {
  const found: TranscriptRead = {
    endOffset: from,
    lines: 0,
    bytes: 0,
    skipped: 0,
    unknownTypes: {},
    malformed: [],
    malformedCount: 0,
  };
  const result = readCompleteLines(
    path,
    from,
    firstLine,
    (buf, start, end, lineNo) => {
      const cls = classifyLine(buf, start, end);
      if (cls.kind === 'blank') return;
      if (cls.kind === 'skip') {
        found.skipped++;
        return;
      }
      if (cls.kind === 'unknown') {
        found.unknownTypes[cls.type] = (found.unknownTypes[cls.type] ?? 0) + 1;
        return;
      }
      // Hot path: the fields ccmon needs, read from the bytes without decoding the rest.
      const records = recordsOfLineBytes(buf, start, end);
      if (records === null) {
        found.malformedCount++;
        if (found.malformed.length < MAX_REASONS_PER_FILE) {
          found.malformed.push({ lineNo, reason: whyMalformed(buf.toString('utf8', start, end)) });
        }
        return;
      }
      onRecords(records);
    },
    shared,
  );
  found.endOffset = result.endOffset;
  found.lines = result.lines;
  found.bytes = result.bytes;
  return found;
}

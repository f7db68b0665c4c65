import { closeSync, openSync, readSync } from 'node:fs';

const INITIAL_BUFFER = 1 << 20;

/** Called for each complete line; `end` excludes the newline. */
export type LineVisitor = (buf: Buffer, start: number, end: number, lineNo: number) => void;

export interface ReadResult {
  /** Byte offset just after the last complete line: where the next read starts. */
  endOffset: number;
  lines: number;
  bytes: number;
}

/**
 * Hot path: reads a file from `fromOffset` through one reused buffer and visits
 * every complete (newline-terminated) line. A final line without its newline is
 * left unread: Claude Code may still be writing it.
 */
export function readCompleteLines(
  path: string,
  fromOffset: number,
  firstLineNo: number,
  visit: LineVisitor,
  shared?: { buffer: Buffer },
): ReadResult {
  const holder = shared ?? { buffer: Buffer.allocUnsafe(INITIAL_BUFFER) };
  let buf = holder.buffer;
  const fd = openSync(path, 'r');
  let filePos = fromOffset;
  let consumed = fromOffset;
  let lineNo = firstLineNo;
  let kept = 0; // bytes of an unfinished line carried at buf[0..kept)
  try {
    for (;;) {
      if (kept === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
        holder.buffer = bigger;
      }
      const n = readSync(fd, buf, kept, buf.length - kept, filePos);
      if (n === 0) break;
      filePos += n;
      const filled = kept + n;
      // A bounded view, so the newline search never runs into stale bytes.
      const view = buf.subarray(0, filled);
      let lineStart = 0;
      let nl = view.indexOf(10, kept);
      while (nl !== -1) {
        visit(buf, lineStart, nl, lineNo++);
        lineStart = nl + 1;
        nl = view.indexOf(10, lineStart);
      }
      consumed += lineStart;
      kept = filled - lineStart;
      if (lineStart > 0 && kept > 0) buf.copy(buf, 0, lineStart, filled);
    }
  } finally {
    closeSync(fd);
  }
  return { endOffset: consumed, lines: lineNo - firstLineNo, bytes: consumed - fromOffset };
}

import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import type { PriceList } from '../../domain/pricing.js';
import type { Db } from '../../store/open-store.js';
import { type FileState, TranscriptWriter } from '../../store/transcript-writer.js';
import { classifyLine } from './classify-line.js';
import type { ProjectsDir } from './config-dirs.js';
import { type DiscoveryProblem, discoverTranscripts } from './discover.js';
import { recordsOfLineBytes } from './fast-records.js';
import { readCompleteLines } from './read-lines.js';

export interface ScanStats {
  files: number;
  filesRead: number;
  filesReset: number;
  bytes: number;
  lines: number;
  /** Assistant lines with usage (copies of responses). */
  responseLines: number;
  /** Distinct responses written in this scan. */
  responses: number;
  duplicates: number;
  malformed: number;
  skipped: number;
  unknownTypes: Record<string, number>;
  problems: DiscoveryProblem[];
  /** The first malformed lines, as `file:line: reason`. */
  errors: string[];
  durationMs: number;
}

export interface ScanOptions {
  onProgress?: (done: number, total: number) => void;
  /** Flush to the store after this many buffered responses (bounds memory). */
  flushEvery?: number;
  /** Read only these files (a watcher saw them change); default: discover every transcript. */
  onlyFiles?: readonly string[];
}

interface StoredFile {
  dev: number;
  ino: number;
  size: number;
  mtime_ms: number;
  offset: number;
  lines: number;
  head: Buffer | null;
}

interface PlannedRead {
  path: string;
  stat: Stats;
  from: number;
  firstLine: number;
  reset: boolean;
}

const HEAD_LEN = 64;
const MAX_ERRORS_PER_FILE = 5;
const MAX_ERRORS_KEPT = 50;

/**
 * Reads what is new in every transcript into the store. Per file, the offset
 * after the last complete line is saved in the same transaction as the data
 * read from it, so a crash never loses or doubles a line.
 */
export function ingestTranscripts(
  db: Db,
  prices: PriceList,
  dirs: readonly ProjectsDir[],
  options: ScanOptions = {},
): ScanStats {
  const started = performance.now();
  const discovered = options.onlyFiles
    ? { files: [...options.onlyFiles], problems: [], found: [] }
    : discoverTranscripts(dirs);
  const stats: ScanStats = {
    files: discovered.files.length,
    filesRead: 0,
    filesReset: 0,
    bytes: 0,
    lines: 0,
    responseLines: 0,
    responses: 0,
    duplicates: 0,
    malformed: 0,
    skipped: 0,
    unknownTypes: {},
    problems: discovered.problems,
    errors: [],
    durationMs: 0,
  };
  const fileByPath = db.prepare<[string], StoredFile>(
    'SELECT dev, ino, size, mtime_ms, offset, lines, head FROM files WHERE path = ?',
  );
  const plan: PlannedRead[] = [];
  let total = 0;
  for (const path of discovered.files) {
    const read = planRead(path, fileByPath.get(path), stats);
    if (read) {
      plan.push(read);
      total += read.stat.size - read.from;
    }
  }
  markMissing(db, discovered.found, new Set(discovered.files));

  const writer = new TranscriptWriter(db, prices);
  const flushEvery = options.flushEvery ?? 20_000;
  let pendingFiles: FileState[] = [];
  const commit = db.transaction(() => {
    const distinct = writer.pendingResponses;
    writer.flush();
    for (const f of pendingFiles) writer.saveFile(f);
    stats.responses += distinct;
    pendingFiles = [];
  });
  const shared = { buffer: Buffer.allocUnsafe(1 << 20) };
  let done = 0;
  const readAll = () => {
    for (const read of plan) {
      const state = readFile(read, writer, stats, shared);
      pendingFiles.push(state);
      stats.filesRead++;
      done += state.offset - read.from;
      options.onProgress?.(done, total);
      if (writer.pendingResponses >= flushEvery) commit();
    }
    commit();
  };
  if (plan.length === 0) {
    commit();
  } else {
    // A first scan is one transaction, so its bulk index build is all or nothing.
    db
      .transaction(() => {
        if (!writer.beginBulkIfEmpty()) return false;
        readAll();
        writer.finish();
        return true;
      })
      .immediate() || readAll();
  }
  stats.duplicates = stats.responseLines - stats.responses;
  stats.durationMs = performance.now() - started;
  return stats;
}

function planRead(
  path: string,
  stored: StoredFile | undefined,
  stats: ScanStats,
): PlannedRead | null {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    stats.problems.push({
      dir: path,
      message: `${path} cannot be read: ${(error as Error).message}`,
    });
    return null;
  }
  if (!stored) return { path, stat, from: 0, firstLine: 1, reset: false };
  const sameFile = stored.dev === stat.dev && stored.ino === stat.ino;
  if (sameFile && stat.size === stored.size && Math.trunc(stat.mtimeMs) === stored.mtime_ms)
    return null;
  // Replaced, truncated or rewritten in place: read it again from the start;
  // keyed writes make the second reading count nothing twice.
  const reset = !sameFile || stat.size < stored.offset || !sameHead(path, stored.head);
  if (reset) {
    stats.filesReset++;
    return { path, stat, from: 0, firstLine: 1, reset };
  }
  return { path, stat, from: stored.offset, firstLine: stored.lines + 1, reset };
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_LEN);
    const n = readSync(fd, buf, 0, HEAD_LEN, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function sameHead(path: string, head: Buffer | null): boolean {
  if (head === null || head.length === 0) return true;
  try {
    return readHead(path).subarray(0, head.length).equals(head);
  } catch {
    return false;
  }
}

function readFile(
  read: PlannedRead,
  writer: TranscriptWriter,
  stats: ScanStats,
  shared: { buffer: Buffer },
): FileState {
  let fileErrors = 0;
  const result = readCompleteLines(
    read.path,
    read.from,
    read.firstLine,
    (buf, start, end, lineNo) => {
      const cls = classifyLine(buf, start, end);
      if (cls.kind === 'blank') return;
      if (cls.kind === 'skip') {
        stats.skipped++;
        return;
      }
      if (cls.kind === 'unknown') {
        stats.unknownTypes[cls.type] = (stats.unknownTypes[cls.type] ?? 0) + 1;
        writer.countLine(`unknown:${cls.type}`);
        return;
      }
      // Hot path: the fields ccmon needs, read from the bytes without decoding the rest.
      const records = recordsOfLineBytes(buf, start, end);
      if (records === null) {
        stats.malformed++;
        writer.countLine('malformed');
        const where = `${read.path}:${lineNo}`;
        const reason = whyMalformed(buf.toString('utf8', start, end));
        if (fileErrors++ < MAX_ERRORS_PER_FILE) writer.error('transcript', where, reason);
        if (stats.errors.length < MAX_ERRORS_KEPT) stats.errors.push(`${where}: ${reason}`);
        return;
      }
      if (records.response) stats.responseLines++;
      writer.add(records);
    },
    shared,
  );
  stats.lines += result.lines;
  stats.bytes += result.bytes;
  writer.countLine('read', result.lines);
  return {
    path: read.path,
    dev: read.stat.dev,
    ino: read.stat.ino,
    size: read.stat.size,
    mtimeMs: Math.trunc(read.stat.mtimeMs),
    offset: result.endOffset,
    lines: read.firstLine - 1 + result.lines,
    head:
      result.endOffset > 0
        ? readHead(read.path).subarray(0, Math.min(HEAD_LEN, result.endOffset))
        : null,
  };
}

/** The message JSON.parse gives for a line the fast reader refused (rare: only malformed lines). */
function whyMalformed(line: string): string {
  try {
    JSON.parse(line);
    return 'not a JSON object';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Transcripts Claude Code deleted keep their history; they are only marked. */
function markMissing(db: Db, foundDirs: string[], present: Set<string>): void {
  const rows = db.prepare<[], { path: string }>('SELECT path FROM files WHERE missing = 0').all();
  const mark = db.prepare('UPDATE files SET missing = 1 WHERE path = ?');
  for (const { path } of rows) {
    if (!present.has(path) && foundDirs.some((d) => path.startsWith(d))) mark.run(path);
  }
}

import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import type { PriceList } from '../../domain/pricing.js';
import type { Db } from '../../store/open-store.js';
import { type FileState, TranscriptWriter } from '../../store/transcript-writer.js';
import type { ProjectsDir } from './config-dirs.js';
import { type DiscoveryProblem, discoverTranscripts } from './discover.js';
import { readTranscript, type TranscriptRead } from './read-transcript.js';
import type { LineRecords } from './records.js';

export interface ScanStats {
  files: number;
  filesRead: number;
  filesReset: number;
  bytes: number;
  lines: number;
  /** Assistant lines with usage (copies of responses). */
  responseLines: number;
  /** Responses new to the store's transcript side (a response read again is not counted again). */
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
  /**
   * Flush to the store after this many buffered responses (default: 1000, and
   * 100 in a first scan). Small, so that what a scan buffers dies young in
   * the garbage collector: at 20,000 a 500 MB corpus peaked about 60 MB
   * higher, and no faster.
   */
  flushEvery?: number;
  /** Read only these files (a watcher saw them change); default: discover every transcript. */
  onlyFiles?: readonly string[];
}

interface StoredFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtime_ms: number;
  offset: number;
  lines: number;
  head: Buffer | null;
  missing: number;
}

interface PlannedRead {
  path: string;
  stat: Stats;
  from: number;
  firstLine: number;
}

const HEAD_LEN = 64;
/** Responses per transaction: each commit writes to the WAL, so not too few. */
const COMMIT_EVERY = 1000;
/**
 * Responses per flush in a first scan, where a flush is only a savepoint:
 * records written sooner die young, in the garbage collector's cheap
 * generation. At 1000, they lived long enough to be moved to the old one,
 * which grew by tens of MB before it was collected.
 */
const BULK_FLUSH_EVERY = 100;
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
  const stored = storedFiles(db, options.onlyFiles);
  const plan: PlannedRead[] = [];
  let total = 0;
  for (const path of discovered.files) {
    const read = planRead(path, stored.get(path), stats);
    if (read) {
      plan.push(read);
      total += read.stat.size - read.from;
    }
  }
  if (!options.onlyFiles) markMissing(db, discovered.found, stored, new Set(discovered.files));

  const writer = new TranscriptWriter(db, prices);
  let pendingFiles: FileState[] = [];
  const commit = db.transaction(() => {
    stats.responses += writer.flush();
    for (const f of pendingFiles) writer.saveFile(f);
    pendingFiles = [];
  });
  let done = 0;
  const addRecords = (records: LineRecords) => {
    if (records.response) stats.responseLines++;
    writer.add(records);
  };
  const fileRead = (read: PlannedRead, found: TranscriptRead, flushEvery: number) => {
    pendingFiles.push(noteFileRead(read, found, writer, stats));
    done += found.endOffset - read.from;
    options.onProgress?.(done, total);
    if (writer.pendingResponses >= flushEvery) commit();
  };
  const readAll = (flushEvery: number) => {
    const shared = { buffer: Buffer.allocUnsafe(1 << 20) };
    for (const read of plan) {
      try {
        const found = readTranscript(read.path, read.from, read.firstLine, addRecords, shared);
        fileRead(read, found, flushEvery);
      } catch (error) {
        stats.problems.push({
          dir: read.path,
          message: `${read.path} cannot be read: ${(error as Error).message}`,
        });
      }
    }
    commit();
  };
  if (plan.length === 0) {
    commit();
  } else {
    // A first scan is one transaction, so its bulk index build is all or nothing.
    const bulk = db.transaction(() => {
      if (!writer.beginBulkIfEmpty()) return false;
      readAll(options.flushEvery ?? BULK_FLUSH_EVERY);
      writer.finish();
      return true;
    });
    if (!bulk.immediate()) readAll(options.flushEvery ?? COMMIT_EVERY);
  }
  stats.duplicates = stats.responseLines - stats.responses;
  stats.durationMs = performance.now() - started;
  return stats;
}

function noteFileRead(
  read: PlannedRead,
  found: TranscriptRead,
  writer: TranscriptWriter,
  stats: ScanStats,
): FileState {
  stats.filesRead++;
  stats.lines += found.lines;
  stats.bytes += found.bytes;
  stats.skipped += found.skipped;
  stats.malformed += found.malformedCount;
  writer.countLine('read', found.lines);
  if (found.malformedCount > 0) writer.countLine('malformed', found.malformedCount);
  for (const [type, n] of Object.entries(found.unknownTypes)) {
    stats.unknownTypes[type] = (stats.unknownTypes[type] ?? 0) + n;
    writer.countLine(`unknown:${type}`, n);
  }
  for (const { lineNo, reason } of found.malformed) {
    const where = `${read.path}:${lineNo}`;
    writer.error('transcript', where, reason);
    if (stats.errors.length < MAX_ERRORS_KEPT) stats.errors.push(`${where}: ${reason}`);
  }
  return {
    path: read.path,
    dev: read.stat.dev,
    ino: read.stat.ino,
    size: read.stat.size,
    mtimeMs: Math.trunc(read.stat.mtimeMs),
    offset: found.endOffset,
    lines: read.firstLine - 1 + found.lines,
    head:
      found.endOffset > 0
        ? readHead(read.path).subarray(0, Math.min(HEAD_LEN, found.endOffset))
        : null,
  };
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
  if (!stored) return { path, stat, from: 0, firstLine: 1 };
  const sameFile = stored.dev === stat.dev && stored.ino === stat.ino;
  if (sameFile && stat.size === stored.size && Math.trunc(stat.mtimeMs) === stored.mtime_ms)
    return null;
  // Replaced, truncated or rewritten in place: read it again from the start;
  // keyed writes make the second reading count nothing twice.
  if (!sameFile || stat.size < stored.offset || !sameHead(path, stored.head)) {
    stats.filesReset++;
    return { path, stat, from: 0, firstLine: 1 };
  }
  return { path, stat, from: stored.offset, firstLine: stored.lines + 1 };
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

const STORED_FILE_COLUMNS = 'path, dev, ino, size, mtime_ms, offset, lines, head, missing';

/**
 * What the store knows of the files to read, by path: every file in one
 * query for a full scan, only the named ones for a watcher's few.
 */
function storedFiles(db: Db, onlyFiles: readonly string[] | undefined): Map<string, StoredFile> {
  if (!onlyFiles) {
    const rows = db.prepare<[], StoredFile>(`SELECT ${STORED_FILE_COLUMNS} FROM files`).all();
    return new Map(rows.map((row) => [row.path, row]));
  }
  const byPath = db.prepare<[string], StoredFile>(
    `SELECT ${STORED_FILE_COLUMNS} FROM files WHERE path = ?`,
  );
  const found = new Map<string, StoredFile>();
  for (const path of onlyFiles) {
    const row = byPath.get(path);
    if (row) found.set(path, row);
  }
  return found;
}

/** Transcripts Claude Code deleted keep their history; they are only marked. */
function markMissing(
  db: Db,
  foundDirs: string[],
  stored: Map<string, StoredFile>,
  present: Set<string>,
): void {
  const mark = db.prepare('UPDATE files SET missing = 1 WHERE path = ?');
  for (const [path, file] of stored) {
    if (file.missing === 0 && !present.has(path) && foundDirs.some((d) => path.startsWith(d)))
      mark.run(path);
  }
}

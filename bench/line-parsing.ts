// Times the two ways of turning transcript lines into records, in one process, over every
// .jsonl file under each corpus dir: JSON.parse (decode + parse + recordsOfLine) against
// recordsOfLineBytes. Both run behind classifyLine, as in ingest. Not a test: the machine
// may be shared, so each pass runs 3 times and the best time is reported.
//   npx tsx bench/line-parsing.ts [DIR ...]   (default: bench/.corpus/ corpora)

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { classifyLine } from '../src/sources/transcripts/classify-line.js';
import { recordsOfLineBytes } from '../src/sources/transcripts/fast-records.js';
import { isObject } from '../src/sources/transcripts/json-fields.js';
import { recordsOfLine } from '../src/sources/transcripts/parse-record.js';
import { type LineVisitor, readCompleteLines } from '../src/sources/transcripts/read-lines.js';
import type { LineRecords } from '../src/sources/transcripts/records.js';

const RUNS = 3;
const DEFAULT_DIRS = ['bench/.corpus/assistant-heavy-500MB-1', 'bench/.corpus/realistic-1GB-1'];

function* jsonlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonlFiles(path);
    else if (entry.name.endsWith('.jsonl')) yield path;
  }
}

function viaJsonParse(buf: Buffer, start: number, end: number): LineRecords | null {
  try {
    const value: unknown = JSON.parse(buf.toString('utf8', start, end));
    return isObject(value) ? recordsOfLine(value) : null;
  } catch {
    return null;
  }
}

type Parse = (buf: Buffer, start: number, end: number) => LineRecords | null;

/** Milliseconds to read every file and parse the lines classifyLine keeps (none for null). */
function timePass(files: string[], parse: Parse | null): { ms: number; responses: number } {
  const shared = { buffer: Buffer.allocUnsafe(1 << 20) };
  let responses = 0;
  const visit: LineVisitor = (buf, start, end) => {
    if (parse === null || classifyLine(buf, start, end).kind !== 'parse') return;
    if (parse(buf, start, end)?.response) responses++;
  };
  const started = performance.now();
  for (const path of files) readCompleteLines(path, 0, 1, visit, shared);
  return { ms: performance.now() - started, responses };
}

const dirs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_DIRS;
for (const dir of dirs) {
  if (!existsSync(dir)) {
    console.log(`${dir}: not found, skipped`);
    continue;
  }
  const files = [...jsonlFiles(dir)];
  const passes = { 'read lines only': null, 'JSON.parse': viaJsonParse, recordsOfLineBytes };
  const best: Record<string, number> = {};
  const responses: Record<string, number> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const [name, parse] of Object.entries(passes)) {
      const r = timePass(files, parse);
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, r.ms);
      responses[name] = r.responses;
    }
  }
  const floor = best['read lines only'] ?? 0;
  const slow = (best['JSON.parse'] ?? 0) - floor;
  const fast = (best.recordsOfLineBytes ?? 0) - floor;
  console.log(`${dir} (${files.length} files), best of ${RUNS}:`);
  for (const [name, ms] of Object.entries(best))
    console.log(
      `  ${name.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  ${responses[name]} responses`,
    );
  console.log(
    `  time above reading (classifyLine + parse): ${slow.toFixed(0)} ms -> ${fast.toFixed(0)} ms`,
  );
  console.log(
    `  speedup: ${(slow / fast).toFixed(1)}x on parsing, ${((best['JSON.parse'] ?? 0) / (best.recordsOfLineBytes ?? 1)).toFixed(1)}x overall`,
  );
}

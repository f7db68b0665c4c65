import { cpSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { discoverTranscripts } from '../../src/sources/transcripts/discover.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import { type Db, openStore } from '../../src/store/open-store.js';
import { usageRows } from '../../src/store/usage-queries.js';
import { tempDir } from '../helpers/store.js';
import { RUNS } from '../helpers/truth.js';

const allFiles = discoverTranscripts(projectsDirs(RUNS.map((r) => r.dir))).files;
const truth = RUNS.flatMap((r) => r.transcripts);
const want = {
  responses: truth.reduce((a, m) => a + m.responses, 0),
  input: truth.reduce((a, m) => a + m.input, 0),
  output: truth.reduce((a, m) => a + m.output, 0),
  cacheRead: truth.reduce((a, m) => a + m.cacheRead, 0),
  cacheCreation: truth.reduce((a, m) => a + m.cacheCreation, 0),
  costNanos: Math.round(truth.reduce((a, m) => a + m.cost, 0) * 1e9),
};

/** Messages by role and tool uses: what the store keeps besides usage, each once by its key. */
function activityCounts(db: Db): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { role, n } of db
    .prepare<[], { role: string; n: number }>(
      'SELECT role, count(*) AS n FROM messages GROUP BY role',
    )
    .all()) {
    counts[`messages:${role}`] = n;
  }
  counts.toolUses =
    db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tool_uses').get()?.n ?? 0;
  return counts;
}

/** Every tool use as stored (name, session, time, outcome, lines), by id. */
function toolRows(db: Db): unknown[] {
  return db
    .prepare(
      'SELECT id, name, session_id, ts, outcome, lines_added, lines_removed FROM tool_uses ORDER BY id',
    )
    .all();
}

/** The same files read one scan each: only the first scan is a bulk one. */
const oneByOne = (() => {
  const db = openStore(join(tempDir(), 'one-by-one.db'));
  for (const file of allFiles) ingestTranscripts(db, new PriceList(), [], { onlyFiles: [file] });
  const result = { activity: activityCounts(db), tools: toolRows(db) };
  db.close();
  return result;
})();
const wantActivity = oneByOne.activity;

describe('a first scan in bulk', () => {
  it.each([1, 3, 1000])(
    'stores each tool use with its result as scans that upsert do, flushing every %i responses',
    (flushEvery) => {
      const db = openStore(join(tempDir(), 'bulk.db'));
      ingestTranscripts(db, new PriceList(), [], { onlyFiles: allFiles, flushEvery });
      const tools = toolRows(db);
      db.close();
      expect(tools.length).toBeGreaterThanOrEqual(20);
      expect(tools.some((t) => (t as { outcome: string | null }).outcome === 'rejected')).toBe(
        true,
      );
      expect(tools).toEqual(oneByOne.tools);
    },
  );
});

describe('order and copies change no total', () => {
  it('any file order, any duplicated files, any split into scans', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(allFiles, { minLength: allFiles.length, maxLength: allFiles.length }),
        fc.subarray(allFiles),
        fc.integer({ min: 1, max: 4 }),
        (order, duplicated, scans) => {
          const config = tempDir();
          // Copies land in another project folder, as resumed sessions and subagents do.
          const copies = duplicated.map((file, i) => {
            const target = join(
              config,
              'projects',
              `-copy-${i}`,
              basename(dirname(file)),
              basename(file),
            );
            mkdirSync(dirname(target), { recursive: true });
            cpSync(file, target);
            return target;
          });
          const files = [...order, ...copies];
          const db = openStore(join(tempDir(), 'ccmon.db'));
          const prices = new PriceList();
          const size = Math.ceil(files.length / scans);
          for (let i = 0; i < files.length; i += size) {
            ingestTranscripts(db, prices, [], { onlyFiles: files.slice(i, i + size) });
          }
          const [got] = usageRows(db, { view: 'transcripts', mode: 'auto' }, {});
          const activity = activityCounts(db);
          db.close();
          expect(activity).toEqual(wantActivity);
          expect({
            responses: got?.responses,
            input: got?.input,
            output: got?.output,
            cacheRead: got?.cacheRead,
            cacheCreation: got?.cacheCreation,
            costNanos: got?.costNanos,
          }).toEqual(want);
        },
      ),
      { numRuns: 25 },
    );
  });
});

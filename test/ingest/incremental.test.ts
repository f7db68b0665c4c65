import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import { openStore } from '../../src/store/open-store.js';
import { usageRows } from '../../src/store/usage-queries.js';
import { tempDir } from '../helpers/store.js';
import { NEW_RUNS, OLD_RUNS } from '../helpers/truth.js';

const SESSION = '40cc3d35-1f79-4f50-aeaa-aa12c8ad8533';
const PROJECT = '-home-dev-projects-json-tools-work';
const source = join(NEW_RUNS, 'json-tools/projects', PROJECT, `${SESSION}.jsonl`);

function setup() {
  const config = tempDir();
  const dir = join(config, 'projects', PROJECT);
  mkdirSync(dir, { recursive: true });
  const db = openStore(join(tempDir(), 'ccmon.db'));
  const prices = new PriceList();
  const scan = () => ingestTranscripts(db, prices, projectsDirs([config]));
  const totals = () => usageRows(db, { view: 'transcripts', mode: 'auto' }, {})[0];
  return { dir, db, scan, totals, file: join(dir, `${SESSION}.jsonl`) };
}

const lines = readFileSync(source, 'utf8').split('\n').filter(Boolean);

describe('incremental reading', () => {
  it('a second run reads only new bytes', () => {
    const { file, scan, totals } = setup();
    writeFileSync(file, `${lines.join('\n')}\n`);
    const first = scan();
    expect(first.bytes).toBeGreaterThan(0);
    const second = scan();
    expect(second.filesRead).toBe(0);
    expect(second.bytes).toBe(0);
    expect(totals()?.output).toBe(69);
  });

  it('a half-written last line is not consumed until it is complete', () => {
    const { file, scan, totals } = setup();
    const last = lines.findLastIndex((l) => l.includes('"type":"assistant"'));
    const before = lines.slice(0, last);
    const line = lines[last] ?? '';
    writeFileSync(file, `${before.join('\n')}\n${line.slice(0, 200)}`);
    scan();
    expect(totals()?.responses).toBe(2);
    appendFileSync(file, `${line.slice(200)}\n${lines.slice(last + 1).join('\n')}\n`);
    const stats = scan();
    expect(stats.malformed).toBe(0);
    expect(totals()?.responses).toBe(3);
    expect(totals()?.output).toBe(69);
  });

  it("the scan's count of responses: each once, however its copies fall between flushes", () => {
    const { file, db, scan } = setup();
    writeFileSync(file, `${lines.join('\n')}\n`);
    // One line per flush: the lines of one response are written by different flushes.
    const first = ingestTranscripts(db, new PriceList(), projectsDirs([join(file, '../../..')]), {
      flushEvery: 1,
    });
    expect(first.responseLines).toBeGreaterThan(3);
    expect(first.responses).toBe(3);
    expect(first.duplicates).toBe(first.responseLines - 3);
    // Read again (a new inode): nothing is new.
    writeFileSync(`${file}.tmp`, readFileSync(file));
    renameSync(`${file}.tmp`, file);
    const again = scan();
    expect(again.filesReset).toBe(1);
    expect(again.responses).toBe(0);
  });

  it('a truncated file is re-read without counting anything twice', () => {
    const { file, scan, totals } = setup();
    writeFileSync(file, `${lines.join('\n')}\n`);
    scan();
    writeFileSync(file, `${lines.slice(0, 25).join('\n')}\n`);
    const stats = scan();
    expect(stats.filesReset).toBe(1);
    // History stays: what was read before is not lost when the file shrinks.
    expect(totals()?.responses).toBe(3);
    expect(totals()?.output).toBe(69);
  });

  it('a replaced file (new inode) is re-read without double counting', () => {
    const { file, dir, scan, totals } = setup();
    writeFileSync(file, `${lines.slice(0, 25).join('\n')}\n`);
    scan();
    const tmp = join(dir, 'replacement.tmp');
    writeFileSync(tmp, `${lines.join('\n')}\n`);
    renameSync(tmp, file);
    const stats = scan();
    expect(stats.filesReset).toBe(1);
    expect(totals()?.responses).toBe(3);
    expect(totals()?.output).toBe(69);
  });

  it('a deleted transcript keeps its history', () => {
    const { file, scan, totals, db } = setup();
    writeFileSync(file, `${lines.join('\n')}\n`);
    scan();
    rmSync(file);
    scan();
    expect(totals()?.responses).toBe(3);
    const row = db.prepare<[], { missing: number }>('SELECT missing FROM files').get();
    expect(row?.missing).toBe(1);
  });

  it('malformed lines are counted with file and line number and do not stop ingestion', () => {
    const { file, scan, totals, db } = setup();
    const broken = [...lines];
    broken.splice(3, 0, '{"parentUuid":"x","message":{"id":"msg_broken"', 'not json at all');
    writeFileSync(file, `${broken.join('\n')}\n`);
    const stats = scan();
    expect(stats.malformed).toBe(2);
    expect(stats.errors[0]).toContain(`${file}:4:`);
    expect(stats.errors[1]).toContain(`${file}:5:`);
    expect(totals()?.output).toBe(69);
    const logged = db.prepare<[], { location: string }>('SELECT location FROM ingest_errors').all();
    expect(logged.map((e) => e.location)).toEqual([`${file}:4`, `${file}:5`]);
  });

  it('unknown line types are skipped and counted by type', () => {
    const { file, scan, totals } = setup();
    writeFileSync(
      file,
      `${lines.join('\n')}\n{"type":"future-thing","x":1}\n{"type":"future-thing"}\n`,
    );
    const stats = scan();
    expect(stats.unknownTypes).toEqual({ 'future-thing': 2 });
    expect(totals()?.responses).toBe(3);
  });
});

describe('dedup by the response identity', () => {
  it('1.0.x --continue copies without requestId count once (4 responses, not 7)', () => {
    const { scan, totals } = setup();
    void scan;
    const db = openStore(join(tempDir(), 'ccmon.db'));
    ingestTranscripts(db, new PriceList(), projectsDirs([join(OLD_RUNS, '1.0.70-json-continue')]));
    const [t] = usageRows(db, { view: 'transcripts', mode: 'auto' }, {});
    expect(t?.responses).toBe(4);
    void totals;
  });

  it('a transcript copied into another project folder changes no total', () => {
    const config = tempDir();
    cpSync(join(NEW_RUNS, 'json-agent'), config, { recursive: true });
    const copyDir = join(config, 'projects', '-somewhere-else');
    cpSync(join(config, 'projects', '-home-dev-projects-json-agent-work'), copyDir, {
      recursive: true,
    });
    const db = openStore(join(tempDir(), 'ccmon.db'));
    const stats = ingestTranscripts(db, new PriceList(), projectsDirs([config]));
    expect(stats.duplicates).toBeGreaterThan(0);
    const [t] = usageRows(db, { view: 'transcripts', mode: 'auto' }, {});
    expect(t?.responses).toBe(3);
    expect(t?.costNanos).toBe(121_195_950);
  });
});

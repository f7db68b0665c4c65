import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/store/open-store.js';
import { tempDir } from '../helpers/store.js';

describe('the store file', () => {
  it('is created with its folders, in WAL mode, at the latest schema', () => {
    const path = join(tempDir(), 'deep', 'er', 'ccmon.db');
    const db = openStore(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(db.pragma('user_version', { simple: true }))).toBeGreaterThan(0);
    db.close();
  });

  it('a corrupt file is refused with a message naming it, and left untouched', () => {
    const path = join(tempDir(), 'ccmon.db');
    writeFileSync(path, 'this is not a database, but someone cares about it\n'.repeat(100));
    const before = readFileSync(path);
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a SQLite file with damaged pages is refused and left untouched', () => {
    const path = join(tempDir(), 'ccmon.db');
    openStore(path).close();
    const bytes = readFileSync(path);
    bytes.fill(0xab, 100, Math.min(bytes.length, 4096 * 3));
    writeFileSync(path, bytes);
    expect(() => openStore(path)).toThrow(/ccmon\.db/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a store written by a newer ccmon is refused, not migrated down', () => {
    const path = join(tempDir(), 'ccmon.db');
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openStore(path)).toThrow(/newer ccmon/);
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });
});

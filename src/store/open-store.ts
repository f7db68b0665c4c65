import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export class StoreError extends Error {}

/** `--db`, else `CCMON_DB`, else `$XDG_DATA_HOME/claude-monitoring/ccmon.db`. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CCMON_DB) return env.CCMON_DB;
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'claude-monitoring', 'ccmon.db');
}

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * SQLite's page cache of a short run (a scan, a report), in KiB. A first scan
 * appends rows and builds its indexes once at the end, so a bigger cache
 * measured no faster, only bigger: at 128 MiB a 500 MB transcript corpus
 * peaked about 50 MB higher.
 */
const SCAN_CACHE_KIB = 16 * 1024;
/** A long-running process's page cache: reads over long ranges measured no slower (the OS caches the file). */
const STEADY_CACHE_KIB = 32 * 1024;

/** Sets a long-running process's page cache once its first scan is done. */
export function useSteadyCache(db: Db): void {
  db.pragma(`cache_size = -${STEADY_CACHE_KIB}`);
}

/**
 * Opens (creating if needed) and migrates the store. A file that is not a
 * SQLite database, or that a newer ccmon wrote, is refused with a message
 * naming it; it is never overwritten.
 */
export function openStore(path: string, options: { readonly?: boolean } = {}): Db {
  if (path !== ':memory:') {
    if (existsSync(path)) assertSqliteFile(path);
    else mkdirSync(dirname(path), { recursive: true });
  }
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly === true, fileMustExist: false });
  } catch (error) {
    throw new StoreError(`cannot open the store ${path}: ${(error as Error).message}`);
  }
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${SCAN_CACHE_KIB}`);
    // temp_store stays FILE (the default): small temporary tables stay in memory
    // anyway, and the sorts at the end of a first scan (index builds, rollup
    // fills), held in memory, raised its peak by about 14 MB for no measurable gain.
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > MIGRATIONS.length) {
      throw new StoreError(
        `the store ${path} was written by a newer ccmon (schema ${version}, this one knows ${MIGRATIONS.length}); upgrade ccmon or pass --db with another file`,
      );
    }
    if (version < MIGRATIONS.length && !options.readonly) migrate(db, version);
    // Reading the schema touches the file's first pages: a damaged file fails
    // here, at once, rather than on some later query. (A full quick_check
    // would read the whole store on every start.)
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      `the store ${path} cannot be used: ${(error as Error).message}. It was left untouched; move it away or pass --db with another file`,
    );
  }
  return db;
}

function assertSqliteFile(path: string): void {
  let header: string;
  try {
    const fd = openSync(path, 'r');
    const bytes = Buffer.alloc(16);
    const n = readSync(fd, bytes, 0, 16, 0);
    closeSync(fd);
    header = bytes.toString('latin1', 0, n);
  } catch (error) {
    throw new StoreError(`cannot read the store ${path}: ${(error as Error).message}`);
  }
  if (header.length > 0 && header !== SQLITE_HEADER) {
    throw new StoreError(
      `the store ${path} is not a SQLite database (corrupt or another file). It was left untouched; move it away or pass --db with another file`,
    );
  }
}

function migrate(db: Db, from: number): void {
  const run = db.transaction(() => {
    for (let v = from; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    }
  });
  run();
}

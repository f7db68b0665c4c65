import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import { type Db, openStore } from '../../src/store/open-store.js';

export function tempDir(prefix = 'ccmon-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh store in a temp dir, with the given Claude config dirs ingested. */
export function storeWith(
  configDirs: string[],
  prices = new PriceList(),
): { db: Db; path: string } {
  const path = join(tempDir(), 'ccmon.db');
  const db = openStore(path);
  if (configDirs.length > 0) ingestTranscripts(db, prices, projectsDirs(configDirs));
  return { db, path };
}

import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectsDir } from './config-dirs.js';

export interface DiscoveryProblem {
  dir: string;
  message: string;
}

export interface Discovered {
  files: string[];
  problems: DiscoveryProblem[];
  /** Dirs that exist and were read. */
  found: string[];
}

/** Every `*.jsonl` under each projects dir, subagent folders included. Unreadable dirs are reported, not fatal. */
export function discoverTranscripts(dirs: readonly ProjectsDir[]): Discovered {
  const result: Discovered = { files: [], problems: [], found: [] };
  for (const dir of dirs) {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir.path, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'does not exist'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? String(error)})`;
      result.problems.push({ dir: dir.path, message: `${dir.path} (${dir.origin}) ${why}` });
      continue;
    }
    result.found.push(dir.path);
    walk(dir.path, entries, result);
  }
  result.files.sort();
  return result;
}

function walk(path: string, entries: Dirent[], result: Discovered): void {
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      try {
        walk(full, readdirSync(full, { withFileTypes: true }), result);
      } catch (error) {
        result.problems.push({
          dir: full,
          message: `${full} cannot be read: ${(error as Error).message}`,
        });
      }
    } else if (entry.name.endsWith('.jsonl') && (entry.isFile() || entry.isSymbolicLink())) {
      result.files.push(full);
    }
  }
}

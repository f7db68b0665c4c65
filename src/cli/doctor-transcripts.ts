import { accessSync, constants, existsSync } from 'node:fs';
import type { ProjectsDir } from '../sources/transcripts/config-dirs.js';
import { discoverTranscripts } from '../sources/transcripts/discover.js';
import { type Check, check } from './doctor-check.js';

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function listed(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/**
 * Transcripts are found and readable. A default dir that does not exist is
 * normal (only one of ~/.claude and ~/.config/claude is usually there); a
 * dir that was asked for by name, or that exists but cannot be read, is not.
 */
export function checkTranscripts(dirs: readonly ProjectsDir[]): Check {
  const name = 'transcripts';
  const found = discoverTranscripts(dirs);
  const unreadableDirs = found.problems.filter((p) => existsSync(p.dir)).map((p) => p.dir);
  const missingAsked = dirs
    .filter((d) => d.origin !== 'default' && d.origin !== 'XDG_CONFIG_HOME')
    .filter((d) => found.problems.some((p) => p.dir === d.path) && !existsSync(d.path))
    .map((d) => `${d.path} (${d.origin})`);
  const unreadableFiles = found.files.filter((f) => !readable(f));
  const readableCount = found.files.length - unreadableFiles.length;

  const problems: string[] = [];
  if (unreadableDirs.length > 0) problems.push(`cannot read ${listed(unreadableDirs)}`);
  if (unreadableFiles.length > 0)
    problems.push(`cannot read ${unreadableFiles.length} files: ${listed(unreadableFiles)}`);
  if (missingAsked.length > 0) problems.push(`${listed(missingAsked)} does not exist`);
  const permissionFix =
    'give your user read access (e.g. `chmod -R u+rX DIR`), or run ccmon as the user that runs Claude Code';

  if (readableCount === 0) {
    const where = listed(
      dirs.map((d) => d.path),
      4,
    );
    return check(
      name,
      'fail',
      `no readable transcript in ${where}${problems.length > 0 ? `: ${problems.join('; ')}` : ''}`,
      unreadableDirs.length + unreadableFiles.length > 0
        ? permissionFix
        : 'use Claude Code once (it writes <config dir>/projects/), or point ccmon at your config dir with --claude-dir DIR or CLAUDE_CONFIG_DIR=DIR',
    );
  }
  const files = `${readableCount} transcript file${readableCount === 1 ? '' : 's'} in ${listed(found.found)}`;
  if (problems.length > 0) {
    return check(
      name,
      'warn',
      `${files}, but ${problems.join('; ')}`,
      missingAsked.length > 0 && unreadableDirs.length + unreadableFiles.length === 0
        ? 'fix the path given with --claude-dir or CLAUDE_CONFIG_DIR'
        : permissionFix,
    );
  }
  return check(name, 'ok', files);
}

import { existsSync } from 'node:fs';
import { type FSWatcher, watch } from 'chokidar';
import type { ProjectsDir } from './config-dirs.js';

export interface TranscriptWatcher {
  /** Resolves once every existing folder is watched. */
  ready: Promise<void>;
  /** Starts watching config dirs that did not exist before (Claude Code's first run). */
  refresh(): void;
  close(): Promise<void>;
}

/**
 * Calls `onChange` with the transcripts that were added or grew, batched over
 * `debounceMs`, so a line Claude Code writes reaches the store within a
 * moment. New project folders are picked up as they appear.
 */
export function watchTranscripts(
  dirs: readonly ProjectsDir[],
  onChange: (files: string[]) => void,
  debounceMs = 150,
): TranscriptWatcher {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const files = [...changed];
    changed.clear();
    if (files.length > 0) onChange(files);
  };
  const note = (path: string) => {
    if (!path.endsWith('.jsonl')) return;
    changed.add(path);
    timer ??= setTimeout(flush, debounceMs);
  };
  const watched = new Set(dirs.map((d) => d.path).filter((p) => existsSync(p)));
  const watcher: FSWatcher = watch([...watched], {
    ignoreInitial: true,
    persistent: true,
    // Transcripts are appended to in place; polling would cost far more.
    usePolling: false,
  });
  watcher.on('add', note).on('change', note);
  watcher.on('error', (error) =>
    process.stderr.write(`warning: watching transcripts: ${String(error)}\n`),
  );
  // With nothing to watch yet, chokidar never reports ready.
  const ready =
    watched.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    refresh() {
      for (const dir of dirs) {
        if (!watched.has(dir.path) && existsSync(dir.path)) {
          watched.add(dir.path);
          watcher.add(dir.path);
        }
      }
    },
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

import {
  constants,
  copyFileSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { projectsDirs } from '../sources/transcripts/config-dirs.js';
import { UsageError } from './context.js';

export type JsonObject = { [key: string]: unknown };

/** A Claude Code settings file that cannot be read, used or written. */
export class SettingsError extends UsageError {}

/** One settings.json as read: its text ('' when missing) and its parsed object. */
export interface ClaudeSettings {
  path: string;
  exists: boolean;
  text: string;
  settings: JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The user's settings.json: in `claudeDir`, else in the first dir of
 * `CLAUDE_CONFIG_DIR`, else in `~/.claude`.
 */
export function userSettingsPath(
  claudeDir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const configDir =
    claudeDir ?? env.CLAUDE_CONFIG_DIR?.split(',').find((d) => d.trim() !== '') ?? '~/.claude';
  // projectsDirs expands `~` and resolves the dir the same way every other command does.
  const [projects] = projectsDirs([configDir], env);
  return join(dirname(projects?.path ?? configDir), 'settings.json');
}

/** Where an organization's managed settings live; they override the user's. */
export function managedSettingsPath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return '/Library/Application Support/ClaudeCode/managed-settings.json';
  if (platform === 'win32') return 'C:\\ProgramData\\ClaudeCode\\managed-settings.json';
  return '/etc/claude-code/managed-settings.json';
}

/** Reads and parses a settings file; a missing file reads as `{}`. */
export function readSettings(path: string): ClaudeSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path, exists: false, text: '', settings: {} };
    throw new SettingsError(`cannot read ${path}: ${(error as Error).message}`);
  }
  // Editors on Windows may write a byte-order mark, which JSON.parse refuses.
  const json = text.replace(/^\uFEFF/, '');
  if (json.trim() === '') return { path, exists: true, text, settings: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new SettingsError(
      `${path} is not valid JSON (${(error as Error).message}); fix the file or move it away`,
    );
  }
  if (!isJsonObject(parsed)) {
    throw new SettingsError(
      `${path} holds JSON but not an object ({...}); fix the file or move it away`,
    );
  }
  return { path, exists: true, text, settings: parsed };
}

/** The `env` block, refused when it is there but not an object. */
function envBlock(file: ClaudeSettings): JsonObject {
  const env = file.settings.env;
  if (env === undefined) return {};
  if (!isJsonObject(env)) {
    throw new SettingsError(`"env" in ${file.path} is not an object of variables; fix it by hand`);
  }
  return env;
}

/** The `env` block as strings; numbers and booleans are turned into text as Claude Code does. */
export function settingsEnv(file: ClaudeSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(envBlock(file))) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
}

/** The settings with `env` merged into their `env` block; every other key and variable is kept, in place. */
export function withEnv(file: ClaudeSettings, env: Record<string, string>): JsonObject {
  return { ...file.settings, env: { ...envBlock(file), ...env } };
}

/** `settings` as text in the file's own style: its indentation and line endings. */
export function settingsText(settings: JsonObject, like: string): string {
  const indent = /^([ \t]+)\S/m.exec(like)?.[1] ?? '  ';
  const text = `${JSON.stringify(settings, null, indent)}\n`;
  return like.includes('\r\n') ? text.replace(/\n/g, '\r\n') : text;
}

function stamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

/** Copies `path` to `path.bak-<local time>` (never over an earlier backup) and returns the copy's path. */
export function backupSettings(path: string, now: Date): string {
  const base = `${path}.bak-${stamp(now)}`;
  for (let n = 1; ; n++) {
    const backup = n === 1 ? base : `${base}-${n}`;
    try {
      copyFileSync(path, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SettingsError(
          `cannot back up ${path} to ${backup}: ${(error as Error).message}; nothing was written`,
        );
      }
    }
  }
}

/**
 * Replaces the file's content in one step (temp file, then rename), so that a
 * crash never leaves half a settings.json. A symlinked file (dotfiles) is
 * written through the link; the file keeps its permissions, a new one is 0600.
 */
export function writeSettings(file: ClaudeSettings, text: string): void {
  const target = file.exists ? realpathSync(file.path) : file.path;
  const tmp = `${target}.ccmon-${process.pid}.tmp`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    const mode = file.exists ? statSync(target).mode & 0o777 : 0o600;
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new SettingsError(`cannot write ${file.path}: ${(error as Error).message}`);
  }
}

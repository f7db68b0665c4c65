import { existsSync, statSync } from 'node:fs';
import { lastDataTimes } from '../store/dashboard-queries.js';
import { MIGRATIONS } from '../store/migrations.js';
import { type Db, openStore } from '../store/open-store.js';
import { type Check, check } from './doctor-check.js';

const DAY_MS = 24 * 3600_000;

function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** When the newest event or metric arrived; undefined when the store cannot say (an older schema). */
function lastTelemetry(db: Db): number | null | undefined {
  try {
    return lastDataTimes(db).telemetryMs;
  } catch {
    return undefined;
  }
}

/**
 * Opens the store read-only, as ccmon would, and reports its schema and size.
 * Also returns when it last received telemetry, when it can tell.
 */
export function checkStore(path: string): { check: Check; lastTelemetryMs?: number | null } {
  const name = 'store';
  if (!existsSync(path)) {
    return {
      check: check(
        name,
        'warn',
        `no store at ${path} yet`,
        'run `ccmon scan` (or `ccmon serve`) to create it from the transcripts',
      ),
    };
  }
  try {
    const db = openStore(path, { readonly: true });
    try {
      const version = Number(db.pragma('user_version', { simple: true }));
      const size = megabytes(fileBytes(path) + fileBytes(`${path}-wal`));
      const state =
        version < MIGRATIONS.length
          ? `schema ${version}; the next \`ccmon scan\` or \`ccmon serve\` upgrades it to ${MIGRATIONS.length}`
          : `schema ${version} (current)`;
      return {
        check: check(name, 'ok', `${path}: ${state}, ${size}`),
        ...(version > 0 ? { lastTelemetryMs: lastTelemetry(db) } : {}),
      };
    } finally {
      db.close();
    }
  } catch (error) {
    const message = (error as Error).message;
    const fix = /newer ccmon/.test(message)
      ? 'upgrade ccmon, or pass --db with another file'
      : `move it away (it is left untouched) and run \`ccmon scan\` to build a new one from the transcripts; telemetry received before is not in the transcripts. Or pass --db with another file`;
    return { check: check(name, 'fail', message, fix) };
  }
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute ago';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** Whether OpenTelemetry data arrived in the last 24 hours, by the time of the newest event or metric. */
export function checkRecentTelemetry(
  last: { ms: number | null; from: string } | undefined,
  now: number,
): Check {
  const name = 'recent telemetry';
  const fix =
    'run `ccmon setup`, restart Claude Code and keep `ccmon serve` (or the stack) running; `ccmon doctor` then shows where it stops';
  if (last === undefined) {
    return check(
      name,
      'warn',
      'cannot tell: ccmon serve is not running and the store cannot say',
      fix,
    );
  }
  if (last.ms === null) {
    return check(
      name,
      'warn',
      `no OpenTelemetry event or metric ever received (${last.from})`,
      fix,
    );
  }
  const when = `${new Date(last.ms).toISOString()}, ${ago(now - last.ms)}`;
  return now - last.ms <= DAY_MS
    ? check(name, 'ok', `last received ${when} (${last.from})`)
    : check(name, 'warn', `nothing in the last 24 h: last received ${when} (${last.from})`, fix);
}

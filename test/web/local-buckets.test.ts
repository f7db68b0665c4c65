import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MessageRow, messageCounts } from '../../src/store/dashboard-queries.js';
import { type UsageFilter, usageRows } from '../../src/store/usage-queries.js';
import {
  LocalBuckets,
  localMessageCounts,
  localSessions,
  localUsageRows,
} from '../../src/views/web/local-buckets.js';
import { storeWith } from '../helpers/store.js';
import { configDirWith, USER_LINE } from '../reports/synth-transcript.js';

// Every 7 minutes for 40 hours across the 2026 end of US daylight time (Nov 1, 06:00 UTC).
const START = Date.parse('2026-10-31T07:03:10Z');
const TIMES = Array.from({ length: 343 }, (_, i) => new Date(START + i * 7 * 60_000).toISOString());

/** Tokens and responses per local bucket, from rows of any grouping. */
function perBucket(
  rows: { bucket: number; responses: number; input: number; output: number; cacheRead: number }[],
  buckets: LocalBuckets,
): number[][] {
  const out = buckets.starts.map(() => [0, 0]);
  for (const r of rows) {
    const i = buckets.indexOf(r.bucket);
    const sums = out[i];
    if (!sums) continue;
    sums[0] = (sums[0] ?? 0) + r.responses;
    sums[1] = (sums[1] ?? 0) + r.input + r.output + r.cacheRead;
  }
  return out;
}

/** The synthetic transcript with a new session every 40 responses (4 h 40 min). */
function configDirWithSessions(): string {
  const dir = configDirWith(TIMES);
  const file = join(dir, 'projects', '-home-dev-projects-demo', 'synth-session.jsonl');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const userLine = USER_LINE;
  if (userLine === undefined) throw new Error('no user line in the synthetic transcript source');
  // And a prompt before every third response, at the same time.
  const withPrompts = lines.flatMap((line, i) => {
    const session = `"sessionId":"synth-${Math.floor(i / 40)}"`;
    const response = line.replace('"sessionId":"synth-session"', session);
    if (i % 3 !== 0) return [response];
    const prompt = userLine
      .replace(/"sessionId":"[^"]*"/, session)
      .replace(/"uuid":"[^"]*"/, `"uuid":"synth-prompt-${i}"`)
      .replace(/"timestamp":"[^"]*"/, `"timestamp":"${TIMES[i]}"`);
    return [prompt, response];
  });
  writeFileSync(file, `${withPrompts.join('\n')}\n`);
  return dir;
}

/** Distinct sessions per local bucket. */
function sessionCounts(rows: { bucket: number; sessionId: string }[], buckets: LocalBuckets) {
  const sets = buckets.starts.map(() => new Set<string>());
  for (const r of rows) if (r.sessionId !== '') sets[buckets.indexOf(r.bucket)]?.add(r.sessionId);
  return sets.map((s) => s.size);
}

/** Messages per local bucket. */
function messagesPerBucket(rows: MessageRow[], buckets: LocalBuckets): number[] {
  const out = buckets.zeros();
  for (const r of rows) {
    const i = buckets.indexOf(r.bucket);
    if (i >= 0) out[i] = (out[i] ?? 0) + r.count;
  }
  return out;
}

describe('local hours and days grouped by SQLite', () => {
  const { db } = storeWith([configDirWithSessions()]);
  const base: UsageFilter = { view: 'transcripts', mode: 'calculate' };

  for (const timezone of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Eucla']) {
    for (const unit of ['hour', 'day'] as const) {
      it(`${unit}s in ${timezone}, closed and open ranges, off the quarter hour`, () => {
        const fromMs = START + 95 * 60_000 + 1;
        for (const toMs of [START + 31 * 3_600_000 + 7_000, undefined]) {
          // An open range ends "now", before the last responses (a clock ahead):
          // they still count in the last bucket, where per-minute sums put them.
          const endMs = toMs ?? START + 30 * 3_600_000 + 1_234;
          const buckets = new LocalBuckets(fromMs, endMs, unit, timezone);
          const filter = { ...base, fromMs, toMs };
          const expected = perBucket(usageRows(db, filter, { bucketMs: 60_000 }), buckets);
          expect(expected.flat().some((n) => n > 0)).toBe(true);
          expect(perBucket(localUsageRows(db, filter, {}, buckets), buckets)).toEqual(expected);
          // Active sessions: keys only, cut the same way.
          const sessions = sessionCounts(
            usageRows(db, filter, { session: true, bucketMs: 60_000 }),
            buckets,
          );
          expect(Math.max(...sessions)).toBeGreaterThan(1);
          expect(sessionCounts(localSessions(db, filter, buckets), buckets)).toEqual(sessions);
          // Messages by role, from their own table, cut the same way.
          const messages = messagesPerBucket(
            messageCounts(db, filter, { bucketMs: 60_000 }),
            buckets,
          );
          expect(messages.some((n) => n > 0)).toBe(true);
          expect(messagesPerBucket(localMessageCounts(db, filter, buckets), buckets)).toEqual(
            messages,
          );
        }
      });
    }
  }
});

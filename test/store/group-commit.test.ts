import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { decodeLogs } from '../../src/sources/otlp/decode-logs.js';
import { decodeMetrics } from '../../src/sources/otlp/decode-metrics.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { type Db, openStore } from '../../src/store/open-store.js';
import { TelemetryWriter } from '../../src/store/telemetry-writer.js';
import { otlpBodiesOf, sendOtlp } from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/store.js';
import { NEW_RUNS } from '../helpers/truth.js';

// Four logs and six cumulative metrics export requests.
const RUN = `${NEW_RUNS}json-cumulative-slow`;

/** The run's bodies as the writes a receiver would queue, one per export request. */
function writesOf(writer: TelemetryWriter) {
  return otlpBodiesOf(RUN).map((body) =>
    body.signal === 'logs'
      ? () => writer.writeLogs(decodeLogs(body.json).records)
      : () => writer.writeMetrics(decodeMetrics(body.json).points),
  );
}

/** What a second connection (another process, a reader) sees committed. */
function committed(path: string) {
  const reader = new Database(path, { readonly: true });
  try {
    const count = (table: string) =>
      (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      events: count('events'),
      responses: count('responses'),
      series: count('metric_series'),
      points: count('metric_points'),
    };
  } finally {
    reader.close();
  }
}

/** The totals /metrics reads, as a second connection sees them committed. */
function telemetryTotals(path: string) {
  const reader = new Database(path, { readonly: true });
  try {
    return {
      events: reader
        .prepare(
          'SELECT name, model, a, b, c, le, count, duration_ms FROM event_totals ORDER BY 1, 2, 3, 4, 5, 6',
        )
        .all(),
      otel: reader
        .prepare(
          'SELECT name, unit, attrs, round(total, 9) AS total FROM otel_totals ORDER BY 1, 2, 3',
        )
        .all(),
    };
  } finally {
    reader.close();
  }
}

function store(): { db: Db; path: string } {
  const path = join(tempDir(), 'ccmon.db');
  return { db: openStore(path), path };
}

describe('group commit', () => {
  it('stores every concurrent request exactly once, as writing them one by one does', async () => {
    const one = store();
    sendOtlp(one.db, RUN);
    const expected = committed(one.path);
    expect(expected.events).toBeGreaterThan(0);

    const { db, path } = store();
    const commits = new GroupCommit(db);
    const writes = writesOf(new TelemetryWriter(db, new PriceList()));
    const pending = writes.map((write) => commits.run(write));
    // Nothing is committed until the batch is: an answer never runs ahead of the data.
    expect(committed(path).events).toBe(0);
    const results = await Promise.all(pending);
    expect(committed(path)).toEqual(expected);
    expect(results.reduce((sum, r) => sum + r.events, 0)).toBe(expected.events);

    // The same requests again (an exporter's retry) are all duplicates.
    const again = await Promise.all(writes.map((write) => commits.run(write)));
    expect(again.reduce((sum, r) => sum + r.events + r.points, 0)).toBe(0);
    expect(committed(path)).toEqual(expected);
  });

  it('a write that fails is rolled back alone; the rest of its batch is stored', async () => {
    const { db, path } = store();
    const commits = new GroupCommit(db);
    const writer = new TelemetryWriter(db, new PriceList());
    const [first, ...others] = otlpBodiesOf(RUN).filter((b) => b.signal === 'logs');
    if (first === undefined || others.length === 0) throw new Error(`${RUN} has too few logs`);
    const records = decodeLogs(first.json).records;
    const failing = commits.run(() => {
      writer.writeLogs(records);
      throw new Error('the disk is full');
    });
    const stored = others.map((body) =>
      commits.run(() => writer.writeLogs(decodeLogs(body.json).records)),
    );
    await expect(failing).rejects.toThrow('the disk is full');
    const events = (await Promise.all(stored)).reduce((sum, r) => sum + r.events, 0);
    expect(events).toBeGreaterThan(0);
    expect(committed(path).events).toBe(events);

    // The failed request, sent again, is stored: nothing of it was kept half-way.
    const retry = await commits.run(() => writer.writeLogs(records));
    expect(retry.events).toBe(records.length);
  });

  it('runs each write once when none fails, and again in its own savepoint only when one does', async () => {
    const { db, path } = store();
    const commits = new GroupCommit(db);
    const writer = new TelemetryWriter(db, new PriceList());
    const bodies = otlpBodiesOf(RUN).filter((b) => b.signal === 'logs');
    const runs = bodies.map(() => 0);
    const counted =
      (i: number, fail = false) =>
      () => {
        runs[i] = (runs[i] ?? 0) + 1;
        const result = writer.writeLogs(decodeLogs(bodies[i]?.json).records);
        if (fail) throw new Error('refused');
        return result;
      };
    await Promise.all(bodies.map((_, i) => commits.run(counted(i))));
    expect(runs.every((n) => n === 1)).toBe(true);
    const stored = committed(path).events;
    expect(stored).toBeGreaterThan(0);

    // A batch with a failing write: it and those before it run again, only it fails.
    db.exec('DELETE FROM events');
    runs.fill(0);
    const outcomes = await Promise.allSettled(
      bodies.map((_, i) => commits.run(counted(i, i === 1))),
    );
    expect(runs).toEqual(bodies.map((_, i) => (i <= 1 ? 2 : 1)));
    expect(outcomes.map((o) => o.status)).toEqual(
      bodies.map((_, i) => (i === 1 ? 'rejected' : 'fulfilled')),
    );
    const failedBody = bodies[1];
    if (!failedBody) throw new Error(`${RUN} has too few logs`);
    expect(committed(path).events).toBe(stored - decodeLogs(failedBody.json).records.length);
  });

  it('close() stores what is queued, and later writes are refused', async () => {
    const { db, path } = store();
    const commits = new GroupCommit(db);
    const pending = writesOf(new TelemetryWriter(db, new PriceList())).map((write) =>
      commits.run(write),
    );
    commits.close();
    db.close();
    const results = await Promise.all(pending);
    expect(committed(path).events).toBe(results.reduce((sum, r) => sum + r.events, 0));
    expect(committed(path).events).toBeGreaterThan(0);
    await expect(commits.run(() => 1)).rejects.toThrow('closed');
  });

  it('while another process holds the write lock, the batch fails whole and the next one stores', async () => {
    const { db, path } = store();
    db.pragma('busy_timeout = 0');
    const commits = new GroupCommit(db);
    const writes = writesOf(new TelemetryWriter(db, new PriceList()));
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run();
    const outcomes = await Promise.allSettled(writes.map((write) => commits.run(write)));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    other.prepare('ROLLBACK').run();
    other.close();
    expect(committed(path).events).toBe(0);

    await Promise.all(writes.map((write) => commits.run(write)));
    expect(committed(path).events).toBeGreaterThan(0);
  });
  it('telemetry totals caught up once per batch equal those kept write by write', async () => {
    const one = store();
    sendOtlp(one.db, RUN);
    const expected = telemetryTotals(one.path);
    expect(expected.events.length).toBeGreaterThan(0);
    expect(expected.otel.length).toBeGreaterThan(0);

    const { db, path } = store();
    const writer = new TelemetryWriter(db, new PriceList(), {
      storeContent: false,
      totalsPerTransaction: true,
    });
    const commits = new GroupCommit(db, writer.catchUpTotals);
    await Promise.all(writesOf(writer).map((write) => commits.run(write)));
    expect(telemetryTotals(path)).toEqual(expected);
    // Retried requests add nothing to them.
    await Promise.all(writesOf(writer).map((write) => commits.run(write)));
    expect(telemetryTotals(path)).toEqual(expected);
  });

  it('a batch that fails in its catch-up leaves data and totals as they were', async () => {
    const { db, path } = store();
    const writer = new TelemetryWriter(db, new PriceList(), {
      storeContent: false,
      totalsPerTransaction: true,
    });
    let failNext = true;
    const commits = new GroupCommit(db, () => {
      if (failNext) throw new Error('no space left');
      writer.catchUpTotals();
    });
    const first = await Promise.allSettled(writesOf(writer).map((write) => commits.run(write)));
    expect(first.every((o) => o.status === 'rejected')).toBe(true);
    expect(committed(path).events).toBe(0);
    expect(telemetryTotals(path)).toEqual({ events: [], otel: [] });

    failNext = false;
    await Promise.all(writesOf(writer).map((write) => commits.run(write)));
    const one = store();
    sendOtlp(one.db, RUN);
    expect(telemetryTotals(path)).toEqual(telemetryTotals(one.path));
  });
});

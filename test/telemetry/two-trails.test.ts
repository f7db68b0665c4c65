import { describe, expect, it } from 'vitest';
import { nanosToUsd } from '../../src/domain/money.js';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import type { Db } from '../../src/store/open-store.js';
import { usageRows } from '../../src/store/usage-queries.js';
import { sendOtlp } from '../helpers/otlp-bodies.js';
import { storeWith } from '../helpers/store.js';
import { type ModelTruth, RUNS } from '../helpers/truth.js';

function byModel(db: Db, view: 'both' | 'transcripts' | 'telemetry') {
  return usageRows(db, { view, mode: 'calculate' }, { model: true })
    .map((r) => ({
      model: r.model,
      responses: r.responses,
      input: r.input,
      output: r.output,
      cacheCreation: r.cacheCreation,
      cacheRead: r.cacheRead,
      cost: nanosToUsd(r.costNanos),
    }))
    .sort((a, b) => a.model.localeCompare(b.model));
}

const sorted = (rows: ModelTruth[]) => [...rows].sort((a, b) => a.model.localeCompare(b.model));

describe('one truth from two trails (view B)', () => {
  for (const run of RUNS) {
    it(`${run.run}: transcripts first, then telemetry`, () => {
      const { db } = storeWith([run.dir]);
      sendOtlp(db, run.dir);
      expect(byModel(db, 'both')).toEqual(sorted(run.both));
      // View A is unchanged by telemetry arriving.
      expect(byModel(db, 'transcripts')).toEqual(sorted(run.transcripts));
    });

    it(`${run.run}: telemetry first, then transcripts`, () => {
      const { db } = storeWith([]);
      sendOtlp(db, run.dir);
      ingestTranscripts(db, new PriceList(), projectsDirs([run.dir]));
      expect(byModel(db, 'both')).toEqual(sorted(run.both));
      expect(byModel(db, 'transcripts')).toEqual(sorted(run.transcripts));
    });
  }

  it('sending the same bodies twice changes nothing', () => {
    const run = RUNS.find((r) => r.run === '2.1.10-json-tools');
    if (!run) throw new Error('missing run');
    const { db } = storeWith([run.dir]);
    sendOtlp(db, run.dir);
    sendOtlp(db, run.dir);
    expect(byModel(db, 'both')).toEqual(sorted(run.both));
  });

  it('2.1.10 transcripts alone flag their outputs as understated; telemetry clears it', () => {
    const run = RUNS.find((r) => r.run === '2.1.10-json-tools');
    if (!run) throw new Error('missing run');
    const { db } = storeWith([run.dir]);
    const understated = () => usageRows(db, { view: 'both', mode: 'auto' }, {})[0]?.understated;
    expect(understated()).toBe(3);
    sendOtlp(db, run.dir);
    expect(understated()).toBe(0);
  });

  it('all runs, old and new, in one store give the sum of their truths', () => {
    const { db } = storeWith(RUNS.map((r) => r.dir));
    for (const run of RUNS) sendOtlp(db, run.dir);
    const [total] = usageRows(db, { view: 'both', mode: 'calculate' }, {});
    const all = RUNS.flatMap((r) => r.both);
    expect(total?.responses).toBe(all.reduce((a, m) => a + m.responses, 0));
    expect(total?.output).toBe(all.reduce((a, m) => a + m.output, 0));
    expect(total?.costNanos).toBe(Math.round(all.reduce((a, m) => a + m.cost, 0) * 1e9));
  });
});

describe("Claude Code's own metrics", () => {
  it('the cumulative run counts its repeated points once', () => {
    const run = RUNS.find((r) => r.run === 'json-cumulative-slow');
    if (!run) throw new Error('missing run');
    const { db } = storeWith([]);
    sendOtlp(db, run.dir);
    const tokens = db
      .prepare<[], { type: string; total: number }>(
        `SELECT json_extract(attrs, '$.type') AS type, sum(total) AS total FROM metric_series
         WHERE name = 'claude_code.token.usage' GROUP BY type ORDER BY type`,
      )
      .all();
    expect(tokens).toEqual([
      { type: 'cacheCreation', total: 16061 },
      { type: 'cacheRead', total: 30468 },
      { type: 'input', total: 16 },
      { type: 'output', total: 71 },
    ]);
    // They stay their own series: no response row comes from metrics.
    expect(usageRows(db, { view: 'both', mode: 'auto' }, {})[0]?.output).toBe(71);
  });
});

import { describe, expect, it } from 'vitest';
import { nanosToUsd } from '../../src/domain/money.js';
import { usageRows } from '../../src/store/usage-queries.js';
import { storeWith } from '../helpers/store.js';
import { RUNS } from '../helpers/truth.js';

describe('transcripts alone give each fixture run its README truth', () => {
  for (const run of RUNS) {
    it(run.run, () => {
      const { db } = storeWith([run.dir]);
      const rows = usageRows(db, { view: 'transcripts', mode: 'auto' }, { model: true });
      const got = rows
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
      const want = [...run.transcripts].sort((a, b) => a.model.localeCompare(b.model));
      expect(got).toEqual(want);
      db.close();
    });
  }

  it("matches Claude Code's own cost-state total for every 2.1.330 session", () => {
    for (const run of RUNS.filter((r) => r.dir.includes('2.1.330'))) {
      const { db } = storeWith([run.dir]);
      const sessions = db
        .prepare<[], { id: string; reported: number; computed: number }>(
          `SELECT s.id, s.reported_cost_nanos AS reported,
             (SELECT sum(t_cost_nanos) FROM responses r WHERE r.session_id = s.id) AS computed
           FROM sessions s WHERE s.reported_cost_nanos IS NOT NULL`,
        )
        .all();
      expect(sessions.length).toBeGreaterThan(0);
      for (const s of sessions) expect(s.computed, `${run.run} ${s.id}`).toBe(s.reported);
      db.close();
    }
  });

  it('all runs in one store give the sum of their truths', () => {
    const { db } = storeWith(RUNS.map((r) => r.dir));
    const [total] = usageRows(db, { view: 'transcripts', mode: 'auto' }, {});
    const sum = (f: (m: (typeof RUNS)[number]['transcripts'][number]) => number) =>
      RUNS.flatMap((r) => r.transcripts).reduce((acc, m) => acc + f(m), 0);
    expect(total?.responses).toBe(sum((m) => m.responses));
    expect(total?.output).toBe(sum((m) => m.output));
    expect(total?.cacheRead).toBe(sum((m) => m.cacheRead));
    expect(total?.costNanos).toBe(Math.round(sum((m) => m.cost) * 1e9));
    db.close();
  });
});

import { describe, expect, it } from 'vitest';
import { nanosToUsd, usdToNanos } from '../../src/domain/money.js';
import { periodJson, periodReport, periodTable } from '../../src/views/reports/period-report.js';
import { projectJson, projectReport } from '../../src/views/reports/project-report.js';
import { sessionJson, sessionReport } from '../../src/views/reports/session-report.js';
import { storeWith } from '../helpers/store.js';
import { type ModelTruth, RUNS, runTruth } from '../helpers/truth.js';
import { optionsWith } from './report-options.js';

const PLAIN = { width: 80, color: false };

/** The README's figures for a run, summed over models, in ccusage's names. */
function truthTotals(models: readonly ModelTruth[]) {
  const sum = (f: (m: ModelTruth) => number) => models.reduce((s, m) => s + f(m), 0);
  return {
    inputTokens: sum((m) => m.input),
    outputTokens: sum((m) => m.output),
    cacheCreationTokens: sum((m) => m.cacheCreation),
    cacheReadTokens: sum((m) => m.cacheRead),
    totalTokens: sum((m) => m.input + m.output + m.cacheCreation + m.cacheRead),
    totalCost: nanosToUsd(sum((m) => usdToNanos(m.cost))),
    responses: sum((m) => m.responses),
  };
}

describe('every report totals each fixture run to its README truth (transcripts, no telemetry)', () => {
  for (const run of RUNS) {
    it(run.run, () => {
      const { db } = storeWith([run.dir]);
      const want = truthTotals(run.transcripts);
      for (const view of ['both', 'transcripts'] as const) {
        const options = optionsWith({ view });
        const daily = periodJson(periodReport(db, options, 'daily'));
        const monthly = periodJson(periodReport(db, options, 'monthly'));
        const sessions = sessionJson(sessionReport(db, options));
        const projects = projectJson(projectReport(db, options));
        for (const json of [daily, monthly, sessions, projects]) {
          expect(json.totals).toMatchObject(want);
          expect(json.view).toBe(view);
        }
        if (!('daily' in daily)) throw new Error('daily report without daily rows');
        expect(daily.daily.map((d) => d.date)).toEqual(['2026-11-24']);
        const byModel = daily.daily[0]?.modelBreakdowns.map((m) => ({
          model: m.modelName,
          responses: m.responses,
          input: m.inputTokens,
          output: m.outputTokens,
          cacheCreation: m.cacheCreationTokens,
          cacheRead: m.cacheReadTokens,
          cost: m.cost,
        }));
        const sorted = (rows: ModelTruth[] = []) =>
          [...rows].sort((a, b) => a.model.localeCompare(b.model));
        expect(sorted(byModel)).toEqual(sorted(run.transcripts));
        expect(projects.projects).toHaveLength(1);
        expect(projects.totals.sessions).toBe(sessions.sessions.length);
      }
      db.close();
    });
  }

  it('1.0.70 --continue: 4 responses, not 7, over its two sessions', () => {
    const { db } = storeWith([runTruth('1.0.70-json-continue').dir]);
    const sessions = sessionJson(sessionReport(db, optionsWith()));
    expect(sessions.totals.responses).toBe(4);
    expect(sessions.sessions.map((s) => s.responses).sort()).toEqual([1, 3]);
    expect(sessions.totals).toMatchObject({
      inputTokens: 22,
      outputTokens: 80,
      totalCost: 0.07675785,
    });
    db.close();
  });

  it('2.1.10: the placeholders are counted and said, in JSON and under the table', () => {
    const { db } = storeWith([runTruth('2.1.10-json-tools').dir]);
    const report = periodReport(db, optionsWith(), 'daily');
    const json = periodJson(report);
    expect(json.totals.outputUnderstated).toBe(3);
    expect(json.totals.outputTokens).toBe(3);
    expect(json.notes).toContain(
      "output tokens of 3 responses are understated: Claude Code 2.1.x wrote only the first stream event's count; turn on telemetry (ccmon setup) to get the real ones",
    );
    expect(periodTable(report, PLAIN)).toContain('output tokens of 3 responses are understated');
    db.close();
  });

  it('no note when no output is a placeholder', () => {
    const { db } = storeWith([runTruth('json-tools').dir]);
    const json = periodJson(periodReport(db, optionsWith(), 'daily'));
    expect(json.totals.outputUnderstated).toBe(0);
    expect(json.notes).toEqual([]);
    db.close();
  });

  it('the telemetry view of a store without telemetry is empty, with a hint', () => {
    const { db } = storeWith([runTruth('json-tools').dir]);
    const report = periodReport(db, optionsWith({ view: 'telemetry' }), 'daily');
    const json = periodJson(report);
    expect(json.totals.totalTokens).toBe(0);
    expect(json.notes).toEqual([
      'No usage found in the telemetry view; telemetry reaches the store through `ccmon serve` (see `ccmon setup`), or use --view transcripts.',
    ]);
    db.close();
  });
});

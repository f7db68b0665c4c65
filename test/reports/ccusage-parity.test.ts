import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nanosToUsd } from '../../src/domain/money.js';
import { PriceList } from '../../src/domain/pricing.js';
import { type DailyJson, periodJson, periodReport } from '../../src/views/reports/period-report.js';
import { sessionJson, sessionReport } from '../../src/views/reports/session-report.js';
import { storeWith } from '../helpers/store.js';
import { RUNS, type RunTruth } from '../helpers/truth.js';
import { optionsWith } from './report-options.js';

const CCUSAGE = fileURLToPath(new URL('../../node_modules/.bin/ccusage', import.meta.url));

interface Figures {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  cost: number;
}

interface CcusageDaily {
  daily: {
    date: string;
    modelBreakdowns: {
      modelName: string;
      inputTokens: number;
      outputTokens: number;
      cacheCreationTokens: number;
      cacheReadTokens: number;
      cost: number;
    }[];
  }[];
}

/** `date|model` -> figures, from either report (ccmon's JSON keeps ccusage's names). */
function perDayAndModel(json: CcusageDaily | DailyJson): Map<string, Figures> {
  const rows = new Map<string, Figures>();
  for (const day of json.daily) {
    for (const m of day.modelBreakdowns) {
      rows.set(`${day.date}|${m.modelName}`, {
        input: m.inputTokens,
        output: m.outputTokens,
        cacheCreation: m.cacheCreationTokens,
        cacheRead: m.cacheReadTokens,
        cost: m.cost,
      });
    }
  }
  return rows;
}

/** ccusage 20.0.24's Claude daily report (the `ccusage claude` form keeps the `date` field). */
function ccusageDaily(configDir: string): Map<string, Figures> {
  const out = execFileSync(
    CCUSAGE,
    ['claude', 'daily', '--json', '--offline', '--timezone', 'UTC'],
    { env: { ...process.env, CLAUDE_CONFIG_DIR: configDir, NO_COLOR: '1' }, encoding: 'utf8' },
  );
  const json: CcusageDaily = JSON.parse(out);
  return perDayAndModel(json);
}

function ccmonDaily(run: RunTruth): Map<string, Figures> {
  const { db } = storeWith([run.dir]);
  const json = periodJson(periodReport(db, optionsWith(), 'daily'));
  db.close();
  if (!('daily' in json)) throw new Error('daily report without daily rows');
  return perDayAndModel(json);
}

const prices = new PriceList();
/** What ccmon's prices make of a set of tokens (all cache writes as 5-minute writes). */
function priced(model: string, f: Figures): number {
  const cost = prices.costOf(model, {
    input: f.input,
    output: f.output,
    cacheRead: f.cacheRead,
    cacheCreation: f.cacheCreation,
    cacheCreation5m: f.cacheCreation,
    cacheCreation1h: 0,
  });
  if (cost === undefined) throw new Error(`no price for ${model}`);
  return nanosToUsd(cost);
}

/** The 2.1.330 runs write `usage.cache_creation` as {ephemeral_5m: 0, ephemeral_1h: 0} beside a non-zero `cache_creation_input_tokens`. */
const ZERO_SPLIT_RUNS = new Set(RUNS.filter((r) => r.dir.includes('2.1.330')).map((r) => r.run));

describe('report daily --json agrees with ccusage 20.0.24 on the same transcripts', () => {
  for (const run of RUNS.filter((r) => r.run !== '1.0.70-json-continue')) {
    it(run.run, () => {
      const ours = ccmonDaily(run);
      const theirs = ccusageDaily(run.dir);
      expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
      for (const [key, mine] of ours) {
        const other = theirs.get(key);
        if (!other) throw new Error(`ccusage has no ${key}`);
        const model = key.split('|')[1] ?? '';
        // Documented difference: on the 2.1.330 runs ccusage takes cache writes from the
        // zero split and drops them; ccmon keeps cache_creation_input_tokens (the README truth).
        const split = ZERO_SPLIT_RUNS.has(run.run);
        expect({ ...other, cost: 0 }).toEqual({
          ...mine,
          cacheCreation: split ? 0 : mine.cacheCreation,
          cost: 0,
        });
        // Where the tokens agree the costs agree; where they do not, both price the same tokens alike.
        expect(other.cost).toBeCloseTo(split ? priced(model, other) : mine.cost, 6);
        expect(priced(model, mine)).toBeCloseTo(mine.cost, 6);
      }
    });
  }

  it('1.0.70 --continue: ccusage counts the copied first run again; ccmon once', () => {
    const run = RUNS.find((r) => r.run === '1.0.70-json-continue');
    if (!run) throw new Error('no 1.0.70 run');
    const key = '2026-11-24|claude-sonnet-4-20250514';
    const ours = ccmonDaily(run).get(key);
    const theirs = ccusageDaily(run.dir).get(key);
    const { db } = storeWith([run.dir]);
    // The first run's session: its 3 responses are the ones the --continue file copies without requestId.
    const first = sessionJson(sessionReport(db, optionsWith())).sessions.find(
      (s) => s.responses === 3,
    );
    db.close();
    if (!ours || !theirs || !first) throw new Error('missing rows');
    expect(theirs).toEqual({
      input: ours.input + first.inputTokens,
      output: ours.output + first.outputTokens,
      cacheCreation: ours.cacheCreation + first.cacheCreationTokens,
      cacheRead: ours.cacheRead + first.cacheReadTokens,
      cost: theirs.cost,
    });
    expect(theirs.cost).toBeCloseTo(ours.cost + first.totalCost, 6);
    expect(ours).toMatchObject({ input: 22, output: 80, cacheCreation: 16475, cacheRead: 45702 });
  });
});

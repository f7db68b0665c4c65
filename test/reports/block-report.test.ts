import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nanosToUsd, usdToNanos } from '../../src/domain/money.js';
import { addTotals, emptyTotals, type UsageTotals } from '../../src/domain/usage-totals.js';
import {
  type BlocksJson,
  blockReport,
  blocksJson,
  blocksTable,
} from '../../src/views/reports/block-report.js';
import { storeWith } from '../helpers/store.js';
import { type ModelTruth, RUNS } from '../helpers/truth.js';
import { optionsWith } from './report-options.js';
import { configDirWith, SYNTH_COST, SYNTH_TOKENS } from './synth-transcript.js';

const CCUSAGE = fileURLToPath(new URL('../../node_modules/.bin/ccusage', import.meta.url));

// Long past, so that no block is active for ccusage (which uses the real clock) either.
const TIMES = [
  '2025-06-20T01:30:00Z',
  '2025-06-20T03:10:00Z',
  '2025-06-20T06:05:00Z', // > 5 h after 01:00: next block, no gap
  '2025-06-20T07:00:00Z',
  '2025-06-20T19:00:00Z', // 12 h of silence: a gap block 12:00-19:00
  '2025-06-24T02:00:00Z',
  '2025-06-24T02:30:00Z',
];

function expectCcusageBlocks(configDir: string, ours: BlocksJson): void {
  const out = execFileSync(CCUSAGE, ['claude', 'blocks', '--json', '--offline'], {
    env: { ...process.env, CLAUDE_CONFIG_DIR: configDir, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const theirs: { blocks: Record<string, unknown>[] } = JSON.parse(out);
  expect(ours.blocks).toHaveLength(theirs.blocks.length);
  ours.blocks.forEach((block, i) => {
    const { costUSD, unpricedTokens, outputUnderstated, remainingMinutes, ...rest } = block;
    const other = theirs.blocks[i] ?? {};
    expect(other).toEqual({ ...rest, costUSD: other.costUSD });
    expect(costUSD).toBeCloseTo(Number(other.costUSD), 9);
    expect({ unpricedTokens, outputUnderstated, remainingMinutes }).toEqual({
      unpricedTokens: 0,
      outputUnderstated: 0,
      remainingMinutes: null,
    });
  });
}

describe("a response exactly at a block's end", () => {
  // 06:00:00.000 is 5 h after the block's 01:00 start: it stays in that block; the
  // responses 30 s and 5 min later, in the same quarter hour, open the next one.
  const configDir = configDirWith([
    '2025-06-20T01:30:00Z',
    '2025-06-20T06:00:00.000Z',
    '2025-06-20T06:00:30Z',
    '2025-06-20T06:05:00Z',
  ]);
  const { db } = storeWith([configDir]);

  it('splits its quarter hour as ccusage 20.0.24 does, field for field', () => {
    const json = blocksJson(blockReport(db, optionsWith()));
    expect(json.blocks.map((b) => [b.id, b.entries])).toEqual([
      ['2025-06-20T01:00:00.000Z', 2],
      ['2025-06-20T06:00:00.000Z', 2],
    ]);
    expectCcusageBlocks(configDir, json);
  });

  it('--breakdown: each block per model, also where the quarter hour is split', () => {
    const report = blockReport(db, optionsWith({ breakdown: true }));
    const json = blocksJson(report);
    expect(
      json.blocks.map((b) =>
        b.modelBreakdowns?.map((m) => [m.modelName, m.responses, m.cost, m.inputTokens]),
      ),
    ).toEqual([
      [['claude-sonnet-4-5-20250929', 2, nanosToUsd(2 * usdToNanos(SYNTH_COST)), 8]],
      [['claude-sonnet-4-5-20250929', 2, nanosToUsd(2 * usdToNanos(SYNTH_COST)), 8]],
    ]);
    expect(blocksJson(blockReport(db, optionsWith())).blocks[0]).not.toHaveProperty(
      'modelBreakdowns',
    );
    const table = blocksTable(report, { width: 100, color: false }).split('\n');
    const modelLines = table.filter((line) => line.startsWith('  sonnet-4-5 '));
    expect(modelLines).toHaveLength(2);
    for (const line of modelLines)
      expect(line).toContain((2 * SYNTH_TOKENS).toLocaleString('en-US'));
  });
});

describe('report blocks --breakdown on every fixture run', () => {
  for (const run of RUNS) {
    it(`${run.run}: the blocks' model lines sum to the README truth per model`, () => {
      const { db } = storeWith([run.dir]);
      const report = blockReport(db, optionsWith({ view: 'transcripts', breakdown: true }));
      const sums = new Map<string, UsageTotals>();
      for (const block of report.blocks) {
        const byModel = report.breakdowns?.get(block);
        if (block.isGap) {
          expect(byModel).toBeUndefined();
          continue;
        }
        if (!byModel) throw new Error('a block without its breakdown');
        let blockCost = 0;
        for (const [model, t] of byModel.models) {
          sums.set(model, addTotals(sums.get(model) ?? emptyTotals(), t));
          blockCost += t.costNanos;
        }
        expect(blockCost).toBe(block.totals.costNanos);
      }
      const got = [...sums].map(
        ([model, t]): ModelTruth => ({
          model,
          responses: t.responses,
          input: t.input,
          output: t.output,
          cacheCreation: t.cacheCreation,
          cacheRead: t.cacheRead,
          cost: nanosToUsd(t.costNanos),
        }),
      );
      const byName = (a: ModelTruth, b: ModelTruth) => a.model.localeCompare(b.model);
      expect(got.sort(byName)).toEqual([...run.transcripts].sort(byName));
      db.close();
    });
  }
});

describe('blocks of a model without a price', () => {
  const configDir = configDirWith(
    ['2025-06-20T01:30:00Z', '2025-06-20T02:10:00Z'],
    'claude-next-9',
  );
  const { db } = storeWith([configDir]);

  it('count its tokens as unpriced and name it in a note', () => {
    const json = blocksJson(blockReport(db, optionsWith()));
    expect(json.blocks.map((b) => [b.entries, b.unpricedTokens, b.costUSD])).toEqual([
      [2, 2 * SYNTH_TOKENS, 0],
    ]);
    expect(json.notes.join('\n')).toContain('no price for claude-next-9');
  });
});

describe('report blocks', () => {
  const configDir = configDirWith(TIMES);
  const { db } = storeWith([configDir]);

  it("gives ccusage 20.0.24's blocks, field for field", () => {
    expectCcusageBlocks(configDir, blocksJson(blockReport(db, optionsWith())));
  });

  const now = Date.parse('2025-06-24T03:00:00Z');

  it('the active block: burn rate, projection, time left and the token limit', () => {
    const json = blocksJson(blockReport(db, optionsWith({ now, active: true, tokenLimit: 'max' })));
    expect(json.blocks).toHaveLength(1);
    const [active] = json.blocks;
    // Two responses half an hour apart; 4 hours left.
    expect(active).toMatchObject({
      id: '2025-06-24T02:00:00.000Z',
      isActive: true,
      entries: 2,
      totalTokens: 2 * SYNTH_TOKENS,
      remainingMinutes: 240,
      burnRate: { tokensPerMinute: (2 * SYNTH_TOKENS) / 30 },
      projection: { totalTokens: 2 * SYNTH_TOKENS + 8 * 2 * SYNTH_TOKENS, remainingMinutes: 240 },
      tokenLimitStatus: { limit: 2 * SYNTH_TOKENS, currentPercentUsed: 100, status: 'exceeds' },
    });
    expect(active?.burnRate?.costPerHour).toBeCloseTo(4 * SYNTH_COST, 9);
    expect(active?.projection?.totalCost).toBeCloseTo(2 * SYNTH_COST * 9, 9);
    expect(json.tokenLimit).toBe(2 * SYNTH_TOKENS);
  });

  it('--recent keeps the last 3 days, --order desc puts them newest first', () => {
    const recent = blocksJson(blockReport(db, optionsWith({ now, recent: true, order: 'desc' })));
    expect(recent.blocks.map((b) => b.id)).toEqual(['2025-06-24T02:00:00.000Z']);
    const all = blocksJson(blockReport(db, optionsWith({ now, order: 'desc' })));
    expect(all.blocks.map((b) => b.isGap)).toEqual([false, true, false, true, false, false]);
  });

  it('the table shows the active block and its projection', () => {
    const table = blocksTable(blockReport(db, optionsWith({ now, tokenLimit: 100_000 })), {
      width: 80,
      color: false,
    });
    expect(table).toContain('2025-06-24 02:00  ACTIVE 4h 00m left');
    expect(table).toContain('gap 7h 00m');
    expect(table).toContain('Active block 2025-06-24 02:00 to 07:00, 4h 00m left');
    expect(table).toContain('  token limit  100,000: 31% used, 275% projected (exceeds)');
  });

  it('--active without an active block says so', () => {
    const report = blockReport(db, optionsWith({ active: true }));
    expect(blocksJson(report).blocks).toEqual([]);
    expect(blocksTable(report, { width: 80, color: false })).toContain(
      'No active block: the last 5-hour window has ended.',
    );
  });
});

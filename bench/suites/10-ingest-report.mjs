// Suite: read transcripts and produce the daily report, ccmon against ccusage and the floor,
// on three corpora. Every tool's totals are checked against the corpus' truth.json.

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compareTotals, totalsFromReport } from '../report-totals.mjs';
import { findCcmon, findCcusage } from '../tools.mjs';

const MB = 1024 ** 2;
const CASES = [
  { mix: 'realistic', bytes: 1024 * MB, label: 'realistic 1 GB' },
  { mix: 'assistant-heavy', bytes: 500 * MB, label: 'assistant-heavy 500 MB' },
  { mix: 'single-file', bytes: 500 * MB, label: 'one 500 MB file' },
];

const TARGETS = [
  { name: 'ccmon cold / ccusage (time)', limit: 0.67, atMost: true },
  { name: 'ccmon cold / floor (time)' },
  { name: 'ccmon cold / ccusage (CPU time; steadier on a busy machine)' },
  { name: 'ccusage / ccmon warm (time)', limit: 5, atMost: false },
  { name: 'ccmon peak RSS / ccusage peak RSS', limit: 0.75, atMost: true },
];

const seconds = (ms) => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const wall = (m) =>
  m?.wallRangeMs
    ? `${seconds(m.wallMs)} (${m.wallRangeMs.map((ms) => (ms / 1000).toFixed(2)).join('–')})`
    : seconds(m?.wallMs);
const megabytes = (kb) => (kb == null ? 'n/a' : `${Math.round(kb / 1024)} MB`);
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b);

/** "= truth", or why not. Pushes every difference to `problems`. */
function checkTotals(tool, stdoutPath, truth, problems) {
  let found;
  try {
    found = totalsFromReport(JSON.parse(readFileSync(stdoutPath, 'utf8')));
  } catch (error) {
    problems.push(`${tool}: ${error.message} (output in ${stdoutPath})`);
    return 'unreadable';
  }
  const diffs = compareTotals(found, truth);
  if (diffs.length === 0) return '= truth';
  if (tool === 'ccusage' && compareTotals(found, truth.ccusageRule).length === 0) {
    // Known and expected: ccusage keys by message.id + requestId, so a 1.0.x --continue
    // copy (no requestId) counts a second time. Not a measurement error.
    const extra = found.total.input - truth.total.input;
    return `= truth by ccusage's rule (message.id + requestId); +${extra} input tokens from 1.0.x --continue copies`;
  }
  problems.push(...diffs.map((d) => `${tool}: ${d}`));
  return `MISMATCH (${diffs.length})`;
}

async function runCase(ctx, c, tools) {
  const bytes = Math.max(MB, Math.round((c.bytes * ctx.scale) / MB) * MB);
  const { dir: corpus, truth } = ctx.ensureCorpus({ mix: c.mix, bytes });
  const work = join(ctx.workDir, c.mix);
  mkdirSync(work, { recursive: true });
  const label = `${c.label}${ctx.scale === 1 ? '' : ` ×${ctx.scale}`}`;
  const corpusText = `${ctx.formatSize(truth.counts.bytes)}, ${truth.counts.files} files, ${truth.total.responses} responses`;
  const rows = [];
  const problems = [];
  const add = (tool, m, totals) => {
    rows.push({
      Case: label,
      Corpus: corpusText,
      Tool: tool,
      'Wall (min–max)': wall(m),
      'Peak RSS': megabytes(m?.peakRssKB),
      CPU: seconds(m?.cpuMs),
      Totals: totals,
    });
  };

  ctx.log(`[${label}] floor`);
  const floor = await ctx.measure([
    { name: 'floor', cmd: process.execPath, args: [join(ctx.benchDir, 'floor.mjs'), corpus] },
  ]);
  add('floor (read + count newlines)', floor, floor.error ? `failed: ${floor.error}` : '');

  let ccusage;
  if (tools.ccusage) {
    ctx.log(`[${label}] ccusage`);
    const out = join(work, 'ccusage.json');
    ccusage = await ctx.measure([
      {
        name: 'ccusage',
        cmd: tools.ccusage.cmd,
        args: [...tools.ccusage.args, 'daily', '--json', '--offline'],
        env: { ...ctx.env, CLAUDE_CONFIG_DIR: corpus },
        cwd: ctx.env.HOME,
        stdoutPath: out,
      },
    ]);
    add(
      'ccusage daily --json --offline',
      ccusage,
      ccusage.error ? `failed: ${ccusage.error}` : checkTotals('ccusage', out, truth, problems),
    );
  } else add('ccusage', null, 'skipped: ccusage not installed (npm install)');

  let cold;
  let warm;
  if (tools.ccmon) {
    const store = join(work, 'store');
    const db = join(store, 'ccmon.db');
    const ccmon = (name, args, stdoutPath) => ({
      name,
      cmd: tools.ccmon.cmd,
      args: [...tools.ccmon.args, ...args],
      env: { ...ctx.env, HOME: join(store, 'home') },
      cwd: work,
      stdoutPath,
    });
    ctx.log(`[${label}] ccmon cold`);
    const coldOut = join(work, 'ccmon-cold.json');
    cold = await ctx.measure(
      [
        ccmon('scan', ['scan', '--claude-dir', corpus, '--db', db]),
        ccmon('report', ['report', 'daily', '--json', '--no-scan', '--db', db], coldOut),
      ],
      {
        before: () => {
          rmSync(store, { recursive: true, force: true });
          mkdirSync(join(store, 'home'), { recursive: true });
        },
      },
    );
    const [scan, report] = cold.steps;
    add('ccmon cold: scan into an empty store', scan, scan ? '' : `failed: ${cold.error}`);
    if (scan)
      add('ccmon cold: report daily --no-scan', report, report ? '' : `failed: ${cold.error}`);
    if (!cold.error)
      add('ccmon cold: scan + report', cold, checkTotals('ccmon cold', coldOut, truth, problems));
    if (scan) {
      ctx.log(`[${label}] ccmon warm`);
      const warmOut = join(work, 'ccmon-warm.json');
      warm = await ctx.measure([
        ccmon('report', ['report', 'daily', '--json', '--claude-dir', corpus, '--db', db], warmOut),
      ]);
      add(
        'ccmon warm: report daily (scan finds nothing new)',
        warm,
        warm.error ? `failed: ${warm.error}` : checkTotals('ccmon warm', warmOut, truth, problems),
      );
    }
  } else add('ccmon', null, 'skipped: dist/cli/main.js missing (npm run build)');

  const ok = (m) => (m && !m.error ? m : undefined);
  const ccmonPeak =
    ok(cold) && ok(warm) && cold.peakRssKB != null && warm.peakRssKB != null
      ? Math.max(cold.peakRssKB, warm.peakRssKB)
      : ok(cold)?.peakRssKB;
  const values = [
    ratio(ok(cold)?.wallMs, ok(ccusage)?.wallMs),
    ratio(ok(cold)?.wallMs, ok(floor)?.wallMs),
    ratio(ok(cold)?.cpuMs, ok(ccusage)?.cpuMs),
    ratio(ok(ccusage)?.wallMs, ok(warm)?.wallMs),
    ratio(ccmonPeak, ok(ccusage)?.peakRssKB),
  ];
  const targets = TARGETS.map((t, i) => {
    const value = values[i];
    const met =
      t.limit === undefined || value == null
        ? null
        : t.atMost
          ? value <= t.limit
          : value >= t.limit;
    return {
      Case: label,
      Ratio: t.name,
      Value: value == null ? 'n/a' : value.toFixed(2),
      Target: t.limit === undefined ? '—' : `${t.atMost ? '≤' : '≥'} ${t.limit}`,
      Met: t.limit === undefined ? '' : met === null ? 'not measured' : met ? 'yes' : 'NO',
    };
  });
  return {
    rows,
    targets,
    problems,
    raw: {
      case: label,
      corpus,
      truth: truth.total,
      floor,
      ccusage,
      ccmonCold: cold,
      ccmonWarm: warm,
    },
  };
}

export default {
  name: 'ingest-report',
  title: 'Transcript ingest and daily report (ccmon vs ccusage)',
  async run(ctx) {
    const tools = { ccusage: findCcusage(ctx.repoRoot), ccmon: findCcmon(ctx.repoRoot) };
    const notes = [
      'Wall and peak RSS are medians of the timed runs after one untimed warmup (page cache warm); the fastest and slowest run are in brackets. CPU is user + system time (above wall time when a tool uses both cores). The machine may be shared: compare ratios from one run rather than absolute times across runs.',
      'ccmon runs with HOME inside its store dir, and that whole dir is deleted before every cold run, so no state survives wherever ccmon keeps it.',
      'ccmon cold = `ccmon scan --claude-dir <corpus> --db <new db>` then `ccmon report daily --json --no-scan`; its peak RSS is the larger of the two. ccmon warm = `ccmon report daily --json --claude-dir <corpus>` on the store the cold run filled.',
      `ccusage ${tools.ccusage ? `is timed as its ${tools.ccusage.how}` : 'is not installed'}, with CLAUDE_CONFIG_DIR=<corpus> and an empty HOME.`,
      'Truth: one response per message.id (truth.json, written by the generator). ccusage keys by message.id + requestId, so it counts 1.0.x `--continue` copies twice; that difference is expected and shown, not a failure.',
    ];
    if (!tools.ccmon) {
      const msg =
        'ccmon skipped: dist/cli/main.js does not exist. Build the CLI (`npm run build`) to benchmark it.';
      ctx.log(msg);
      notes.unshift(msg);
    }
    const cases = [];
    for (const c of CASES) {
      if (ctx.cases && !ctx.cases.includes(c.mix)) continue;
      cases.push(await runCase(ctx, c, tools));
    }
    const problems = cases.flatMap((c) => c.problems.map((p) => `${c.raw.case}: ${p}`));
    for (const p of problems) ctx.log(`  totals: ${p}`);
    return {
      tables: [
        { title: 'Times and memory', rows: cases.flatMap((c) => c.rows) },
        { title: 'Ratios and targets', rows: cases.flatMap((c) => c.targets) },
      ],
      problems,
      notes,
      raw: cases.map((c) => c.raw),
    };
  },
};

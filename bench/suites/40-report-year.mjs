// Suite: `ccmon report` over a year of a heavy user's history, from an up-to-date store.
// Issue: "A report over a year of a heavy user's history (about 500,000 responses) from an
// up-to-date store takes under 200 ms".

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHeavyStore, describeHeavyStore } from '../synthetic-store.mjs';
import { loadNow, loadText, ms, percentile, targetRow } from '../target-rows.mjs';

const TARGET_MS = 200;
const RESPONSES = 500_000;
const REPORTS = ['daily', 'monthly', 'session', 'blocks'];

const median = (values) => percentile(values, 0.5);

/** Runs bench/report-in-process.mjs `runs` times (a fresh process each, as the CLI). */
function inProcess(ctx, db, name) {
  const script = join(ctx.benchDir, 'report-in-process.mjs');
  const samples = [];
  for (let i = 0; i < ctx.runs; i++) {
    const out = execFileSync(process.execPath, [script, ctx.repoRoot, db, name], {
      env: ctx.env,
      maxBuffer: 1024 * 1024,
    });
    samples.push(JSON.parse(String(out)));
  }
  const of = (pick) => median(samples.map(pick));
  return {
    samples,
    import: of((s) => s.import),
    open: of((s) => s.open),
    build: of((s) => s.build),
    buildCpu: of((s) => s.buildCpu),
    stringify: of((s) => s.stringify),
    ccmonWork: of((s) => s.open + s.build + s.stringify),
    ccmonWorkCpu: of((s) => s.openCpu + s.buildCpu + s.stringifyCpu),
    warm: of((s) => s.warm.open + s.warm.build + s.warm.stringify),
    warmBuild: of((s) => s.warm.build),
    bytes: samples[0]?.bytes,
  };
}

/** The report's own count of responses, where its JSON has totals. */
function responsesIn(path) {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  return json.totals?.responses;
}

export default {
  name: 'report-year',
  title: 'Reports over a year of history (500,000 responses, store up to date)',
  async run(ctx) {
    const responses = Math.max(1000, Math.round(RESPONSES * Math.min(1, ctx.scale)));
    const dir = join(ctx.workDir, 'store');
    const db = join(dir, 'ccmon.db');
    const claudeDir = join(ctx.workDir, 'empty-claude-dir');
    mkdirSync(join(claudeDir, 'projects'), { recursive: true });
    ctx.log(`filling a store with ${responses} responses over a year`);
    const fillSeconds = await createHeavyStore(ctx.repoRoot, db, {
      responses,
      endMs: Date.now(),
    });
    const cli = join(ctx.repoRoot, 'dist', 'cli', 'main.js');

    ctx.log('node start-up and ccmon --version (the floors)');
    const floorLoad = loadNow();
    const nodeFloor = await ctx.measure([
      { name: 'node', cmd: process.execPath, args: ['-e', '0'], env: ctx.env },
    ]);
    const cliFloor = await ctx.measure([
      { name: 'ccmon --version', cmd: process.execPath, args: [cli, '--version'], env: ctx.env },
    ]);
    const floorsLoad = loadText(floorLoad);

    const problems = [];
    const results = [];
    for (const name of REPORTS) {
      ctx.log(`report ${name}`);
      const load = loadNow();
      const out = join(ctx.workDir, `${name}.json`);
      const wall = await ctx.measure([
        {
          name: `report ${name}`,
          cmd: process.execPath,
          args: [cli, 'report', name, '--json', '--no-scan', '--db', db, '--claude-dir', claudeDir],
          env: ctx.env,
          cwd: ctx.workDir,
          stdoutPath: out,
        },
      ]);
      if (wall.error) problems.push(`report ${name}: ${wall.error}`);
      else {
        const counted = responsesIn(out);
        if (counted !== undefined && counted !== responses)
          problems.push(
            `report ${name}: counts ${counted} responses, the store holds ${responses}`,
          );
      }
      const inside = inProcess(ctx, db, name);
      results.push({ name, wall, inside, load: loadText(load) });
    }

    rmSync(dir, { recursive: true, force: true });
    const targets = results.map((r) =>
      targetRow({
        what: `report ${r.name} --json: ccmon's work in process (open store + build + JSON)`,
        value: r.inside.ccmonWork,
        limit: TARGET_MS,
        show: ms,
        load: r.load,
        note: `build alone ${ms(r.inside.build)}; whole CLI process ${ms(r.wall.wallMs)}`,
      }),
    );
    return {
      tables: [
        { title: 'Targets', rows: targets },
        {
          title: 'Where the time goes (medians)',
          rows: results.map((r) => ({
            Report: r.name,
            'CLI wall (min–max)': r.wall.wallRangeMs
              ? `${ms(r.wall.wallMs)} (${ms(r.wall.wallRangeMs[0])} – ${ms(r.wall.wallRangeMs[1])})`
              : `failed: ${r.wall.error}`,
            'CLI peak RSS':
              r.wall.peakRssKB == null ? 'n/a' : `${Math.round(r.wall.peakRssKB / 1024)} MB`,
            'import modules': ms(r.inside.import),
            openStore: ms(r.inside.open),
            'build report': ms(r.inside.build),
            'build CPU': ms(r.inside.buildCpu),
            'JSON.stringify': ms(r.inside.stringify),
            'open + build + JSON': ms(r.inside.ccmonWork),
            'same, warm process': ms(r.inside.warm),
            'JSON size': `${Math.round(r.inside.bytes / 1024)} KB`,
            'Load avg': r.load,
          })),
        },
        {
          title: 'Floors',
          rows: [
            { Command: 'node -e 0', Wall: ms(nodeFloor.wallMs), 'Load avg': floorsLoad },
            {
              Command: 'ccmon --version (Node + the CLI modules)',
              Wall: ms(cliFloor.wallMs),
              'Load avg': floorsLoad,
            },
          ],
        },
      ],
      problems,
      notes: [
        describeHeavyStore(responses, fillSeconds),
        `CLI wall: \`node dist/cli/main.js report <name> --json --no-scan --db <store> --claude-dir <empty>\`, median of ${ctx.runs} runs after one warm-up, stdout to a file. It includes Node's start-up and loading ccmon's modules (see Floors), which are not the report's work.`,
        `The target applies to ccmon's own work for the report, measured in a fresh process per run by bench/report-in-process.mjs with ccmon's modules from dist/: openStore (opens, checks the schema version, runs PRAGMA quick_check) + buildReport(...).json() + JSON.stringify as the CLI prints it. "same, warm process" repeats it in the same process (JIT warm, pages cached), as a long-running server would pay.`,
        'Build CPU is user + system time of the build step (steadier than wall time on a busy machine).',
      ],
      raw: { responses, fillSeconds, nodeFloor, cliFloor, reports: results },
    };
  },
};

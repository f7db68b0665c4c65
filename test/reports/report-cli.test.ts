import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/store.js';
import { runTruth } from '../helpers/truth.js';

// The built CLI (`npm run build` first; `npm test` does it).
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function ccmon(...args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [CLI, 'report', ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh store and an empty Claude config dir. */
function emptySetup(): string[] {
  const dir = tempDir();
  mkdirSync(join(dir, 'claude', 'projects'), { recursive: true });
  return ['--db', join(dir, 'ccmon.db'), '--claude-dir', join(dir, 'claude')];
}

describe('ccmon report: bad option values exit 2 and say what is wrong', () => {
  const cases: [string[], string][] = [
    [
      ['hourly'],
      'unknown report "hourly"; choose one of daily, weekly, monthly, session, blocks, projects',
    ],
    [['daily', '--timezone', 'Mars/Olympus'], 'unknown time zone "Mars/Olympus"'],
    [
      ['daily', '--since', '2026-02-30'],
      '--since "2026-02-30" is not a date; use YYYY-MM-DD or YYYYMMDD',
    ],
    [['daily', '--until', 'tomorrow'], '--until "tomorrow" is not a date'],
    [
      ['daily', '--since', '20261201', '--until', '20261101'],
      '--since 2026-12-01 is after --until 2026-11-01',
    ],
    [
      ['blocks', '--token-limit', 'lots'],
      '--token-limit "lots" must be a positive number of tokens or "max"',
    ],
    [['daily', '--active'], '--active applies to `ccmon report blocks` only'],
    [['daily', '--order', 'sideways'], "argument 'sideways' is invalid"],
    [['weekly', '--start-of-week', 'someday'], "argument 'someday' is invalid"],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), () => {
      const r = ccmon(...args, ...emptySetup());
      expect(r.stderr).toContain(message);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    });
  }
});

describe('ccmon report on an empty store', () => {
  it('prints an empty report and a hint, exit 0', () => {
    const r = ccmon('daily', ...emptySetup());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No usage found; run `ccmon scan` or check --claude-dir.');
    expect(r.stdout).toContain('view: both (transcripts and telemetry joined, each response once)');
  });

  it('--json: an empty report with the hint among its notes', () => {
    const r = ccmon(
      'monthly',
      '--json',
      '--since',
      '2026-01-01',
      '--timezone',
      'UTC',
      ...emptySetup(),
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.monthly).toEqual([]);
    expect(json.totals.totalCost).toBe(0);
    expect(json.notes).toEqual([
      'No usage found from 2026-01-01 (UTC); run `ccmon scan` or check --claude-dir.',
    ]);
  });
});

describe('ccmon report on a fixture', () => {
  const run = runTruth('2.0.50-json-agent');
  const setup = () => [
    '--db',
    join(tempDir(), 'ccmon.db'),
    '--claude-dir',
    run.dir,
    '--timezone',
    'UTC',
  ];

  it('scans first, and --json prints nothing but JSON on stdout', () => {
    const r = ccmon('daily', '--json', ...setup());
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.totals).toMatchObject({
      totalTokens: 18 + 54 + 46115 + 15234 + 310 + 8,
      totalCost: 0.17871545,
    });
    expect(json.view).toBe('both');
  });

  it('--no-scan reports what the store holds (here: nothing)', () => {
    const r = ccmon('daily', '--no-scan', ...setup());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No usage found');
  });

  it('tables off a terminal: no colour, at most 80 columns, a totals row', () => {
    for (const report of ['daily', 'weekly', 'monthly', 'session', 'projects', 'blocks']) {
      const r = ccmon(report, '--breakdown', ...setup());
      expect(r.code, report).toBe(0);
      expect(r.stdout, report).not.toContain('\u001b[');
      const table = r.stdout.split('\n\n')[0] ?? '';
      expect(Math.max(...table.split('\n').map((l) => l.length)), report).toBeLessThanOrEqual(80);
      expect(table, report).toMatch(/^Total /m);
      expect(table, report).toContain('$0.18');
    }
  });
});

#!/usr/bin/env node
// Times commands: wall clock (from this process, hrtime) and the child's peak RSS, user and
// system CPU (from GNU time, `/usr/bin/time -f '%e %M %U %S'`). One untimed warmup run
// first, so the page cache is warm and every timed run reads the same cached bytes.
//   node bench/measure.mjs [--runs N] -- <command> [args...]

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GNU_TIME = '/usr/bin/time';

/** Whether peak RSS can be measured, and what to do if not. */
export function timeToolStatus() {
  if (existsSync(GNU_TIME))
    return { available: true, message: `${GNU_TIME} (GNU time) measures peak RSS` };
  return {
    available: false,
    message: `${GNU_TIME} not found, so peak memory is not measured (times still are). Install GNU time: sudo apt-get install -y time`,
  };
}

export const median = (values) => {
  const v = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

function tailOf(path, chars = 2000) {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > chars ? `...${text.slice(-chars)}` : text;
  } catch {
    return '';
  }
}

/**
 * Runs one command, stdout to `stdoutPath` (a file, so a large output never slows the
 * child through a pipe), stderr to a temp file. Returns { wallMs, peakRssKB, cpuMs, exitCode, stderr }.
 */
export async function runOnce({ cmd, args = [], env = process.env, cwd, stdoutPath }) {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  const timeOut = join(scratch, 'time');
  const errPath = join(scratch, 'stderr');
  const useTime = existsSync(GNU_TIME);
  const [file, argv] = useTime
    ? [GNU_TIME, ['-f', '%e %M %U %S', '-o', timeOut, cmd, ...args]]
    : [cmd, args];
  const out = openSync(stdoutPath ?? '/dev/null', 'w');
  const err = openSync(errPath, 'w');
  try {
    const started = process.hrtime.bigint();
    const exitCode = await new Promise((resolve, reject) => {
      const child = spawn(file, argv, { env, cwd, stdio: ['ignore', out, err] });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? `signal ${signal}`));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    let peakRssKB = null;
    let cpuMs = null;
    if (useTime) {
      // GNU time prints "Command exited with non-zero status N" before the format line.
      const last = readFileSync(timeOut, 'utf8').trim().split('\n').pop() ?? '';
      const [, rss, user, sys] = last.split(' ').map(Number);
      if (Number.isFinite(rss)) peakRssKB = rss;
      if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = Math.round((user + sys) * 1000);
    }
    return { wallMs, peakRssKB, cpuMs, exitCode, stderr: exitCode === 0 ? '' : tailOf(errPath) };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Measures a sequence of steps (one command, or e.g. scan then report) `runs` times after
 * one untimed warmup. `before()` runs before every iteration (e.g. to empty a store).
 * Returns per-step medians and the median of the per-iteration total wall time. When a
 * step fails, it and the steps after it are dropped, the earlier ones are still measured,
 * and `error` names the failure (the total is then null).
 */
export async function measure(steps, { runs = 3, warmup = true, before } = {}) {
  let active = steps;
  let error;
  let errorDetail;
  const iterations = [];
  for (let i = warmup ? -1 : 0; i < runs && active.length > 0; i++) {
    await before?.();
    const results = [];
    for (const step of active) {
      const r = await runOnce(step);
      if (r.exitCode !== 0) {
        const firstLine = r.stderr.split('\n').find((line) => line.trim() !== '') ?? '';
        error = `${step.name ?? step.cmd} exited with ${r.exitCode}${firstLine ? `: ${firstLine.trim()}` : ''}`;
        errorDetail = r.stderr;
        break;
      }
      results.push(r);
    }
    if (results.length < active.length) active = active.slice(0, results.length);
    else if (i >= 0) iterations.push(results);
  }
  const measured = iterations.length === 0 ? [] : active;
  const stepSummaries = measured.map((step, s) =>
    summarize(
      iterations.map((it) => it[s]),
      step.name ?? step.cmd,
    ),
  );
  if (error !== undefined)
    return {
      wallMs: null,
      peakRssKB: null,
      cpuMs: null,
      wallRangeMs: null,
      steps: stepSummaries,
      error,
      errorDetail,
    };
  // A multi-step measurement adds the steps' times and takes the largest step's RSS.
  const totals = iterations.map((it) => ({
    wallMs: it.reduce((sum, r) => sum + r.wallMs, 0),
    cpuMs: it.some((r) => r.cpuMs === null) ? null : it.reduce((sum, r) => sum + r.cpuMs, 0),
    peakRssKB: it.some((r) => r.peakRssKB === null)
      ? null
      : Math.max(...it.map((r) => r.peakRssKB)),
  }));
  return {
    ...summarize(totals, steps.map((s) => s.name ?? s.cmd).join(' + ')),
    steps: stepSummaries,
    runs: iterations.map((it) =>
      it.map(({ wallMs, peakRssKB, cpuMs }) => ({ wallMs, peakRssKB, cpuMs })),
    ),
  };
}

function summarize(samples, name) {
  const walls = samples.map((r) => r.wallMs);
  return {
    name,
    wallMs: median(walls),
    wallRangeMs: [Math.min(...walls), Math.max(...walls)],
    peakRssKB: median(samples.map((r) => r.peakRssKB)),
    cpuMs: median(samples.map((r) => r.cpuMs)),
  };
}

async function main() {
  const argv = process.argv.slice(2);
  const dash = argv.indexOf('--');
  if (dash < 0 || dash === argv.length - 1) {
    console.error('usage: node bench/measure.mjs [--runs N] -- <command> [args...]');
    process.exit(2);
  }
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 && runsAt < dash ? Number(argv[runsAt + 1]) : 3;
  const status = timeToolStatus();
  if (!status.available) console.error(status.message);
  const result = await measure([{ cmd: argv[dash + 1], args: argv.slice(dash + 2) }], { runs });
  console.log(JSON.stringify(result, null, 2));
  if (result.error) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

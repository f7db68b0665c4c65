#!/usr/bin/env node
// `npm run bench [-- suite ...]`: runs the benchmark suites and writes BENCHMARKS.md and
// bench/.work/results.json.
//
// A suite is a module in bench/suites/ whose default export is
//   { name, title, run(ctx) -> { tables: [{ title, rows: [{ column: value }] }], problems?, notes?, raw? } }
// Suites run, and appear in BENCHMARKS.md, in file-name order (10-ingest-report.mjs, 20-...).
// ctx gives a suite: repoRoot, benchDir, workDir (its own scratch dir under bench/.work),
// env (PATH, an empty HOME, TZ=UTC: run tools with it), scale, runs, cases, log(line),
// measure(steps, { before }) from measure.mjs, ensureCorpus({ mix, bytes }) from
// generate-corpus.mjs, and formatSize(bytes). A suite that throws is reported as failed.
// Settings: BENCH_SCALE (default 1) shrinks every corpus, BENCH_RUNS (default 3) timed
// runs per measurement, BENCH_CASES (comma list) limits suites that have cases.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderBenchmarks } from './benchmarks-markdown.mjs';
import { ensureCorpus, formatSize } from './generate-corpus.mjs';
import { describeMachine, speedProbes } from './machine.mjs';
import { measure, timeToolStatus } from './measure.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const workDir = join(benchDir, '.work');
const resultsPath = join(workDir, 'results.json');

function numberFromEnv(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${name}=${text}: expected a positive number`);
  return value;
}

async function loadSuites() {
  const files = readdirSync(join(benchDir, 'suites'))
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const suites = [];
  for (const file of files) {
    const suite = (await import(pathToFileURL(join(benchDir, 'suites', file)).href)).default;
    if (typeof suite?.name !== 'string' || typeof suite.run !== 'function') {
      throw new Error(`bench/suites/${file}: the default export must be { name, title, run(ctx) }`);
    }
    suites.push(suite);
  }
  return suites;
}

function previousResults() {
  if (!existsSync(resultsPath)) return undefined;
  try {
    return JSON.parse(readFileSync(resultsPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The suite sections of the current BENCHMARKS.md, by their `## ` heading. */
function writtenSections() {
  const sections = new Map();
  const path = join(repoRoot, 'BENCHMARKS.md');
  if (!existsSync(path)) return sections;
  const parts = readFileSync(path, 'utf8').split(/^(?=## )/m);
  for (const part of parts.slice(1)) {
    const heading = part.slice(3, part.indexOf('\n')).trim();
    sections.set(heading, part.trimEnd());
  }
  return sections;
}

async function main() {
  const settings = {
    scale: numberFromEnv('BENCH_SCALE', 1),
    runs: Math.round(numberFromEnv('BENCH_RUNS', 3)),
  };
  const cases = process.env.BENCH_CASES
    ? process.env.BENCH_CASES.split(',').map((s) => s.trim())
    : undefined;
  const suites = await loadSuites();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
  if (unknown.length > 0)
    throw new Error(
      `unknown suite ${unknown.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`,
    );
  const selected = wanted.length > 0 ? suites.filter((s) => wanted.includes(s.name)) : suites;

  const timeTool = timeToolStatus();
  if (!timeTool.available) console.error(`note: ${timeTool.message}`);
  // Every tool runs with an empty HOME, so nothing from this machine's ~/.claude or
  // ~/.codex leaks into a measurement, and in UTC, so daily buckets do not depend on it.
  const home = join(workDir, 'home');
  mkdirSync(home, { recursive: true });
  const env = { PATH: process.env.PATH, HOME: home, TZ: 'UTC', LANG: 'C.UTF-8' };

  const results = {
    generatedAt: new Date().toISOString(),
    machine: describeMachine(),
    timeTool: timeTool.message,
    order: suites.map((s) => s.name),
    suites: {},
  };
  const previous = previousResults();
  const written = writtenSections();
  for (const suite of suites) {
    if (selected.includes(suite)) continue;
    // A suite not run now keeps its last results: from results.json, or, when that file
    // is gone (a fresh clone, a cleaned bench/.work), its section of BENCHMARKS.md as written.
    if (previous?.suites?.[suite.name]) results.suites[suite.name] = previous.suites[suite.name];
    else {
      const markdown = written.get(suite.title ?? suite.name);
      if (markdown) results.suites[suite.name] = { name: suite.name, markdown };
    }
  }

  for (const suite of selected) {
    console.error(`== ${suite.name}`);
    const suiteWork = join(workDir, suite.name);
    mkdirSync(suiteWork, { recursive: true });
    const ctx = {
      repoRoot,
      benchDir,
      workDir: suiteWork,
      env,
      scale: settings.scale,
      runs: settings.runs,
      cases,
      log: (line) => console.error(line),
      measure: (steps, options) => measure(steps, { runs: settings.runs, ...options }),
      ensureCorpus: (options) => ensureCorpus({ log: (line) => console.error(line), ...options }),
      formatSize,
    };
    const started = performance.now();
    const load = loadavg()[0];
    if (load > results.machine.cores / 2) {
      console.error(
        `note: load average ${load.toFixed(1)} on ${results.machine.cores} cores; other processes will inflate the times`,
      );
    }
    const entry = {
      name: suite.name,
      title: suite.title ?? suite.name,
      ranAt: new Date().toISOString(),
      speedProbes: speedProbes(),
      loadAverage: { start: load },
      settings: { ...settings, cases },
    };
    try {
      entry.result = await suite.run(ctx);
    } catch (error) {
      console.error(error);
      entry.error = error instanceof Error ? error.message : String(error);
    }
    entry.seconds = Math.round((performance.now() - started) / 100) / 10;
    entry.loadAverage.end = loadavg()[0];
    results.suites[suite.name] = entry;
    globalThis.gc?.();
  }

  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(repoRoot, 'BENCHMARKS.md'), renderBenchmarks(results));
  console.error(`wrote BENCHMARKS.md and ${resultsPath}`);
  for (const name of results.order) {
    for (const table of results.suites[name]?.result?.tables ?? []) {
      console.log(`\n${name}: ${table.title}`);
      console.table(table.rows);
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

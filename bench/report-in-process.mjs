#!/usr/bin/env node
// The parts of `ccmon report <name> --json --no-scan` that are ccmon's own work, timed
// inside one process with ccmon's modules from dist/:
//   node bench/report-in-process.mjs <repoRoot> <store> <report>
// Prints one JSON line, in ms: import (loading the modules), open (openStore, which
// migrates and checks the store), build (buildReport + .json()), stringify (the JSON text
// as the CLI writes it), each also as CPU time (openCpu, ...); then `warm`: the same again in the same process (JIT warm,
// store pages cached), which is what a long-running process such as `ccmon serve` pays.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [repoRoot, storePath, name] = process.argv.slice(2);
const dist = (...parts) => pathToFileURL(join(repoRoot, 'dist', ...parts)).href;

const t = performance.now();
const { openStore } = await import(dist('store', 'open-store.js'));
const { buildReport } = await import(dist('views', 'reports', 'build-report.js'));
const { DEFAULT_REPORT_OPTIONS } = await import(dist('views', 'reports', 'report-options.js'));
const importMs = performance.now() - t;

/** Runs fn, adding its wall and CPU (user + system) time in ms to `times` under `name`. */
function phase(times, name, fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  times[name] = performance.now() - started;
  const used = process.cpuUsage(cpu);
  times[`${name}Cpu`] = (used.user + used.system) / 1000;
  return value;
}

function once() {
  const times = {};
  const db = phase(times, 'open', () => openStore(storePath));
  try {
    const json = phase(times, 'build', () =>
      buildReport(db, name, { ...DEFAULT_REPORT_OPTIONS, timezone: 'UTC', now: Date.now() }).json(),
    );
    const text = phase(times, 'stringify', () => `${JSON.stringify(json, null, 2)}\n`);
    times.bytes = text.length;
  } finally {
    db.close();
  }
  return times;
}

const cold = once();
const warm = once();
process.stdout.write(`${JSON.stringify({ import: importMs, ...cold, warm })}\n`);

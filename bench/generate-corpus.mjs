#!/usr/bin/env node
// Deterministic generator of Claude Code config dirs for benchmarks, with truth.json.
//   node bench/generate-corpus.mjs --mix realistic|assistant-heavy|single-file --size 1GB [--seed N] [--out DIR] [--force]
// Without --out the corpus goes to bench/.corpus/<mix>-<size>-<seed>/ and is reused when present.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LineSink } from './corpus/line-sink.mjs';
import { encodeCwd, planCorpus } from './corpus/plan.mjs';
import { PROFILES } from './corpus/profiles.mjs';
import { createRandom } from './corpus/random.mjs';
import { createSessionState, writeContinueCopy, writeSession } from './corpus/session.mjs';
import { createTextPool } from './corpus/text-pool.mjs';
import { createTruth } from './corpus/truth.mjs';

/** Bump when the output changes, so cached corpora are regenerated. */
export const GENERATOR_VERSION = 2;
export const MIXES = ['realistic', 'assistant-heavy', 'single-file'];
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const UNITS = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** "1GB" -> bytes (binary units). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`--size ${text}: expected a size like 500MB or 1GB`);
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'B').toUpperCase()]);
}

export function formatSize(bytes) {
  if (bytes >= UNITS.GB && bytes % UNITS.GB === 0) return `${bytes / UNITS.GB}GB`;
  return `${Math.round(bytes / UNITS.MB)}MB`;
}

export function defaultCorpusDir(mix, bytes, seed) {
  return join(BENCH_DIR, '.corpus', `${mix}-${formatSize(bytes)}-${seed}`);
}

function writeFile(path, truth, write) {
  const sink = new LineSink(path);
  const malformed = write(sink);
  sink.close();
  truth.addFile(sink);
  truth.counts.malformedLines += malformed;
}

function generate(dir, mix, bytes, seed) {
  const random = createRandom(seed);
  const text = createTextPool(random);
  const truth = createTruth();
  const profile = PROFILES[mix === 'single-file' ? 'realistic' : mix];
  for (const plan of planCorpus(random, mix, bytes)) {
    const projectDir = join(dir, 'projects', encodeCwd(plan.cwd));
    const base = { random, text, version: plan.version, cwd: plan.cwd };
    const main = createSessionState({
      ...base,
      sessionId: plan.sessionId,
      model: plan.model,
      startMs: plan.startMs,
    });
    const record = plan.continueCopy ? [] : undefined;
    writeFile(join(projectDir, `${plan.sessionId}.jsonl`), truth, (sink) =>
      writeSession(main, profile, { sink, truth, record }, plan.target, plan),
    );
    for (const agent of plan.subagents) {
      const startMs = plan.startMs + random.int(1000, 3_600_000);
      const s = createSessionState({
        ...base,
        sessionId: plan.sessionId,
        model: agent.model,
        startMs,
        agent,
      });
      const path = join(projectDir, agent.path);
      writeFile(path, truth, (sink) => writeSession(s, profile, { sink, truth }, agent.target));
      if (agent.attributionAgent) {
        const meta = {
          agentType: agent.attributionAgent,
          isBuiltIn: true,
          model: agent.model,
          finished: true,
        };
        writeFileSync(path.replace(/\.jsonl$/, '.meta.json'), JSON.stringify(meta));
      }
    }
    if (plan.continueCopy) {
      const { sessionId, extra } = plan.continueCopy;
      const s = createSessionState({
        ...base,
        sessionId,
        model: plan.model,
        startMs: main.clock + random.int(60_000, 86_400_000),
      });
      writeFile(join(projectDir, `${sessionId}.jsonl`), truth, (sink) =>
        writeContinueCopy(s, profile, { sink, truth }, record, extra),
      );
    }
  }
  return truth;
}

function readTruth(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Returns { dir, truth, reused }, generating the corpus unless a complete one with the
 * same generator version, mix, size and seed is already there. truth.json is written
 * last, after an atomic rename, so an interrupted run never looks complete.
 */
export function ensureCorpus({
  mix,
  bytes,
  seed = 1,
  dir = defaultCorpusDir(mix, bytes, seed),
  force = false,
  log = console.error,
}) {
  if (!MIXES.includes(mix)) throw new Error(`--mix ${mix}: expected one of ${MIXES.join(', ')}`);
  const existing = readTruth(dir);
  const g = existing?.generator;
  if (
    !force &&
    g?.version === GENERATOR_VERSION &&
    g.mix === mix &&
    g.targetBytes === bytes &&
    g.seed === seed
  ) {
    return { dir, truth: existing, reused: true };
  }
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  log(`generating ${mix} corpus of ${formatSize(bytes)} (seed ${seed}) in ${dir} ...`);
  const started = performance.now();
  const truth = generate(tmp, mix, bytes, seed).toJSON();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const full = {
    generator: { version: GENERATOR_VERSION, mix, targetBytes: bytes, seed, seconds },
    ...truth,
  };
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(full, null, 2)}\n`);
  log(
    `  ${truth.counts.files} files, ${formatSize(truth.counts.bytes)}, ${truth.total.responses} responses in ${seconds}s`,
  );
  return { dir, truth: full, reused: false };
}

function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      mix: { type: 'string', default: 'realistic' },
      size: { type: 'string' },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
    },
  });
  const mix = values.mix;
  const bytes = parseSize(values.size ?? (mix === 'realistic' ? '1GB' : '500MB'));
  const seed = Number.parseInt(values.seed, 10);
  const { dir, truth, reused } = ensureCorpus({
    mix,
    bytes,
    seed,
    dir: values.out,
    force: values.force,
  });
  if (reused) console.error(`reusing ${dir} (delete it or pass --force to regenerate)`);
  console.log(JSON.stringify({ dir, total: truth.total, counts: truth.counts }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}

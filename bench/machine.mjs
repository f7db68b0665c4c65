// Describes the machine a benchmark ran on.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

function readOr(path, fallback) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

export function describeMachine() {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const osName =
    /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release', ''))?.[1] ?? os.type();
  return {
    cpu,
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osName} (${os.type()} ${os.release()}, ${os.arch()})`,
  };
}

/** Integer arithmetic over `n` steps, then `scans` byte searches through 1 MB. */
function probeWork(n, scans, bytes) {
  let x = n;
  for (let i = 0; i < n; i++) x = (x + Math.imul(i, 0x9e3779b1)) | 0;
  for (let k = 0; k < scans; k++) x += bytes.indexOf(0x62);
  return x;
}

/** `n` dependent reads at pseudo-random places of `words` (cache and TLB misses). */
function memoryWalk(words, n) {
  let state = 1;
  let x = 0;
  for (let i = 0; i < n; i++) {
    // A linear congruential step; `x` makes each read wait for the one before.
    state = (Math.imul(state, 1664525) + 1013904223 + x) >>> 0;
    x = words[state % words.length] & 1;
  }
  return x;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Three fixed pieces of work, timed (medians, ms): `cpu`, arithmetic and a byte
 * search once optimised; `memory`, 500,000 dependent reads at random places of
 * 256 MB; `startMs`, starting \`node -e 0\`. This VM's speed changes from one day
 * to the next by up to 2x with the same code, and not always in all three, so a
 * suite's absolute times compare across runs only next to the probes of each run;
 * ratios within a run need no such help.
 */
export function speedProbes() {
  const bytes = Buffer.alloc(1 << 20, 0x61);
  let sink = 0;
  for (let warm = 0; warm < 20; warm++) sink += probeWork(100_000, 1, bytes);
  const cpu = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    sink += probeWork(20_000_000, 200, bytes);
    cpu.push(performance.now() - started);
  }
  const words = new Uint32Array(64 << 20);
  for (let i = 0; i < words.length; i += 1024) words[i] = i;
  sink += memoryWalk(words, 100_000);
  const memory = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    sink += memoryWalk(words, 500_000);
    memory.push(performance.now() - started);
  }
  const start = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    start.push(performance.now() - started);
  }
  // `sink` keeps the work from being optimised away.
  if (sink === 0.5) console.error('');
  return {
    cpuMs: Math.round(median(cpu)),
    memoryMs: Math.round(median(memory)),
    nodeStartMs: Math.round(median(start)),
  };
}

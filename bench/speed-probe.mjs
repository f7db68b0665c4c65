#!/usr/bin/env node
// Two fixed pieces of work, timed in a fresh process (so every run starts from the same
// JIT state): prints {"cpuMs", "memoryMs"}, the medians. Run by bench/machine.mjs.

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
// `sink` keeps the work from being optimised away.
console.log(
  JSON.stringify({
    cpuMs: Math.round(median(cpu)),
    memoryMs: Math.round(median(memory)),
    sink: sink === 0.5,
  }),
);

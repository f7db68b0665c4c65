// Describes the machine a benchmark ran on.

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

/**
 * A fixed piece of CPU work (integer arithmetic, then a byte search through 200 MB
 * of memory), timed once optimised: the median of 5, in ms. This VM's speed changes
 * from one day to the next by up to 2x with the same code, so a suite's absolute
 * times compare across runs only next to the probe of each run; ratios within a run
 * need no such help.
 */
export function speedProbeMs() {
  const bytes = Buffer.alloc(1 << 20, 0x61);
  let sink = 0;
  for (let warm = 0; warm < 20; warm++) sink += probeWork(100_000, 1, bytes);
  const times = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    sink += probeWork(20_000_000, 200, bytes);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  // `sink` keeps the work from being optimised away.
  return sink === 0.5 ? -1 : Math.round(times[2]);
}

// Describes the machine a benchmark ran on.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Three fixed pieces of work, timed (medians, ms): `cpuMs`, arithmetic and a byte
 * search; `memoryMs`, 500,000 dependent reads at random places of 256 MB (both in a
 * fresh process, bench/speed-probe.mjs, so each run starts from the same JIT state);
 * `nodeStartMs`, starting \`node -e 0\`. This VM's speed changes from one day to the
 * next by up to 2x with the same code, and not always in all three, so a suite's
 * absolute times compare across runs only next to the probes of each run; ratios
 * within a run need no such help.
 */
export function speedProbes() {
  const script = fileURLToPath(new URL('./speed-probe.mjs', import.meta.url));
  const { cpuMs, memoryMs } = JSON.parse(
    execFileSync(process.execPath, [script], { encoding: 'utf8' }),
  );
  const start = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    start.push(performance.now() - started);
  }
  return { cpuMs, memoryMs, nodeStartMs: Math.round(median(start)) };
}

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

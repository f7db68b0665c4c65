// The commands the suites time: ccusage (the reference) and ccmon (ours).

import { chmodSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * ccusage 20 is a Node wrapper that spawns a native Rust binary. We time the binary
 * itself: the wrapper adds a Node start-up (~40 ms, ~45 MB RSS) that is not ccusage's
 * work, and GNU time would report max(wrapper, binary) RSS.
 */
export function findCcusage(repoRoot) {
  const require = createRequire(join(repoRoot, 'package.json'));
  try {
    const pkg = require.resolve(
      `@ccusage/ccusage-${process.platform}-${process.arch}/package.json`,
    );
    const bin = join(dirname(pkg), 'bin', process.platform === 'win32' ? 'ccusage.exe' : 'ccusage');
    if (existsSync(bin)) {
      // npm may install the binary without its execute bit; ccusage's own wrapper sets it
      // on first run, so do the same before timing the binary directly.
      const { mode } = statSync(bin);
      if (process.platform !== 'win32' && (mode & 0o111) === 0) chmodSync(bin, mode | 0o755);
      return { cmd: bin, args: [], how: 'native binary' };
    }
  } catch {}
  const wrapper = join(repoRoot, 'node_modules', '.bin', 'ccusage');
  if (existsSync(wrapper))
    return { cmd: wrapper, args: [], how: 'npm wrapper (native binary not found)' };
  return undefined;
}

export function findCcmon(repoRoot) {
  const main = join(repoRoot, 'dist', 'cli', 'main.js');
  return existsSync(main) ? { cmd: process.execPath, args: [main] } : undefined;
}

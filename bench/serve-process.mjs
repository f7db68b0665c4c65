// `ccmon serve` (the built CLI) in a child process on free loopback ports, for the suites
// that measure it through its real interfaces; and its memory, read from /proc.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free loopback port, chosen by the OS. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in KB (VmRSS), or null once it is gone. */
export function rssKB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb);
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, or null once it is gone. */
export function cpuMs(pid) {
  try {
    // Fields after "(comm)": state is [0], utime [11], stime [12], in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Starts `node dist/cli/main.js serve --db <db> --claude-dir <empty dir> ...` on free
 * ports (ctx.env, so an empty HOME and TZ=UTC) and resolves once it says it is running.
 * `otlp: false` passes --no-otlp; `nodeArgs` go to node itself (e.g. --cpu-prof, to profile
 * a run). Resolves to { pid, base, otlpHttpBase, output(), stop() }.
 */
export async function startServe(ctx, { db, otlp = true, readyMs = 120_000, nodeArgs = [] }) {
  // An empty Claude config dir, with its projects/ folder: the transcript watcher waits for
  // a folder that exists before serve says it is running.
  const claudeDir = join(ctx.workDir, 'empty-claude-dir');
  mkdirSync(join(claudeDir, 'projects'), { recursive: true });
  const port = await freePort();
  const ports = otlp
    ? ['--otlp-grpc-port', String(await freePort()), '--otlp-http-port', String(await freePort())]
    : ['--no-otlp'];
  const argv = [
    ...nodeArgs,
    join(ctx.repoRoot, 'dist', 'cli', 'main.js'),
    'serve',
    '--db',
    db,
    '--claude-dir',
    claudeDir,
    '--port',
    String(port),
    ...ports,
  ];
  const child = spawn(process.execPath, argv, {
    env: ctx.env,
    cwd: ctx.workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d) => {
    // Only the head matters (the banner, a startup error); a long run must not grow this.
    if (out.length < 20_000) out += String(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  let started = false;
  await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!out.includes('is running')) return;
      started = true;
      clearInterval(timer);
      clearTimeout(timeout);
      resolve();
    }, 20);
    const timeout = setTimeout(() => {
      clearInterval(timer);
      child.kill('SIGKILL');
      reject(new Error(`ccmon serve did not start within ${readyMs / 1000} s:\n${out}`));
    }, readyMs);
    exited.then((code) => {
      if (started) return;
      clearInterval(timer);
      clearTimeout(timeout);
      reject(new Error(`ccmon serve exited with ${code}:\n${out}`));
    });
  });
  return {
    pid: child.pid,
    base: `http://127.0.0.1:${port}`,
    otlpHttpBase: otlp ? `http://127.0.0.1:${ports[3]}` : undefined,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

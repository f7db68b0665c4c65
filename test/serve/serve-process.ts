import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/store.js';
import { freePort } from '../metrics/prometheus-process.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export { freePort };

export interface RunningCcmon {
  child: ChildProcess;
  base: string;
  grpcPort: number;
  httpPort: number;
  dbPath: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The built `ccmon serve`, on free ports, with its own store; resolves once it prints its URLs. */
export async function startCcmon(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunningCcmon> {
  const [port, grpcPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const dbPath = join(tempDir(), 'ccmon.db');
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--db',
      dbPath,
      '--port',
      String(port),
      '--otlp-grpc-port',
      String(grpcPort),
      '--otlp-http-port',
      String(httpPort),
      ...args,
    ],
    {
      env: { ...process.env, HOME: tempDir(), TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('is running')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`ccmon serve exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    grpcPort,
    httpPort,
    dbPath,
    output: () => out,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Polls `check` until it returns true or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

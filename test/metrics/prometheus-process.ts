import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/store.js';

/** Fails with how to get them when Prometheus' binaries are missing (CI installs them). */
export function requireBinary(name: 'prometheus' | 'promtool'): void {
  const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`${name} is not installed: apt-get install -y prometheus`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

export interface RunningPrometheus {
  /** An instant query through the HTTP API; `time` in Unix seconds. */
  query(expr: string, time?: number): Promise<VectorSample[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on a free loopback port, with a generated config that
 * scrapes `target` (host:port) every second, on `storagePath` (default: a
 * temp dir). Retention is long so backfilled blocks of any age are kept.
 */
export function startPrometheus(options: {
  target?: string;
  storagePath?: string;
}): Promise<RunningPrometheus> {
  const scrape = options.target
    ? `scrape_configs:\n  - job_name: ccmon\n    static_configs:\n      - targets: ['${options.target}']\n`
    : '';
  return startPrometheusWith(
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n${scrape}`,
    options.storagePath,
  );
}

/** A real Prometheus on a free loopback port running `config` (YAML text). */
export async function startPrometheusWith(
  config: string,
  storagePath?: string,
): Promise<RunningPrometheus> {
  requireBinary('prometheus');
  const dir = tempDir('ccmon-prometheus-');
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${storagePath ?? join(dir, 'data')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    const ready = await fetch(`${base}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    async query(expr, time) {
      const params = new URLSearchParams({ query: expr });
      if (time !== undefined) params.set('time', String(time));
      const body: unknown = await (await fetch(`${base}/api/v1/query?${params}`)).json();
      return vectorOf(body, expr);
    },
    stop,
  };
}

function vectorOf(body: unknown, expr: string): VectorSample[] {
  const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
  if (typeof data !== 'object' || data === null || !('result' in data) || !('resultType' in data)) {
    throw new Error(`query ${expr} failed: ${JSON.stringify(body)}`);
  }
  const { result, resultType } = data;
  if (resultType === 'scalar' && Array.isArray(result))
    return [{ metric: {}, value: Number(result[1]) }];
  if (!Array.isArray(result)) throw new Error(`query ${expr}: unexpected ${JSON.stringify(body)}`);
  return result.map((r: unknown) => {
    const metric = typeof r === 'object' && r !== null && 'metric' in r ? r.metric : undefined;
    const value = typeof r === 'object' && r !== null && 'value' in r ? r.value : undefined;
    if (typeof metric !== 'object' || metric === null || !Array.isArray(value)) {
      throw new Error(`query ${expr}: unexpected sample ${JSON.stringify(r)}`);
    }
    return {
      metric: Object.fromEntries(Object.entries(metric).map(([k, v]) => [k, String(v)])),
      value: Number(value[1]),
    };
  });
}

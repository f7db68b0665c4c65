// A real Prometheus running a config the test writes, for scrape jobs taken
// from the stack's prometheus.yml. test/metrics/prometheus-process.ts writes
// its own one-job config; this is its start and query, with the config open.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/store.js';
import { freePort, requireBinary, type VectorSample } from '../metrics/prometheus-process.js';

export interface ConfiguredPrometheus {
  /** An instant query through the HTTP API; `time` in Unix seconds. */
  query(expr: string, time?: number): Promise<VectorSample[]>;
  stop(): Promise<void>;
}

/** Prometheus on a free loopback port with `config` (YAML text) and a temp TSDB. */
export async function startPrometheusWith(config: string): Promise<ConfiguredPrometheus> {
  requireBinary('prometheus');
  const dir = tempDir('ccmon-stack-prometheus-');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
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

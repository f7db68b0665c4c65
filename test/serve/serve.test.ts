import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { otlpBodiesOf } from '../helpers/otlp-bodies.js';
import { tempDir } from '../helpers/store.js';
import { NEW_RUNS, OLD_RUNS, runTruth } from '../helpers/truth.js';
import { CLI, eventually, freePort, type RunningCcmon, startCcmon } from './serve-process.js';

interface Summary {
  view: string;
  tokens: { input: number; output: number; cacheRead: number; cacheCreation: number };
  costNanos: number;
  responses: number;
}

const running: RunningCcmon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningCcmon> {
  const ccmon = await startCcmon(args, env);
  running.push(ccmon);
  return ccmon;
}

async function summary(base: string, query = ''): Promise<Summary> {
  // The fixtures were recorded on 2026-11-24; a fixed window keeps the test independent of today.
  const res = await fetch(`${base}/api/summary?from=2026-11-01&to=2026-12-01&${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Summary;
}

async function postJson(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('ccmon serve', () => {
  it('starts on loopback, prints where everything is, and stops cleanly on SIGTERM', async () => {
    const ccmon = await startCcmon(['--claude-dir', join(NEW_RUNS, 'json-tools')]);
    const out = ccmon.output();
    expect(out).toContain(`${ccmon.base}/`);
    expect(out).toContain(`${ccmon.base}/metrics`);
    expect(out).toContain(ccmon.dbPath);
    expect(out).toContain("export OTEL_EXPORTER_OTLP_ENDPOINT='http://127.0.0.1:");
    expect(out).toContain('$env:CLAUDE_CODE_ENABLE_TELEMETRY = "1"');
    const health = await fetch(`${ccmon.base}/health`);
    expect(health.status).toBe(200);
    expect(await ccmon.stop('SIGTERM')).toBe(0);
  });

  it('the transcripts and the OTLP bodies of one run count each request once', async () => {
    const run = runTruth('2.1.10-json-tools');
    const ccmon = await serve(['--claude-dir', run.dir]);
    for (const body of otlpBodiesOf(run.dir)) {
      expect(
        await postJson(`http://127.0.0.1:${ccmon.httpPort}/v1/${body.signal}`, body.json),
      ).toBe(200);
    }
    const both = await summary(ccmon.base, 'view=both');
    const want = run.both.reduce((a, m) => a + m.output, 0);
    expect(both.tokens.output).toBe(want);
    expect(both.responses).toBe(run.both.reduce((a, m) => a + m.responses, 0));
    expect(both.costNanos).toBe(Math.round(run.both.reduce((a, m) => a + m.cost, 0) * 1e9));
    const transcripts = await summary(ccmon.base, 'view=transcripts');
    expect(transcripts.tokens.output).toBe(3);
  });

  it('shows a line appended to a watched transcript within 5 seconds', async () => {
    const config = tempDir();
    cpSync(join(OLD_RUNS, '1.0.5-json-tools'), config, { recursive: true });
    const file = join(
      config,
      'projects/-home-dev-projects-json-tools-work/bf238525-4907-4879-b250-9d77c67bc94f.jsonl',
    );
    const ccmon = await serve(['--claude-dir', config]);
    expect((await summary(ccmon.base)).responses).toBe(3);
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.includes('"costUSD"'));
    if (!line) throw new Error('no assistant line in the fixture');
    appendFileSync(
      file,
      `${line.replace(/msg_01[A-Za-z0-9_-]+/, 'msg_01appendedForTheWatcher')}\n`,
    );
    expect(await eventually(async () => (await summary(ccmon.base)).responses === 4, 5000)).toBe(
      true,
    );
  });

  it('starts without any transcripts, and picks up a config dir created later', async () => {
    const config = tempDir();
    const ccmon = await serve(['--claude-dir', config, '--scrape-interval', '1']);
    expect((await summary(ccmon.base)).responses).toBe(0);
    cpSync(join(NEW_RUNS, 'json-tools', 'projects'), join(config, 'projects'), { recursive: true });
    expect(await eventually(async () => (await summary(ccmon.base)).responses === 3, 5000)).toBe(
      true,
    );
  });

  it('bad OTLP bodies get a 4xx, are counted on /health, and lose nothing stored', async () => {
    const ccmon = await serve(['--claude-dir', join(NEW_RUNS, 'json-tools')]);
    const before = await summary(ccmon.base);
    const url = `http://127.0.0.1:${ccmon.httpPort}/v1/logs`;
    const garbage = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from([0x0a, 0xff, 0xff, 0x01]),
    });
    expect(garbage.status).toBe(400);
    const wrongType = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(wrongType.status).toBe(415);
    const health = (await (await fetch(`${ccmon.base}/health`)).json()) as {
      rejectedOtlpRequests: number;
    };
    expect(health.rejectedOtlpRequests).toBe(2);
    const after = await summary(ccmon.base);
    expect({ tokens: after.tokens, cost: after.costNanos, responses: after.responses }).toEqual({
      tokens: before.tokens,
      cost: before.costNanos,
      responses: before.responses,
    });
  });

  it('requires --auth-token off loopback, and then checks it on every route but /health', async () => {
    const refused = spawnSync(
      process.execPath,
      [CLI, 'serve', '--host', '0.0.0.0', '--db', join(tempDir(), 'x.db')],
      {
        encoding: 'utf8',
        env: { ...process.env, CCMON_AUTH_TOKEN: '' },
      },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--auth-token');

    const ccmon = await serve([
      '--claude-dir',
      join(NEW_RUNS, 'json-tools'),
      '--auth-token',
      's3cret',
    ]);
    expect((await fetch(`${ccmon.base}/health`)).status).toBe(200);
    expect((await fetch(`${ccmon.base}/api/summary`)).status).toBe(401);
    expect((await fetch(`${ccmon.base}/metrics`)).status).toBe(401);
    const ok = await fetch(`${ccmon.base}/metrics`, {
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(ok.status).toBe(200);
    expect(await postJson(`http://127.0.0.1:${ccmon.httpPort}/v1/logs`, { resourceLogs: [] })).toBe(
      401,
    );
  });

  it('takes the token from CCMON_AUTH_TOKEN, and --help names the variable, never its value', async () => {
    const help = spawnSync(process.execPath, [CLI, 'serve', '--help'], {
      encoding: 'utf8',
      env: { ...process.env, CCMON_AUTH_TOKEN: 'env-s3cret', SCRAPE_INTERVAL: '7' },
    });
    expect(help.status).toBe(0);
    expect(help.stdout).not.toContain('env-s3cret');
    expect(help.stdout).toMatch(/env:\s+CCMON_AUTH_TOKEN/);
    expect(help.stdout).toMatch(/env:\s+SCRAPE_INTERVAL/);
    expect(help.stdout).not.toContain('default: []');

    const ccmon = await serve(['--claude-dir', join(NEW_RUNS, 'json-tools')], {
      CCMON_AUTH_TOKEN: 'env-s3cret',
    });
    expect((await fetch(`${ccmon.base}/api/summary`)).status).toBe(401);
    const ok = await fetch(`${ccmon.base}/api/summary`, {
      headers: { authorization: 'Bearer env-s3cret' },
    });
    expect(ok.status).toBe(200);
  });

  it('names the port when it is in use', async () => {
    const port = await freePort();
    const blocker = createServer(() => undefined);
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const result = spawnSync(
        process.execPath,
        [
          CLI,
          'serve',
          '--port',
          String(port),
          '--no-otlp',
          '--db',
          join(tempDir(), 'x.db'),
          '--claude-dir',
          tempDir(),
        ],
        { encoding: 'utf8', env: { ...process.env, HOME: tempDir() } },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`127.0.0.1:${port}`);
      expect(result.stderr).toMatch(/in use|EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});

import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CcmonPorts, DEFAULT_PORTS } from '../../src/cli/doctor-check.js';
import { checkEndpointAnswers, checkHttpPort, checkOtlpPort } from '../../src/cli/doctor-ports.js';
import { parseOtlpHeaders } from '../../src/cli/doctor-probes.js';
import { runDoctor } from '../../src/cli/doctor-run.js';
import { checkRecentTelemetry, checkStore } from '../../src/cli/doctor-store.js';
import {
  checkTelemetrySettings,
  effectiveTelemetrySettings,
} from '../../src/cli/doctor-telemetry.js';
import { checkTranscripts } from '../../src/cli/doctor-transcripts.js';
import { startOtlpGrpcServer, startOtlpHttpServer } from '../../src/sources/otlp/index.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { storeWith, tempDir } from '../helpers/store.js';
import { freePort } from '../metrics/prometheus-process.js';
import { RecordingSink } from '../otlp/recording-sink.js';

const FIXTURE = 'test/fixtures/claude-code-2.1.330/json-tools';

/** A Claude config dir holding one real run's transcripts, and a settings.json if given. */
function configDir(env?: Record<string, string>): string {
  const dir = tempDir('ccmon-doctor-');
  cpSync(join(FIXTURE, 'projects'), join(dir, 'projects'), { recursive: true });
  if (env) writeFileSync(join(dir, 'settings.json'), JSON.stringify({ env }, null, 2));
  return dir;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A node:http server on a free port, answering every request with `reply`. */
async function httpServer(reply: (res: ServerResponse) => void): Promise<number> {
  const server: Server = createServer((_req, res) => reply(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

function settingsOf(env: Record<string, string>) {
  return effectiveTelemetrySettings([{ from: 'settings.json', env }]);
}

const GOOD_ENV = {
  CLAUDE_CODE_ENABLE_TELEMETRY: '1',
  OTEL_METRICS_EXPORTER: 'otlp',
  OTEL_LOGS_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
};

describe('doctor: transcripts', () => {
  it('finds the fixture run in the config dir', () => {
    const dir = configDir();
    expect(checkTranscripts(projectsDirs([dir]))).toEqual({
      name: 'transcripts',
      status: 'ok',
      detail: `1 transcript file in ${join(dir, 'projects')}`,
    });
  });

  it('fails on a config dir without transcripts, and says how to point ccmon at the right one', () => {
    const dir = tempDir('ccmon-doctor-');
    const result = checkTranscripts(projectsDirs([dir]));
    expect(result.status).toBe('fail');
    expect(result.detail).toContain(`no readable transcript in ${join(dir, 'projects')}`);
    expect(result.detail).toContain('does not exist');
    expect(result.fix).toContain('--claude-dir DIR or CLAUDE_CONFIG_DIR=DIR');
  });
});

describe('doctor: telemetry settings', () => {
  it('flags missing telemetry settings with the fix', () => {
    const checks = checkTelemetrySettings(
      settingsOf({}),
      ['~/.claude/settings.json', 'this shell'],
      DEFAULT_PORTS,
    );
    expect(checks).toEqual([
      {
        name: 'telemetry',
        status: 'fail',
        detail:
          'no telemetry settings found (looked in ~/.claude/settings.json, this shell); Claude Code sends no OpenTelemetry data',
        fix: 'run `ccmon setup`, then restart Claude Code',
      },
    ]);
  });

  it('passes what ccmon setup writes', () => {
    const checks = checkTelemetrySettings(settingsOf(GOOD_ENV), [], DEFAULT_PORTS);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['telemetry', 'ok'],
      ['exporters', 'ok'],
      ['endpoint', 'ok'],
      ['temporality', 'ok'],
    ]);
  });

  it('warns on http/protobuf sent to the gRPC port 4317', () => {
    const env = { ...GOOD_ENV, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
    const endpoint = checkTelemetrySettings(settingsOf(env), [], DEFAULT_PORTS).find(
      (c) => c.name === 'endpoint',
    );
    expect(endpoint?.status).toBe('warn');
    expect(endpoint?.detail).toBe(
      'http/protobuf to http://127.0.0.1:4317: port 4317 is where OTLP/gRPC is received, not http/protobuf',
    );
    expect(endpoint?.fix).toContain('use port 4318 (http://127.0.0.1:4318)');
  });

  it('fails telemetry switched off, no OTLP exporter, an unknown protocol; warns on a bad temporality', () => {
    const env = {
      CLAUDE_CODE_ENABLE_TELEMETRY: '0',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes',
    };
    const status = Object.fromEntries(
      checkTelemetrySettings(settingsOf(env), [], DEFAULT_PORTS).map((c) => [c.name, c.status]),
    );
    expect(status).toEqual({
      telemetry: 'fail',
      exporters: 'fail',
      endpoint: 'fail',
      temporality: 'warn',
    });
  });

  it("lets settings.json override the shell's environment, as Claude Code does", () => {
    const settings = effectiveTelemetrySettings([
      { from: 'this shell', env: { CLAUDE_CODE_ENABLE_TELEMETRY: '0', PATH: '/bin' } },
      { from: 'settings.json', env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' } },
    ]);
    expect([...settings]).toEqual([
      ['CLAUDE_CODE_ENABLE_TELEMETRY', { value: '1', from: 'settings.json' }],
    ]);
  });
});

describe('doctor: ports and receivers', () => {
  it('detects a port held by a server that is not ccmon', async () => {
    const port = await httpServer((res) => res.end('hello'));
    const result = await checkHttpPort(port);
    expect(result.check.status).toBe('fail');
    expect(result.check.detail).toBe(
      'held by another program: GET /health answered 200 without JSON',
    );
    expect(result.check.fix).toContain('ccmon serve --port N');
    expect(result.health).toBeUndefined();
  });

  it('recognises ccmon by its /health and reads when telemetry last arrived', async () => {
    const health = {
      status: 'ok',
      version: '0.1.0',
      uptimeSeconds: 5,
      store: { writable: true, bytes: 4096 },
      lastData: { transcriptsMs: 1, telemetryMs: 2 },
    };
    const port = await httpServer((res) => res.end(JSON.stringify(health)));
    const result = await checkHttpPort(port);
    expect(result.check).toEqual({
      name: `port ${port}`,
      status: 'ok',
      detail: 'ccmon 0.1.0 is serving here (up 5 s)',
    });
    expect(result.health?.lastData.telemetryMs).toBe(2);
  });

  it('tells OTLP receivers from other programs on the OTLP ports', async () => {
    const sink = new RecordingSink();
    const http = await startOtlpHttpServer({ host: '127.0.0.1', port: 0, sink });
    const grpc = await startOtlpGrpcServer({
      host: '127.0.0.1',
      port: 0,
      sink,
      authToken: 'secret',
    });
    closers.push(
      () => http.close(),
      () => grpc.close(),
    );
    const plain = await httpServer((res) => res.end('hello'));

    expect((await checkOtlpPort('http', http.port)).status).toBe('ok');
    expect((await checkOtlpPort('grpc', grpc.port)).detail).toBe(
      'an OTLP/gRPC receiver answers here, with a token (ccmon serve or a collector)',
    );
    expect((await checkOtlpPort('http', plain)).status).toBe('fail');
    expect((await checkOtlpPort('grpc', plain)).status).toBe('fail');
    expect((await checkOtlpPort('grpc', await freePort())).detail).toBe(
      'free: ccmon serve can receive OTLP/gRPC here',
    );
    expect(sink.records).toEqual([]);
  });

  it('sends an empty export where Claude Code sends, with its token', async () => {
    const sink = new RecordingSink();
    const grpc = await startOtlpGrpcServer({
      host: '127.0.0.1',
      port: 0,
      sink,
      authToken: 'secret',
    });
    closers.push(() => grpc.close());
    const endpoint = `http://127.0.0.1:${grpc.port}`;
    const env = { ...GOOD_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint };

    const headers = parseOtlpHeaders('Authorization=Bearer%20secret');
    expect(headers).toEqual({ Authorization: 'Bearer secret' });

    expect(await checkEndpointAnswers(settingsOf(env), headers)).toEqual({
      name: 'receiver',
      status: 'ok',
      detail: `${endpoint} accepts grpc exports`,
    });
    const noToken = await checkEndpointAnswers(settingsOf(env), {});
    expect(noToken?.status).toBe('fail');
    expect(noToken?.detail).toBe(`${endpoint} refuses Claude Code's credentials (no token sent)`);
    expect(noToken?.fix).toContain('ccmon setup --auth-token TOKEN');
  });
});

describe('doctor: store and recent data', () => {
  it('reports a corrupt store with the fix, without touching it', () => {
    const path = join(tempDir(), 'ccmon.db');
    writeFileSync(path, 'this is not a database');
    const { check } = checkStore(path);
    expect(check.status).toBe('fail');
    expect(check.detail).toContain(`the store ${path} is not a SQLite database`);
    expect(check.fix).toContain('ccmon scan');
  });

  it('reports the schema version and size of a healthy store, and that no telemetry came yet', () => {
    const { db, path } = storeWith([configDir()]);
    db.close();
    const result = checkStore(path);
    expect(result.check.status).toBe('ok');
    expect(result.check.detail).toMatch(
      new RegExp(`^${path}: schema ${MIGRATIONS.length} \\(current\\), \\d+\\.\\d MB$`),
    );
    expect(result.lastTelemetryMs).toBeNull();
  });

  it('wants telemetry from the last 24 hours', () => {
    const now = Date.UTC(2025, 0, 2, 12);
    const from = 'store x.db';
    expect(checkRecentTelemetry({ ms: now - 3600_000, from }, now).detail).toBe(
      'last received 2025-01-02T11:00:00.000Z, 60 min ago (store x.db)',
    );
    expect(checkRecentTelemetry({ ms: now - 48 * 3600_000, from }, now).status).toBe('warn');
    const never = checkRecentTelemetry({ ms: null, from }, now);
    expect(never.status).toBe('warn');
    expect(never.fix).toContain('ccmon setup');
  });
});

describe('runDoctor', () => {
  it('goes through every check of a config dir, its settings, the ports and the store', async () => {
    const dir = configDir({
      ...GOOD_ENV,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
    });
    const notCcmon = await httpServer((res) => {
      res.statusCode = 404;
      res.end();
    });
    const ports: CcmonPorts = {
      http: notCcmon,
      otlpGrpc: await freePort(),
      otlpHttp: await freePort(),
    };
    const dbPath = join(tempDir(), 'ccmon.db');
    mkdirSync(join(dbPath, '..'), { recursive: true });
    writeFileSync(dbPath, 'garbage');

    const checks = await runDoctor({
      dirs: projectsDirs([dir]),
      settingsPath: join(dir, 'settings.json'),
      env: {},
      dbPath,
      ports,
      now: Date.now(),
    });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['transcripts', 'ok'],
      ['telemetry', 'ok'],
      ['exporters', 'ok'],
      ['endpoint', 'ok'],
      ['temporality', 'ok'],
      ['receiver', 'warn'],
      [`port ${ports.http}`, 'fail'],
      [`port ${ports.otlpGrpc}`, 'ok'],
      [`port ${ports.otlpHttp}`, 'ok'],
      ['store', 'fail'],
      ['recent telemetry', 'warn'],
    ]);
  });

  it('names a settings.json that is not JSON', async () => {
    const dir = configDir();
    writeFileSync(join(dir, 'settings.json'), '{ nope');
    const checks = await runDoctor({
      dirs: projectsDirs([dir]),
      settingsPath: join(dir, 'settings.json'),
      env: {},
      dbPath: join(tempDir(), 'none.db'),
      ports: { http: await freePort(), otlpGrpc: await freePort(), otlpHttp: await freePort() },
      now: Date.now(),
    });
    const settings = checks.find((c) => c.name === 'settings');
    expect(settings?.status).toBe('fail');
    expect(settings?.detail).toContain(`${join(dir, 'settings.json')} is not valid JSON`);
  });
});

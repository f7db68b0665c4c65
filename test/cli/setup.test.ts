import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsError, userSettingsPath } from '../../src/cli/claude-settings.js';
import { UsageError } from '../../src/cli/context.js';
import { formatDiff, lineDiff } from '../../src/cli/setup-diff.js';
import { runSetup, type SetupIo, type SetupRequest } from '../../src/cli/setup-run.js';
import { tempDir } from '../helpers/store.js';

const EXISTING = `{
  "model": "opus",
  "env": {
    "FOO": "bar"
  },
  "permissions": {
    "allow": ["Bash(ls)"]
  }
}
`;

function setupIo(env: NodeJS.ProcessEnv = {}, confirm?: SetupIo['confirm']) {
  const out: string[] = [];
  const io: SetupIo = {
    out: (text) => out.push(text),
    env,
    now: new Date(2025, 0, 2, 3, 4, 5),
    color: false,
    ...(confirm ? { confirm } : {}),
  };
  return { io, printed: () => out.join('') };
}

function configDir(settings?: string): string {
  const dir = tempDir('ccmon-setup-');
  if (settings !== undefined) writeFileSync(join(dir, 'settings.json'), settings);
  return dir;
}

const embedded: SetupRequest = { target: 'embedded', protocol: 'grpc', yes: true };

describe('ccmon setup', () => {
  it('merges the telemetry env into settings.json, keeping every other key, after a backup', async () => {
    const dir = configDir(EXISTING);
    const { io, printed } = setupIo();
    const result = await runSetup({ ...embedded, claudeDir: dir }, io);

    const written = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(written).toEqual({
      model: 'opus',
      env: {
        FOO: 'bar',
        CLAUDE_CODE_ENABLE_TELEMETRY: '1',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      },
      permissions: { allow: ['Bash(ls)'] },
    });
    expect(result.backup).toBe(join(dir, 'settings.json.bak-20250102-030405'));
    expect(readFileSync(join(dir, 'settings.json.bak-20250102-030405'), 'utf8')).toBe(EXISTING);

    const out = printed();
    expect(out).toContain(`Claude Code settings: ${join(dir, 'settings.json')}`);
    expect(out).toContain(
      '-     "FOO": "bar"\n+     "FOO": "bar",\n+     "CLAUDE_CODE_ENABLE_TELEMETRY": "1",',
    );
    expect(out).toContain('Restart Claude Code');

    // A second run finds everything in place: no write, no second backup.
    const again = setupIo();
    expect((await runSetup({ ...embedded, claudeDir: dir }, again.io)).written).toBe(false);
    expect(again.printed()).toContain('Already set; nothing to write.');
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.bak-20250102-030405']);
  });

  it("creates settings.json in CLAUDE_CONFIG_DIR's first dir, readable only by its owner", async () => {
    const root = tempDir('ccmon-setup-');
    const first = join(root, 'first');
    const second = join(root, 'second');
    mkdirSync(second);
    const { io } = setupIo({ CLAUDE_CONFIG_DIR: `${first},${second}` });
    const result = await runSetup(embedded, io);

    expect(result).toEqual({ written: true, path: join(first, 'settings.json') });
    expect(
      JSON.parse(readFileSync(join(first, 'settings.json'), 'utf8')).env.OTEL_LOGS_EXPORTER,
    ).toBe('otlp');
    expect(statSync(join(first, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(second)).toEqual([]);
  });

  it('points the stack target at the collector, cumulative, with the token as a header', async () => {
    const dir = configDir();
    const { io } = setupIo();
    await runSetup(
      {
        ...embedded,
        target: 'stack',
        protocol: 'http/protobuf',
        authToken: 'abc123',
        claudeDir: dir,
      },
      io,
    );
    const { env } = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://localhost:4318');
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
    expect(env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).toBe('cumulative');
    expect(env.OTEL_EXPORTER_OTLP_HEADERS).toBe('Authorization=Bearer abc123');
  });

  it('--print gives the lines for bash/zsh, fish and PowerShell and writes nothing', async () => {
    const dir = configDir();
    const { io, printed } = setupIo();
    await runSetup({ ...embedded, print: true, claudeDir: dir }, io);
    const out = printed();
    expect(out).toContain("export CLAUDE_CODE_ENABLE_TELEMETRY='1'");
    expect(out).toContain("export OTEL_EXPORTER_OTLP_ENDPOINT='http://127.0.0.1:4317'");
    expect(out).toContain("set -gx OTEL_LOGS_EXPORTER 'otlp'");
    expect(out).toContain('$env:OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE = "delta"');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a settings.json that is not JSON, naming it, and leaves it untouched', async () => {
    const broken = '{ "model": "opus", }\n';
    const dir = configDir(broken);
    const { io } = setupIo();
    const run = runSetup({ ...embedded, claudeDir: dir }, io);
    await expect(run).rejects.toThrow(SettingsError);
    await expect(run).rejects.toThrow(`${join(dir, 'settings.json')} is not valid JSON`);
    await expect(run).rejects.toThrow(/fix the file or move it away\. Nothing was written$/);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(broken);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('refuses an env block that is not an object', async () => {
    const dir = configDir('{"env": "CLAUDE_CODE_ENABLE_TELEMETRY=1"}');
    await expect(runSetup({ ...embedded, claudeDir: dir }, setupIo().io)).rejects.toThrow(
      `"env" in ${join(dir, 'settings.json')} is not an object`,
    );
  });

  it('--dry-run and a "no" at the prompt show the diff and write nothing', async () => {
    const dir = configDir(EXISTING);
    const dry = setupIo();
    await runSetup({ ...embedded, yes: false, dryRun: true, claudeDir: dir }, dry.io);
    expect(dry.printed()).toContain('+     "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",');
    expect(dry.printed()).toContain('Dry run: nothing written.');

    const asked: string[] = [];
    const declined = setupIo({}, async (question) => {
      asked.push(question);
      return false;
    });
    await runSetup({ ...embedded, yes: false, claudeDir: dir }, declined.io);
    expect(asked).toEqual([`Write these changes to ${join(dir, 'settings.json')}?`]);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(EXISTING);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('warns when the endpoint port does not fit the protocol', async () => {
    const { io, printed } = setupIo();
    await runSetup(
      {
        ...embedded,
        protocol: 'http/protobuf',
        endpoint: 'http://127.0.0.1:4317',
        claudeDir: configDir(),
      },
      io,
    );
    expect(printed()).toContain(
      'warning: http/protobuf to http://127.0.0.1:4317: port 4317 is where OTLP/gRPC is received',
    );
  });

  it('refuses an endpoint that is not an http URL and a token that needs escaping', async () => {
    const dir = configDir();
    await expect(
      runSetup({ ...embedded, endpoint: 'localhost:4317', claudeDir: dir }, setupIo().io),
    ).rejects.toThrow(UsageError);
    await expect(
      runSetup({ ...embedded, authToken: 'a,b=c', claudeDir: dir }, setupIo().io),
    ).rejects.toThrow(UsageError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finds settings.json in --claude-dir, else the first CLAUDE_CONFIG_DIR, else ~/.claude', () => {
    expect(userSettingsPath('/a', { CLAUDE_CONFIG_DIR: '/b' })).toBe('/a/settings.json');
    expect(userSettingsPath(undefined, { CLAUDE_CONFIG_DIR: ' /b , /c' })).toBe('/b/settings.json');
    expect(userSettingsPath(undefined, {}).endsWith(join('.claude', 'settings.json'))).toBe(true);
  });
});

describe('the settings diff', () => {
  it('shows changed lines with three lines of context and … for the rest', () => {
    const before = ['{', 'a', 'b', 'c', 'd', 'e', 'f', 'g', '}'].join('\n');
    const after = ['{', 'a', 'b', 'c', 'd', 'e', 'F', 'g', '}'].join('\n');
    expect(formatDiff(lineDiff(before, after))).toEqual([
      '  …',
      '  c',
      '  d',
      '  e',
      '- f',
      '+ F',
      '  g',
      '  }',
    ]);
  });

  it('shows a new file as all additions', () => {
    expect(formatDiff(lineDiff('', '{\n}\n'))).toEqual(['+ {', '+ }']);
  });
});

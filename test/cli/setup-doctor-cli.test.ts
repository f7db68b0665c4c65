import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/store.js';

// The built CLI (`npm run build` first, as `npm test` does), run as a user would.
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A clean environment: HOME in a temp dir, none of the user's Claude, ccmon or OTel variables. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' };
}

function ccmon(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(!existsSync(MAIN))('ccmon setup and doctor, built', () => {
  it('setup creates ~/.claude/settings.json under HOME, without asking when there is no terminal', async () => {
    const home = tempDir('ccmon-home-');
    const { code, stdout } = await ccmon(['setup'], cleanEnv(home));
    expect(code).toBe(0);
    expect(stdout).toContain(
      `Claude Code settings: ${join(home, '.claude', 'settings.json')} (new file)`,
    );
    const written = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8'));
    expect(written.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4317');
  });

  it('setup refuses an invalid settings.json with exit 2, naming it and writing nothing', async () => {
    const home = tempDir('ccmon-home-');
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude', 'settings.json'), '{"model": "opus",,}');
    const { code, stderr } = await ccmon(['setup', '--yes'], cleanEnv(home));
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(home, '.claude', 'settings.json')} is not valid JSON`);
    expect(stderr).toContain('Nothing was written');
    expect(readdirSync(join(home, '.claude'))).toEqual(['settings.json']);
  });

  describe('doctor', () => {
    let plain: ReturnType<typeof createServer>;
    let plainPort: number;
    beforeAll(async () => {
      plain = createServer((_req, res) => res.end('not ccmon'));
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      plainPort = (plain.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

    it('exits 1 and explains each failure as JSON', async () => {
      const home = tempDir('ccmon-home-');
      const claudeDir = join(home, 'claude');
      cpSync('test/fixtures/claude-code-2.1.330/json-tools/projects', join(claudeDir, 'projects'), {
        recursive: true,
      });
      const db = join(home, 'broken.db');
      writeFileSync(db, 'not sqlite');
      const { code, stdout } = await ccmon(
        [
          'doctor',
          '--json',
          '--claude-dir',
          claudeDir,
          '--db',
          db,
          '--port',
          String(plainPort),
          '--otlp-grpc-port',
          String(plainPort),
          '--otlp-http-port',
          String(plainPort),
        ],
        cleanEnv(home),
      );
      expect(code).toBe(1);
      const report: { ok: boolean; checks: { name: string; status: string; fix?: string }[] } =
        JSON.parse(stdout);
      expect(report.ok).toBe(false);
      expect(report.checks.map((c) => `${c.name}: ${c.status}`)).toEqual([
        'transcripts: ok',
        'telemetry: fail',
        `port ${plainPort}: fail`,
        `port ${plainPort}: fail`,
        `port ${plainPort}: fail`,
        'store: fail',
        'recent telemetry: warn',
      ]);
      expect(report.checks.every((c) => c.status === 'ok' || c.fix)).toBe(true);
    });

    it('prints ✓ / ✗ lines with the fix under each failure', async () => {
      const home = tempDir('ccmon-home-');
      const { code, stdout } = await ccmon(['doctor', '--port', String(plainPort)], cleanEnv(home));
      expect(code).toBe(1);
      expect(stdout).toMatch(/^✗ transcripts +no readable transcript in /m);
      expect(stdout).toMatch(/^ +fix: run `ccmon setup`, then restart Claude Code$/m);
      expect(stdout).toContain(`✗ port ${plainPort}`);
    });
  });
});

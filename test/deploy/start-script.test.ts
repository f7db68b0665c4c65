import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployDir, run } from './tools.js';

/** A `docker` that logs its arguments and answers like a running engine with healthy containers. */
const fakeDocker = `#!/bin/sh
echo "$*" >> "$DOCKER_LOG"
case "$1 $2" in
  "info "*) [ "$DOCKER_RUNNING" = yes ] || exit 1 ;;
  "compose ps") echo "container-of-$4" ;;
  "inspect "*) echo healthy ;;
esac
exit 0
`;

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'ccmon-start-'));
  const deploy = join(dir, 'deploy');
  const bin = join(dir, 'bin');
  mkdirSync(deploy);
  mkdirSync(bin);
  copyFileSync(join(deployDir, 'start.sh'), join(deploy, 'start.sh'));
  copyFileSync(join(deployDir, '.env.example'), join(deploy, '.env.example'));
  writeFileSync(join(bin, 'docker'), fakeDocker);
  chmodSync(join(bin, 'docker'), 0o755);
  const log = join(dir, 'docker.log');
  const start = (running = 'yes') =>
    run('bash', [join(deploy, 'start.sh')], {
      env: { PATH: `${bin}:${process.env.PATH}`, DOCKER_LOG: log, DOCKER_RUNNING: running },
    });
  const env = () => readFileSync(join(deploy, '.env'), 'utf8');
  const value = (key: string) => env().match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1];
  return { deploy, log, start, value };
}

describe('deploy/start.sh', () => {
  it('creates .env with generated secrets, writes the token file, starts and reports the URLs', () => {
    const box = sandbox();
    const result = box.start();
    expect(result.status, result.output).toBe(0);

    const password = box.value('GRAFANA_ADMIN_PASSWORD');
    const token = box.value('CCMON_AUTH_TOKEN');
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(token).not.toBe(password);
    expect(result.output).toContain(`Generated CCMON_AUTH_TOKEN=${token}`);
    expect(readFileSync(join(box.deploy, 'secrets', 'ccmon-token'), 'utf8')).toBe(token);
    expect(box.value('CCMON_UID')).toBe(String(process.getuid?.()));

    expect(readFileSync(box.log, 'utf8')).toContain('compose up -d --build');
    expect(result.output).toContain('Grafana      http://127.0.0.1:3000');
    expect(result.output).toContain('ccmon        http://127.0.0.1:3202');
  });

  it('keeps existing secrets on the next run', () => {
    const box = sandbox();
    box.start();
    const token = box.value('CCMON_AUTH_TOKEN');
    const again = box.start();
    expect(again.status, again.output).toBe(0);
    expect(again.output).not.toContain('Generated');
    expect(box.value('CCMON_AUTH_TOKEN')).toBe(token);
  });

  it('stops with an explanation when Docker is not running', () => {
    const box = sandbox();
    const result = box.start('no');
    expect(result.status).toBe(1);
    expect(result.output).toContain('Docker is not running');
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployDir, requireTool, run } from './tools.js';

const standalone = join(deployDir, 'docker-compose.yml');
const overlay = join(deployDir, 'docker-compose.observability.yml');
const envExample = join(deployDir, '.env.example');
const secrets = { GRAFANA_ADMIN_PASSWORD: 'test-password', CCMON_AUTH_TOKEN: 'test-token' };

interface Service {
  image?: string;
  command?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  environment?: Record<string, string>;
}

function servicesOf(file: string): Record<string, Service> {
  return parse(readFileSync(file, 'utf8')).services;
}

/** An existing project the overlay is added to. */
function existingProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccmon-app-'));
  const file = join(dir, 'compose.yml');
  writeFileSync(file, 'services:\n  app:\n    image: nginx:1.27-alpine\n    ports: ["8080:80"]\n');
  return file;
}

describe('docker-compose config', () => {
  beforeAll(() => requireTool('docker-compose', 'apt-get install -y docker-compose'));

  it('accepts docker-compose.yml with the settings of .env.example', () => {
    const result = run('docker-compose', ['--env-file', envExample, '-f', standalone, 'config'], {
      env: secrets,
    });
    expect(result.status, result.output).toBe(0);
    const config = parse(result.output);
    expect(Object.keys(config.services).sort()).toEqual([
      'ccmon',
      'grafana',
      'otel-collector',
      'prometheus',
    ]);
    expect(config.services.ccmon.ports).toEqual(['127.0.0.1:3202:9091/tcp']);
    expect(config.services.prometheus.command).toContain('--storage.tsdb.retention.time=30d');
  });

  it('refuses to start without the generated secrets', () => {
    const result = run('docker-compose', ['--env-file', envExample, '-f', standalone, 'config']);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/is not set; run start.sh/);
  });

  it('accepts the overlay on top of an existing project', () => {
    const result = run(
      'docker-compose',
      ['--env-file', envExample, '-f', existingProject(), '-f', overlay, 'config'],
      { env: { ...secrets, CCMON_DEPLOY_DIR: deployDir } },
    );
    expect(result.status, result.output).toBe(0);
    const config = parse(result.output);
    expect(Object.keys(config.services).sort()).toEqual([
      'app',
      'ccmon',
      'ccmon-grafana',
      'ccmon-otel-collector',
      'ccmon-prometheus',
    ]);
    expect(config.services['ccmon-prometheus'].volumes).toContainEqual(
      `${join(deployDir, 'prometheus', 'prometheus.yml')}:/etc/prometheus/prometheus.yml:ro`,
    );
  });
});

describe('the two compose files', () => {
  const base = servicesOf(standalone);
  const added = servicesOf(overlay);
  const overlayName = (name: string) => (name === 'ccmon' ? name : `ccmon-${name}`);

  it('run the same images, commands, ports, environment and health checks', () => {
    for (const [name, service] of Object.entries(base)) {
      const twin = added[overlayName(name)];
      expect(twin, `overlay service for ${name}`).toBeDefined();
      const comparable = (s: Service | undefined) => ({
        image: s?.image,
        command: s?.command,
        ports: s?.ports,
        healthcheck: s?.healthcheck,
        environment: Object.keys(s?.environment ?? {}),
      });
      expect(comparable(twin), name).toEqual(comparable(service));
    }
  });

  it('pin every image, publish on BIND_ADDRESS only and check health', () => {
    for (const services of [base, added]) {
      for (const [name, service] of Object.entries(services)) {
        expect(service.image, name).toMatch(/:v?[0-9][\w.-]*$|^claude-monitoring:local$/);
        expect(service.healthcheck?.test.length, name).toBeGreaterThan(0);
        for (const port of service.ports ?? []) {
          expect(port, name).toMatch(/^\$\{BIND_ADDRESS:-127\.0\.0\.1\}:/);
        }
      }
    }
  });
});

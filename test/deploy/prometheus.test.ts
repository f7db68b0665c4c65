import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployDir, requireTool, run } from './tools.js';

const prometheusDir = join(deployDir, 'prometheus');

describe('Prometheus config and alert rules', () => {
  beforeAll(() => requireTool('promtool', 'apt-get install -y prometheus'));

  it('passes promtool check config, with the container paths mapped to a temp dir', () => {
    // prometheus.yml names files inside the container; promtool wants them to exist.
    const dir = mkdtempSync(join(tmpdir(), 'ccmon-prometheus-'));
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'ccmon-token'), 'test-token');
    cpSync(join(prometheusDir, 'alerts.yml'), join(dir, 'alerts.yml'));
    const config = readFileSync(join(prometheusDir, 'prometheus.yml'), 'utf8');
    expect(config).toContain('/etc/prometheus/secrets/ccmon-token');
    writeFileSync(join(dir, 'prometheus.yml'), config.replaceAll('/etc/prometheus/', `${dir}/`));

    const result = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  });

  it('passes promtool check rules', () => {
    const result = run('promtool', ['check', 'rules', join(prometheusDir, 'alerts.yml')]);
    expect(result.output).toContain('SUCCESS: 9 rules found');
    expect(result.status, result.output).toBe(0);
  });

  it('passes the rule unit tests in alerts.test.yml', () => {
    const result = run('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: prometheusDir });
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  });
});

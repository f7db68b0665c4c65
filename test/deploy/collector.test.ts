import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployDir } from './tools.js';

interface Pipeline {
  receivers: string[];
  processors: string[];
  exporters: string[];
}

interface CollectorConfig {
  extensions: Record<string, unknown>;
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, Record<string, unknown>>;
  service: { extensions: string[]; pipelines: Record<string, Pipeline> };
}

const config: CollectorConfig = parse(
  readFileSync(join(deployDir, 'otel-collector', 'config.yaml'), 'utf8'),
);

describe('OpenTelemetry Collector config', () => {
  it('defines every component a pipeline or the service names', () => {
    const pipelines = Object.entries(config.service.pipelines);
    expect(pipelines.map(([name]) => name).sort()).toEqual(['logs', 'metrics']);
    for (const [name, pipeline] of pipelines) {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const component of pipeline[kind]) {
          expect(Object.keys(config[kind]), `${name} pipeline's ${component}`).toContain(component);
        }
      }
    }
    for (const extension of config.service.extensions) {
      expect(Object.keys(config.extensions)).toContain(extension);
    }
  });

  it('puts memory_limiter first and batch after it in every pipeline', () => {
    for (const pipeline of Object.values(config.service.pipelines)) {
      expect(pipeline.processors).toEqual(['memory_limiter', 'batch']);
    }
  });

  it('sends metrics only to Prometheus and logs only to ccmon, so no metric is counted twice', () => {
    expect(config.service.pipelines.metrics?.exporters).toEqual(['prometheus']);
    expect(config.service.pipelines.logs?.exporters).toEqual(['otlphttp/ccmon']);
    expect(config.exporters.prometheus?.endpoint).toBe('0.0.0.0:8889');
  });

  it('authenticates to ccmon with the stack token', () => {
    const ccmon = config.exporters['otlphttp/ccmon'];
    expect(ccmon?.endpoint).toBe('http://ccmon:4318');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the collector's own ${env:...} syntax
    expect(ccmon?.headers).toEqual({ Authorization: 'Bearer ${env:CCMON_AUTH_TOKEN}' });
  });
});

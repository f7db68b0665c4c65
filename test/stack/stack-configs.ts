// The stack's own configs, read from deploy/, so the test scrapes and routes
// telemetry the way the shipped stack does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const deployDir = fileURLToPath(new URL('../../deploy/', import.meta.url));

interface CollectorConfig {
  exporters: Record<string, { headers?: Record<string, string> }>;
  service: { pipelines: Record<string, { exporters: string[] }> };
}

interface ScrapeJob {
  job_name: string;
  metric_relabel_configs?: unknown[];
  authorization?: { type?: string; credentials_file?: string };
  static_configs: Array<{ targets: string[] }>;
}

export type Signal = 'logs' | 'metrics';

/** Exporters of the collector's pipeline for `signal`, with the headers each sends. */
export function collectorExporters(
  signal: Signal,
): Array<{ name: string; headers: Record<string, string> }> {
  const config: CollectorConfig = parse(
    readFileSync(`${deployDir}otel-collector/config.yaml`, 'utf8'),
  );
  const pipeline = config.service.pipelines[signal];
  if (!pipeline) throw new Error(`deploy/otel-collector/config.yaml has no ${signal} pipeline`);
  return pipeline.exporters.map((name) => ({
    name,
    headers: config.exporters[name]?.headers ?? {},
  }));
}

export type StackJob = 'ccmon' | 'otel-collector';

/**
 * prometheus.yml's `ccmon` and `otel-collector` jobs, scraping every second
 * the given loopback targets, with ccmon's token read from `tokenFile`, and
 * keeping of a job only the metric names matching `keep[job]`. The rule
 * files and the collector-internal and self-scrape jobs are left out: their
 * targets do not exist here and nothing in the test reads them.
 */
export function stackPrometheusConfig(options: {
  targets: Record<StackJob, string>;
  tokenFile: string;
  keep?: Partial<Record<StackJob, string>>;
}): string {
  const { targets, tokenFile } = options;
  const keep = new Map<string, string>(Object.entries(options.keep ?? {}));
  const config: { scrape_configs: ScrapeJob[] } = parse(
    readFileSync(`${deployDir}prometheus/prometheus.yml`, 'utf8'),
  );
  const byJob = new Map<string, string>(Object.entries(targets));
  const jobs = config.scrape_configs.flatMap((job) => {
    const target = byJob.get(job.job_name);
    if (target === undefined) return [];
    const authorization = job.authorization && {
      ...job.authorization,
      credentials_file: tokenFile,
    };
    const regex = keep.get(job.job_name);
    const relabel = regex && {
      metric_relabel_configs: [
        ...(job.metric_relabel_configs ?? []),
        { source_labels: ['__name__'], regex, action: 'keep' },
      ],
    };
    return [
      {
        ...job,
        ...(authorization && { authorization }),
        ...relabel,
        static_configs: [{ targets: [target] }],
      },
    ];
  });
  if (jobs.length !== byJob.size) {
    throw new Error(`deploy/prometheus/prometheus.yml lacks one of the jobs ${[...byJob.keys()]}`);
  }
  return stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: jobs,
  });
}

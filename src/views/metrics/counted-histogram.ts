import { Histogram } from 'prom-client';

/** One series of a histogram whose observations were counted elsewhere (in the store). */
export interface HistogramCounts {
  labels: Record<string, string>;
  /** Observations per bucket, not cumulative: counts[i] fell in (bounds[i-1], bounds[i]]. */
  counts: number[];
  /** Observations above the largest bound. */
  above: number;
  sum: number;
}

interface HistogramSample {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
}

/**
 * A prom-client Histogram filled from counts, read on every scrape.
 * prom-client can only `observe()` one value at a time, which would cost a
 * scrape one call per API request ever made; its registry renders a histogram
 * from `getForPromString()`, so this supplies the finished buckets there
 * (promtool and a real Prometheus check the output in test/metrics).
 */
export class CountedHistogram extends Histogram<string> {
  constructor(
    private readonly spec: { name: string; help: string; bounds: readonly number[] },
    private readonly read: () => HistogramCounts[],
  ) {
    super({
      name: spec.name,
      help: spec.help,
      buckets: [...spec.bounds],
      registers: [],
    });
  }

  async getForPromString() {
    const { name, help, bounds } = this.spec;
    const values: HistogramSample[] = [];
    for (const series of this.read()) {
      let cumulative = 0;
      const sample = (suffix: string, extra: Record<string, string | number>, value: number) =>
        values.push({
          metricName: `${name}${suffix}`,
          labels: { ...series.labels, ...extra },
          sharedLabels: {},
          value,
        });
      bounds.forEach((le, i) => {
        cumulative += series.counts[i] ?? 0;
        sample('_bucket', { le }, cumulative);
      });
      const count = cumulative + series.above;
      sample('_bucket', { le: '+Inf' }, count);
      sample('_sum', {}, series.sum);
      sample('_count', {}, count);
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  }
}

import type { LogRecord, MetricPoint } from '../../src/sources/otlp/index.js';

export interface TokenSums {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

/** `claude_code.token.usage` points summed by their `type` attribute. */
export function tokenUsageSums(points: MetricPoint[]): TokenSums {
  const sums: TokenSums = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  for (const point of points) {
    const type = point.attributes.type;
    if (point.metric !== 'claude_code.token.usage') continue;
    if (type === 'input' || type === 'output' || type === 'cacheRead' || type === 'cacheCreation') {
      sums[type] += point.value;
    }
  }
  return sums;
}

/** The tokens of `api_request` events, summed (attributes are numbers or numeric strings). */
export function apiRequestSums(records: LogRecord[]): TokenSums {
  const sums: TokenSums = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  for (const record of records.filter((r) => r.eventName === 'api_request')) {
    const a = record.attributes;
    sums.input += Number(a.input_tokens);
    sums.output += Number(a.output_tokens);
    sums.cacheRead += Number(a.cache_read_tokens);
    sums.cacheCreation += Number(a.cache_creation_tokens);
  }
  return sums;
}

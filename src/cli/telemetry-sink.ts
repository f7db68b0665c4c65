import type { LogRecord } from '../sources/otlp/decode-logs.js';
import type { MetricPoint } from '../sources/otlp/decode-metrics.js';
import type { OtlpSink } from '../sources/otlp/sink.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { TelemetryWriter } from '../store/telemetry-writer.js';

/**
 * The OTLP receivers' sink in `ccmon serve`: decoded data goes to the store,
 * in the next group commit, then views are told. Each request is answered
 * only once its batch committed.
 */
export function storeSink(
  writer: TelemetryWriter,
  commits: GroupCommit,
  onData: () => void,
): OtlpSink {
  return {
    async metrics(points: MetricPoint[]) {
      if ((await commits.run(() => writer.writeMetrics(points))).points > 0) onData();
    },
    async logs(records: LogRecord[]) {
      if ((await commits.run(() => writer.writeLogs(records))).events > 0) onData();
    },
    spans() {
      // Traces are accepted and counted by the receiver, not stored.
    },
  };
}

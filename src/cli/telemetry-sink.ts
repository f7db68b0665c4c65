import type { LogRecord } from '../sources/otlp/decode-logs.js';
import type { MetricPoint } from '../sources/otlp/decode-metrics.js';
import type { OtlpSink } from '../sources/otlp/sink.js';
import type { TelemetryWriter } from '../store/telemetry-writer.js';

/** The OTLP receivers' sink in `ccmon serve`: decoded data goes to the store, then views are told. */
export function storeSink(writer: TelemetryWriter, onData: () => void): OtlpSink {
  return {
    metrics(points: MetricPoint[]) {
      if (writer.writeMetrics(points).points > 0) onData();
    },
    logs(records: LogRecord[]) {
      if (writer.writeLogs(records).events > 0) onData();
    },
    spans() {
      // Traces are accepted and counted by the receiver, not stored.
    },
  };
}

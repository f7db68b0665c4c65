import type {
  LogRecord,
  MetricPoint,
  OtlpSink,
  ReceiveContext,
} from '../../src/sources/otlp/index.js';

/** A sink that keeps what the receivers decoded; `failWith` makes it throw like an unwritable store. */
export class RecordingSink implements OtlpSink {
  points: MetricPoint[] = [];
  records: LogRecord[] = [];
  spanCount = 0;
  from: ReceiveContext[] = [];
  failWith: Error | undefined;

  metrics(points: MetricPoint[], from: ReceiveContext): void {
    this.check();
    this.points.push(...points);
    this.from.push(from);
  }

  logs(records: LogRecord[], from: ReceiveContext): void {
    this.check();
    this.records.push(...records);
    this.from.push(from);
  }

  spans(count: number, from: ReceiveContext): void {
    this.check();
    this.spanCount += count;
    this.from.push(from);
  }

  private check(): void {
    if (this.failWith) throw this.failWith;
  }
}

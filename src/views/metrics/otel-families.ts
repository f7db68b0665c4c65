import type { OtelTotal } from '../../store/metric-queries.js';
import type { Figure } from './figure-families.js';
import { labelValueOf, prometheusLabelName, prometheusMetricName } from './otel-names.js';

/** The attribute that makes a series per session. */
export const SESSION_ATTRIBUTES: readonly string[] = ['session.id'];
/** Attributes that make a series per user. */
export const USER_ATTRIBUTES: readonly string[] = ['user.id', 'user.email', 'user.account_uuid'];

export interface IdentityLabels {
  perSession: boolean;
  perUser: boolean;
}

export function droppedAttributes(labels: IdentityLabels): string[] {
  return [
    ...(labels.perSession ? [] : SESSION_ATTRIBUTES),
    ...(labels.perUser ? [] : USER_ATTRIBUTES),
  ];
}

/** One of Claude Code's own metrics as a Prometheus counter family. */
export interface OtelFamily {
  name: string;
  help: string;
  labelNames: string[];
  figures: Figure[];
}

/**
 * Claude Code's metric sums as Prometheus families, named as the
 * OpenTelemetry Collector names them. Every stored series is a monotonic sum
 * (the telemetry writer keeps no gauges), so every family is a counter. The
 * identity attributes left out are summed away.
 */
export function otelFamilies(rows: readonly OtelTotal[], identity: IdentityLabels): OtelFamily[] {
  const dropped = new Set(droppedAttributes(identity));
  const families = new Map<string, { family: OtelFamily; sums: Map<string, Figure> }>();
  for (const row of rows) {
    const name = prometheusMetricName(row.name, row.unit, true);
    let entry = families.get(name);
    if (!entry) {
      const unit = row.unit ? ` (unit ${row.unit})` : '';
      const help = `Claude Code's OpenTelemetry metric ${row.name}${unit}, summed over what ccmon received.`;
      entry = { family: { name, help, labelNames: [], figures: [] }, sums: new Map() };
      families.set(name, entry);
    }
    const labels = labelsOf(row.attrs, dropped);
    const key = `${row.bucket}\u0000${JSON.stringify(labels)}`;
    const figure = entry.sums.get(key);
    if (figure) figure.value += row.value;
    else entry.sums.set(key, { bucket: row.bucket, labels, value: row.value });
  }
  return [...families.values()].map(({ family, sums }) => {
    const figures = [...sums.values()];
    const names = new Set(figures.flatMap((f) => Object.keys(f.labels)));
    return { ...family, labelNames: [...names].sort(), figures };
  });
}

/**
 * Attributes as labels, keys sorted so equal sets print alike. Two attributes
 * that map to one label name (`a.b`, `a_b`) join their values with `;`, as the
 * Collector does.
 */
function labelsOf(attrs: string, dropped: ReadonlySet<string>): Record<string, string> {
  const parsed: unknown = JSON.parse(attrs);
  const labels: Record<string, string> = {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return labels;
  for (const [key, value] of Object.entries(parsed).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (dropped.has(key)) continue;
    const name = prometheusLabelName(key);
    const text = labelValueOf(value);
    labels[name] = name in labels ? `${labels[name]};${text}` : text;
  }
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

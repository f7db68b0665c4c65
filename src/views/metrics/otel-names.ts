/**
 * Prometheus names for Claude Code's OpenTelemetry metrics, the ones the
 * OpenTelemetry Collector's `prometheus` exporter gives them, so dashboards
 * work the same whichever of the two serves them:
 *
 * - the metric name is split into words at every character that is not a
 *   letter or digit (`claude_code.token.usage` -> claude, code, token, usage);
 * - the unit is appended as a word unless the name already holds it: `s` ->
 *   `seconds`, `ms` -> `milliseconds`, `By` -> `bytes`, anything else as
 *   written (`tokens`, `USD`); no unit, or an annotation like `{session}`,
 *   appends nothing; `a/b` appends `a_per_b`;
 * - a monotonic sum drops any `total` word and ends with `_total`.
 *
 * `claude_code.active_time.total` (unit `s`) -> `claude_code_active_time_seconds_total`.
 */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

function words(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
}

function unitWord(unit: string | undefined, table: Readonly<Record<string, string>>): string {
  const u = unit?.trim() ?? '';
  if (u === '' || u.includes('{') || u.includes('}')) return '';
  return words(table[u] ?? u).join('_');
}

export function prometheusMetricName(name: string, unit: string, monotonic: boolean): string {
  let tokens = words(name);
  const [main, per] = unit.split('/', 2);
  const mainWord = unitWord(main, UNIT_WORDS);
  if (mainWord !== '' && !tokens.includes(mainWord)) tokens.push(mainWord);
  const perWord = unitWord(per, PER_UNIT_WORDS);
  if (perWord !== '' && !tokens.includes(perWord)) tokens.push('per', perWord);
  if (monotonic) tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  const joined = tokens.join('_');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** An attribute name as a label name: `user.email` -> `user_email`, `1x` -> `key_1x`. */
export function prometheusLabelName(attribute: string): string {
  const clean = attribute.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(clean)) return `key_${clean}`;
  if (clean.startsWith('_') && !clean.startsWith('__')) return `key${clean}`;
  return clean;
}

/** An attribute value as label text: strings as they are, other values as JSON. */
export function labelValueOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

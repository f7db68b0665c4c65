/** One sample of the Prometheus text format, label values unescaped. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const UNESCAPE: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

/** The samples of an exposition (comments skipped). */
export function samplesOf(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? '';
    const labels: Record<string, string> = {};
    let i = name.length;
    if (line[i] === '{') {
      i++;
      while (line[i] !== '}') {
        const eq = line.indexOf('=', i);
        const label = line.slice(i, eq);
        let value = '';
        for (i = eq + 2; line[i] !== '"'; i++) {
          value += line[i] === '\\' ? (UNESCAPE[line[++i] ?? ''] ?? '') : line[i];
        }
        labels[label] = value;
        i++;
        if (line[i] === ',') i++;
      }
      i++;
    }
    samples.push({ name, labels, value: Number(line.slice(i).trim().split(' ')[0]) });
  }
  return samples;
}

/** Sum of a metric's samples whose labels include `where`. */
export function sumOf(
  samples: readonly Sample[],
  name: string,
  where: Record<string, string> = {},
): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

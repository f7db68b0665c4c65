export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
}

function linesOf(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

/**
 * A line diff of two texts (longest common subsequence). The common head and
 * tail are peeled off first, so a settings file with a few changed lines costs
 * little whatever its size.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..].
  const lcs = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      const row = lcs[i] ?? [];
      row[j] =
        x[i] === y[j]
          ? (lcs[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      middle.push({ kind: ' ', text: x[i++] ?? '' });
      j++;
    } else if (
      i < x.length &&
      (j === y.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))
    ) {
      middle.push({ kind: '-', text: x[i++] ?? '' });
    } else {
      middle.push({ kind: '+', text: y[j++] ?? '' });
    }
  }
  return [
    ...a.slice(0, head).map((text): DiffLine => ({ kind: ' ', text })),
    ...middle,
    ...a.slice(a.length - tail).map((text): DiffLine => ({ kind: ' ', text })),
  ];
}

/** The changed lines with `context` unchanged lines around each change; skipped stretches show as `…`. */
export function formatDiff(
  diff: readonly DiffLine[],
  paint: { added: (s: string) => string; removed: (s: string) => string } = {
    added: (s) => s,
    removed: (s) => s,
  },
  context = 3,
): string[] {
  const near = diff.map(() => false);
  diff.forEach((line, n) => {
    if (line.kind === ' ') return;
    for (let k = Math.max(0, n - context); k <= Math.min(diff.length - 1, n + context); k++) {
      near[k] = true;
    }
  });
  const out: string[] = [];
  diff.forEach((line, n) => {
    if (!near[n]) {
      if (n === 0 || near[n - 1]) out.push('  …');
      return;
    }
    const text = `${line.kind} ${line.text}`;
    out.push(
      line.kind === '+' ? paint.added(text) : line.kind === '-' ? paint.removed(text) : text,
    );
  });
  return out;
}

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withSmallHeap } from '../../src/cli/small-heap.js';

const MB = 1024 * 1024;
const built = fileURLToPath(new URL('../../dist/cli/small-heap.js', import.meta.url));

/**
 * In a fresh Node (this test's own heap has grown already): the size of V8's
 * young generation after work that allocates as a scan does (many
 * short-lived objects, a window of them alive at a time), done inside
 * withSmallHeap and then again after it.
 */
function newSpaceSizes(): { during: number; after: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { withSmallHeap } from ${JSON.stringify(built)};
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    function churn() {
      let alive = [];
      for (let i = 0; i < 3_000_000; i++) {
        alive.push({ i, s: 'record ' + i });
        if (alive.length > 20_000) alive = [];
      }
    }
    const during = withSmallHeap(() => { churn(); return newSpace(); });
    churn();
    console.log(JSON.stringify({ during, after: newSpace() }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('withSmallHeap', () => {
  it('keeps the young generation at its first size while it runs, and lets it grow after', () => {
    const { during, after } = newSpaceSizes();
    // Two semi-spaces of 1 MB: V8 did not grow them, though the same work grows them after.
    expect(during).toBeLessThanOrEqual(2 * MB);
    expect(after).toBeGreaterThan(2 * MB);
  });

  it("returns the work's value and passes on what the work throws", () => {
    expect(withSmallHeap(() => 42)).toBe(42);
    expect(() =>
      withSmallHeap(() => {
        throw new Error('scan failed');
      }),
    ).toThrow('scan failed');
  });
});

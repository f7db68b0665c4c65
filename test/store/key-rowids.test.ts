import { describe, expect, it } from 'vitest';
import { KeyRowids } from '../../src/store/key-rowids.js';

/** Keys shaped like Claude Code's message ids, numbered so the test is the same every run. */
const keyOf = (i: number) => `msg_01${(i * 2654435761).toString(36).padStart(14, '0')}${i}`;

describe('KeyRowids', () => {
  it('finds every key it was given, and only those, through hash collisions and growth', () => {
    const n = 300_000;
    const keys = Array.from({ length: n }, (_, i) => keyOf(i));
    // Starts small, so that it grows many times on the way.
    const table = new KeyRowids(16);
    let rejected = 0;
    const isKeyOf = (key: string) => (rowid: number) => {
      const same = keys[rowid - 1] === key;
      if (!same) rejected++;
      return same;
    };
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      if (table.find(key, isKeyOf(key)) !== undefined)
        throw new Error(`${key} found before it was added`);
      table.add(key, i + 1);
    }
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      if (table.find(key, isKeyOf(key)) !== i + 1) throw new Error(`${key} lost`);
    }
    for (let i = n; i < n + 10_000; i++) {
      const key = keyOf(i);
      if (table.find(key, isKeyOf(key)) !== undefined) throw new Error(`${key} was never added`);
    }
    // 300,000 keys in 32 bits share some hashes: the rejected candidates show
    // that those keys were told apart by their rows, not by the hash.
    expect(rejected).toBeGreaterThan(0);
  });

  it('refuses a rowid that would read as an empty slot', () => {
    const table = new KeyRowids();
    expect(() => table.add('a', 0)).toThrow(RangeError);
    expect(table.size).toBe(0);
  });
});

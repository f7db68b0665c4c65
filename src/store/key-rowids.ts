/**
 * Rowids by string key, kept in typed arrays: what a first scan has written,
 * looked up without the indexes it builds only at the end. A Map of the keys
 * themselves held every key string on the heap (about 24 MB for 283,000
 * responses and messages); this keeps 12 bytes a slot.
 *
 * Only a 32-bit hash of each key is kept, so a slot whose hash matches is a
 * candidate the caller confirms by reading that row's key. Keys that share a
 * hash each keep their own slot, so the answer is exact. Confirming costs a
 * row read, paid on a hit (a key seen again, which is rare) and, about once
 * in 10,000 lookups of a new key, on a stray hash match.
 */
export class KeyRowids {
  private hashes: Int32Array;
  /** 0 marks an empty slot: SQLite gives the first row of a table rowid 1. */
  private rowids: Float64Array;
  private count = 0;

  constructor(initialSlots = 1 << 16) {
    this.hashes = new Int32Array(initialSlots);
    this.rowids = new Float64Array(initialSlots);
  }

  get size(): number {
    return this.count;
  }

  /** The rowid stored under `key`: the first candidate `isKeyOf(rowid)` confirms. */
  find(key: string, isKeyOf: (rowid: number) => boolean): number | undefined {
    const hash = hashOf(key);
    const mask = this.rowids.length - 1;
    for (let slot = hash & mask; this.rowids[slot] !== 0; slot = (slot + 1) & mask) {
      const rowid = this.rowids[slot] as number;
      if (this.hashes[slot] === hash && isKeyOf(rowid)) return rowid;
    }
    return undefined;
  }

  /** Stores a key `find` did not know. */
  add(key: string, rowid: number): void {
    if (!(rowid > 0)) throw new RangeError(`KeyRowids: rowid ${rowid} is not positive`);
    // At most half full, so that probes stay short.
    if ((this.count + 1) * 2 > this.rowids.length) this.grow();
    this.place(hashOf(key), rowid);
    this.count++;
  }

  private place(hash: number, rowid: number): void {
    const mask = this.rowids.length - 1;
    let slot = hash & mask;
    while (this.rowids[slot] !== 0) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.rowids[slot] = rowid;
  }

  private grow(): void {
    const { hashes, rowids } = this;
    this.hashes = new Int32Array(rowids.length * 2);
    this.rowids = new Float64Array(rowids.length * 2);
    for (let slot = 0; slot < rowids.length; slot++) {
      const rowid = rowids[slot] as number;
      if (rowid !== 0) this.place(hashes[slot] as number, rowid);
    }
  }
}

/** FNV-1a over the UTF-16 code units, as a signed 32-bit integer. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return hash | 0;
}

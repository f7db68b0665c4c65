#!/usr/bin/env node
// The floor: the least work any transcript reader must do. Reads every .jsonl file under a
// dir through one reused 1 MiB buffer and counts newlines with indexOf(10); no decoding,
// no parsing. A reader cannot be faster than this in Node.
//   node bench/floor.mjs DIR

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

const buffer = Buffer.allocUnsafe(1024 * 1024);

function* jsonlFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonlFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.jsonl')) yield path;
  }
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/floor.mjs DIR');
  process.exit(2);
}
let files = 0;
let bytes = 0;
let newlines = 0;
for (const path of jsonlFiles(dir)) {
  const fd = openSync(path, 'r');
  for (
    let n = readSync(fd, buffer, 0, buffer.length, null);
    n > 0;
    n = readSync(fd, buffer, 0, buffer.length, null)
  ) {
    bytes += n;
    const view = n === buffer.length ? buffer : buffer.subarray(0, n);
    for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, i + 1)) newlines++;
  }
  closeSync(fd);
  files++;
}
console.log(JSON.stringify({ files, bytes, newlines }));

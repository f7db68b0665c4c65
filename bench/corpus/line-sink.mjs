import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const CHUNK = 4 * 1024 * 1024;

/** Buffered, synchronous line writer for one file: the generator's only I/O. */
export class LineSink {
  constructor(path) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    this.bytes = 0;
    this.lines = 0;
  }

  /** Writes text as is; callers add the '\n' (a truncated last line has none). */
  write(text) {
    const length = Buffer.byteLength(text);
    if (this.used + length > CHUNK) this.flush();
    if (length > CHUNK) writeSync(this.fd, text);
    else this.used += this.buffer.write(text, this.used);
    this.bytes += length;
    this.lines++;
  }

  flush() {
    if (this.used > 0) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
  }
}

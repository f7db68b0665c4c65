/** A one-line progress bar on stderr, drawn only on a terminal and only once work takes a moment. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done: number, total: number): void {
      if (!stream.isTTY || total <= 0) return;
      const now = Date.now();
      if (now - started < 300 || now - lastDraw < 100) return;
      lastDraw = now;
      drawn = true;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      const mb = (done / 1e6).toFixed(0);
      const rate = done / 1e6 / ((now - started) / 1000);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0)}% ${mb} MB ${rate.toFixed(0)} MB/s `,
      );
    },
    done(): void {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

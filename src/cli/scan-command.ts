import type { Command } from 'commander';
import { ingestTranscripts, type ScanStats } from '../sources/transcripts/ingest.js';
import { unpricedModels } from '../store/usage-queries.js';
import { type CommonOptions, type Context, openContext, withCommonOptions } from './context.js';
import { progressBar } from './progress-bar.js';
import { withSmallHeap } from './small-heap.js';

/** Ingests what is new; shared by `scan`, every report and `serve`. */
export function scanInto(ctx: Context, opts: { quiet?: boolean } = {}): ScanStats {
  const bar = opts.quiet ? undefined : progressBar('Reading transcripts');
  const stats = withSmallHeap(() =>
    ingestTranscripts(ctx.db, ctx.prices, ctx.dirs, {
      onProgress: (done, total) => bar?.update(done, total),
    }),
  );
  bar?.done();
  if (!opts.quiet) {
    for (const p of stats.problems) process.stderr.write(`warning: ${p.message}\n`);
    warnUnpriced(ctx);
  }
  return stats;
}

export function warnUnpriced(ctx: Context): void {
  const models = unpricedModels(ctx.db, ctx.view);
  if (models.length === 0) return;
  process.stderr.write(
    `warning: no price for ${models.join(', ')}; their tokens are reported as unpriced, not $0. Add prices with --pricing FILE (USD per million tokens, e.g. {"${models[0]}": {"input": 3, "output": 15}}).\n`,
  );
}

function formatStats(s: ScanStats): string {
  const seconds = s.durationMs / 1000;
  const mb = s.bytes / 1e6;
  const unknown = Object.entries(s.unknownTypes)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  const lines = [
    `files        ${s.files.toLocaleString('en-US')} found, ${s.filesRead.toLocaleString('en-US')} read${s.filesReset ? `, ${s.filesReset} re-read (truncated or replaced)` : ''}`,
    `bytes        ${mb.toFixed(1)} MB`,
    `lines        ${s.lines.toLocaleString('en-US')} (${s.skipped.toLocaleString('en-US')} skipped undecoded)`,
    `responses    ${s.responses.toLocaleString('en-US')} (${s.duplicates.toLocaleString('en-US')} duplicate lines dropped)`,
    `malformed    ${s.malformed.toLocaleString('en-US')}`,
    `unknown      ${unknown || 'none'}`,
    `time         ${seconds.toFixed(2)} s (${seconds > 0 ? (mb / seconds).toFixed(0) : '-'} MB/s)`,
  ];
  for (const e of s.errors.slice(0, 10)) lines.push(`  malformed: ${e}`);
  return `${lines.join('\n')}\n`;
}

export function registerScan(program: Command): void {
  withCommonOptions(
    program
      .command('scan')
      .description('Read what is new in the transcripts into the store and say what was read')
      .option('--json', 'print the figures as JSON'),
  ).action((options: CommonOptions & { json?: boolean }) => {
    const ctx = openContext(options);
    try {
      const stats = scanInto(ctx, { quiet: options.json === true });
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...stats, store: ctx.dbPath }, null, 2)}\n`
          : formatStats(stats),
      );
    } finally {
      ctx.db.close();
    }
  });
}

#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PriceError } from '../domain/pricing.js';
import { StoreError } from '../store/open-store.js';
import { registerBackfill } from './backfill-command.js';
import { UsageError } from './context.js';
import { registerDoctor } from './doctor-command.js';
import { registerReport } from './report-command.js';
import { registerScan } from './scan-command.js';
import { registerServe } from './serve-command.js';
import { registerSetup } from './setup-command.js';

function version(): string {
  const pkg: unknown = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg
    ? String(pkg.version)
    : '0.0.0';
}

const program = new Command('ccmon')
  .description(
    'Exact token, cost and activity figures for Claude Code, from its transcripts and OpenTelemetry',
  )
  .version(version())
  .showHelpAfterError()
  .exitOverride();

// In the order `ccmon --help` lists them: the main job first.
registerServe(program, version());
registerScan(program);
registerReport(program);
registerSetup(program);
registerDoctor(program);
registerBackfill(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError || error instanceof PriceError) {
    process.stderr.write(`ccmon: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof StoreError) {
    process.stderr.write(`ccmon: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

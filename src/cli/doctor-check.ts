import { createColors } from 'picocolors';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One finding of `ccmon doctor`: what was checked, what was found, and what to do about it. */
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export function check(name: string, status: CheckStatus, detail: string, fix?: string): Check {
  return fix === undefined ? { name, status, detail } : { name, status, detail, fix };
}

/** The ✓ / ! / ✗ lines a person reads, each failure followed by its fix. */
export function formatChecks(checks: readonly Check[], color: boolean): string {
  const c = createColors(color);
  const mark = { ok: c.green('✓'), warn: c.yellow('!'), fail: c.red('✗') };
  const width = Math.max(...checks.map((k) => k.name.length));
  const lines: string[] = [];
  for (const k of checks) {
    lines.push(`${mark[k.status]} ${c.bold(k.name.padEnd(width))}  ${k.detail}`);
    if (k.fix && k.status !== 'ok') lines.push(`  ${' '.repeat(width)}  ${c.dim('fix:')} ${k.fix}`);
  }
  const fails = checks.filter((k) => k.status === 'fail').length;
  const warns = checks.filter((k) => k.status === 'warn').length;
  lines.push(
    '',
    fails + warns === 0
      ? c.green('Everything looks right.')
      : `${fails} problem${fails === 1 ? '' : 's'}, ${warns} warning${warns === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The ports `ccmon serve` listens on (its `--port`, `--otlp-grpc-port`, `--otlp-http-port`). */
export interface CcmonPorts {
  http: number;
  otlpGrpc: number;
  otlpHttp: number;
}

export const DEFAULT_PORTS: CcmonPorts = { http: 3202, otlpGrpc: 4317, otlpHttp: 4318 };

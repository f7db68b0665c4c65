// Runs the command-line tools the deploy tests check the configs with. A
// missing tool fails the test with what to install: none is skipped silently.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const deployDir = fileURLToPath(new URL('../../deploy', import.meta.url));

export function requireTool(command: string, install: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`${command} is not installed; the deploy tests need it: ${install}`);
  }
}

export interface RunResult {
  status: number | null;
  output: string;
}

export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

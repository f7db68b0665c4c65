import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/store.js';
import { OLD_RUNS } from '../helpers/truth.js';

/** One real 2.0.50 assistant line (sonnet-4-5, 4 / 28 / 15234 / 0 tokens, $0.0575595). */
const SOURCE_DIR = `${OLD_RUNS}2.0.50-json-agent/projects/-home-dev-projects-json-agent-work/`;
const SOURCE_FILE = readdirSync(SOURCE_DIR).find((f) => f.startsWith('261772d1')) ?? '';
const LINE = readFileSync(join(SOURCE_DIR, SOURCE_FILE), 'utf8')
  .split('\n')
  .find((l) => l.includes('"type":"assistant"'));

/** One real 2.0.50 user line (a prompt) from the same transcript. */
export const USER_LINE = readFileSync(join(SOURCE_DIR, SOURCE_FILE), 'utf8')
  .split('\n')
  .find((l) => l.includes('"type":"user"') && !l.includes('tool_result'));

export const SYNTH_COST = 0.0575595;
export const SYNTH_TOKENS = 4 + 28 + 15234;

/**
 * A Claude config dir whose one transcript holds that line once per time,
 * each a distinct response (its own message and request id).
 */
export function configDirWith(times: readonly string[], model?: string): string {
  if (LINE === undefined) throw new Error(`no assistant line in ${SOURCE_DIR}`);
  const dir = tempDir('ccmon-synth-');
  const projects = join(dir, 'projects', '-home-dev-projects-demo');
  mkdirSync(projects, { recursive: true });
  const lines = times.map((time, i) =>
    LINE.replace(/"timestamp":"[^"]*"/, `"timestamp":"${time}"`)
      .replace(/"id":"msg_[^"]*"/, `"id":"msg_synth_${i}"`)
      .replace(/"requestId":"[^"]*"/, `"requestId":"req_synth_${i}"`)
      .replace(/"uuid":"[^"]*"/, `"uuid":"synth-${i}"`)
      .replace(/"sessionId":"[^"]*"/, '"sessionId":"synth-session"')
      .replace(/"cwd":"[^"]*"/, '"cwd":"/home/dev/projects/demo"')
      .replace(/"model":"[^"]*"/, `"model":"${model ?? 'claude-sonnet-4-5-20250929'}"`),
  );
  writeFileSync(join(projects, 'synth-session.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

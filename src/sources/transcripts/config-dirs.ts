import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ProjectsDir {
  /** The `projects` folder to walk. */
  path: string;
  /** Where this dir came from, for messages. */
  origin: string;
}

function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return p;
}

/**
 * The `projects` folders to read: `--claude-dir` (repeatable) overrides
 * everything; else `CLAUDE_CONFIG_DIR` (comma-separated); else both
 * `$XDG_CONFIG_HOME/claude` and `~/.claude`. `CLAUDE_PROJECTS_DIR` names a
 * `projects` folder itself and is added to the others.
 */
export function projectsDirs(
  claudeDirs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProjectsDir[] {
  const dirs: ProjectsDir[] = [];
  const add = (configDir: string, origin: string) => {
    const path = resolve(expandHome(configDir.trim()), 'projects');
    if (!dirs.some((d) => d.path === path)) dirs.push({ path, origin });
  };
  if (claudeDirs.length > 0) {
    for (const dir of claudeDirs) add(dir, '--claude-dir');
    return dirs;
  }
  if (env.CLAUDE_CONFIG_DIR?.trim()) {
    for (const dir of env.CLAUDE_CONFIG_DIR.split(',')) {
      if (dir.trim()) add(dir, 'CLAUDE_CONFIG_DIR');
    }
  } else {
    const xdg = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
    add(join(xdg, 'claude'), 'XDG_CONFIG_HOME');
    add(join(homedir(), '.claude'), 'default');
  }
  if (env.CLAUDE_PROJECTS_DIR?.trim()) {
    const path = resolve(expandHome(env.CLAUDE_PROJECTS_DIR.trim()));
    if (!dirs.some((d) => d.path === path)) dirs.push({ path, origin: 'CLAUDE_PROJECTS_DIR' });
  }
  return dirs;
}

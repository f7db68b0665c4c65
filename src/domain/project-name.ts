/**
 * A short human name for a project from its working directory: the last path
 * segment, with a generic leaf like `work`, `src` or `app` joined to its parent
 * (`/home/dev/projects/json-tools/work` -> `json-tools/work`).
 */
const GENERIC_LEAVES = new Set([
  'work',
  'src',
  'app',
  'code',
  'repo',
  'main',
  'workspace',
  'project',
]);

export function projectNameOf(cwd: string): string {
  const parts = cwd.split(/[\\/]+/).filter((p) => p.length > 0);
  const leaf = parts.at(-1);
  if (leaf === undefined) return cwd || '(unknown)';
  const parent = parts.at(-2);
  if (parent !== undefined && GENERIC_LEAVES.has(leaf.toLowerCase())) return `${parent}/${leaf}`;
  return leaf;
}

/** Claude Code's folder name for a cwd: every character but letters and digits becomes `-`. */
export function decodeProjectFolder(folder: string): string {
  return folder.replace(/-/g, '/');
}

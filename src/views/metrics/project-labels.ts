export interface ProjectRow {
  id: number;
  path: string;
  name: string;
}

/** The `project` label of figures whose project is not known (telemetry without a transcript). */
export const UNKNOWN_PROJECT = '(unknown)';

/**
 * The `project` label of every project: its short name, or, when several
 * paths share that name, the shortest tail of each path that tells them apart
 * (`client-a/api`, `client-b/api`). Labels are unique, so no two projects are
 * summed into one series.
 */
export function projectLabels(projects: readonly ProjectRow[]): Map<number, string> {
  const byName = new Map<string, ProjectRow[]>();
  for (const p of projects) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const labels = new Map<number, string>([[0, UNKNOWN_PROJECT]]);
  for (const [name, group] of byName) {
    if (group.length === 1) labels.set(group[0]?.id ?? 0, name);
    else for (const [id, label] of distinctTails(group)) labels.set(id, label);
  }
  // A tail can still equal another project's name; the id settles it.
  const seen = new Map<string, number>();
  for (const [id, label] of labels) {
    const other = seen.get(label);
    if (other !== undefined && other !== id) labels.set(id, `${label} #${id}`);
    else seen.set(label, id);
  }
  return labels;
}

function distinctTails(group: readonly ProjectRow[]): Map<number, string> {
  const segments = group.map((p) => p.path.split(/[\\/]+/).filter((s) => s.length > 0));
  const longest = Math.max(...segments.map((s) => s.length));
  for (let k = 2; k <= longest; k++) {
    const tails = segments.map((s) => s.slice(-k).join('/'));
    if (new Set(tails).size === tails.length) {
      return new Map(group.map((p, i) => [p.id, tails[i] ?? p.path]));
    }
  }
  return new Map(group.map((p) => [p.id, p.path]));
}

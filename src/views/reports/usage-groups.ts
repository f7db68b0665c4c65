import { addTotals, emptyTotals, type UsageTotals } from '../../domain/usage-totals.js';
import type { UsageRow } from '../../store/usage-queries.js';

/** One report row: its totals and the same per model. */
export interface UsageGroup {
  key: string;
  totals: UsageTotals;
  models: Map<string, UsageTotals>;
}

export function emptyGroup(key: string): UsageGroup {
  return { key, totals: emptyTotals(), models: new Map() };
}

export function addToGroup(group: UsageGroup, row: UsageRow): void {
  addTotals(group.totals, row);
  let model = group.models.get(row.model);
  if (!model) {
    model = emptyTotals();
    group.models.set(row.model, model);
  }
  addTotals(model, row);
}

/** Folds rows grouped by model (and more) into one group per `keyOf(row)`, into `groups`. */
export function groupUsage(
  rows: readonly UsageRow[],
  keyOf: (row: UsageRow) => string,
  groups: Map<string, UsageGroup> = new Map(),
): Map<string, UsageGroup> {
  for (const row of rows) {
    const key = keyOf(row);
    let group = groups.get(key);
    if (!group) {
      group = emptyGroup(key);
      groups.set(key, group);
    }
    addToGroup(group, row);
  }
  return groups;
}

/** The sum of all groups, for the totals row. */
export function totalOf(groups: Iterable<UsageGroup>): UsageGroup {
  const total = emptyGroup('total');
  for (const g of groups) {
    addTotals(total.totals, g.totals);
    for (const [model, t] of g.models) {
      let m = total.models.get(model);
      if (!m) {
        m = emptyTotals();
        total.models.set(model, m);
      }
      addTotals(m, t);
    }
  }
  return total;
}

/** Models by cost, most expensive first, then by name. */
export function modelsByCost(group: UsageGroup): [string, UsageTotals][] {
  return [...group.models].sort(
    ([a, ta], [b, tb]) => tb.costNanos - ta.costNanos || a.localeCompare(b),
  );
}

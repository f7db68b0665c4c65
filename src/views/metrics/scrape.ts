import type { LocalCalendar } from '../../domain/local-calendar.js';
import { monthOf } from '../../domain/local-calendar.js';
import { NANOS_PER_USD } from '../../domain/money.js';
import type { CostMode, View } from '../../domain/usage.js';
import {
  costSince,
  eventTotals,
  messageTotals,
  projectRecords,
  sessionTotals,
  toolTotals,
  usageTotals,
} from '../../store/metric-queries.js';
import type { Db } from '../../store/open-store.js';
import { type Figure, foldFigures, type Readings } from './figure-families.js';
import { projectLabels, UNKNOWN_PROJECT } from './project-labels.js';

/** What one scrape reads from the store, each query at most once however many metrics use it. */
export interface Scrape {
  startedMs: number;
  readings: Readings;
  /** Cost of the current calendar month by model and project, USD. */
  monthCost(): Figure[];
  monthUsedUsd(): number;
}

export interface ScrapeSource {
  db: Db;
  view: View;
  mode: CostMode;
  calendar: LocalCalendar;
  now: () => number;
}

/** A value computed at most once. */
function once<T>(compute: () => T): () => T {
  let box: { value: T } | undefined;
  return () => {
    box ??= { value: compute() };
    return box.value;
  };
}

export function startScrape({ db, view, mode, calendar, now }: ScrapeSource): Scrape {
  const labels = once(() => projectLabels(projectRecords(db)));
  const readings: Readings = {
    usage: once(() => usageTotals(db, { view, mode })),
    sessions: once(() => sessionTotals(db)),
    messages: once(() => messageTotals(db)),
    tools: once(() => toolTotals(db)),
    events: once(() => eventTotals(db)),
    project: (id) => labels().get(id) ?? UNKNOWN_PROJECT,
  };
  const monthCostNanos = once(() => {
    const monthStart = calendar.startOfDay(`${monthOf(calendar.dayKeyAt(now()))}-01`);
    return foldFigures(
      costSince(db, { view, mode }, monthStart).map((c) => ({ ...c, bucket: 0 })),
      (c) => ({ model: c.model, project: readings.project(c.projectId) }),
      (c) => c.costNanos,
    );
  });
  const monthCost = once(() =>
    monthCostNanos().map((f) => ({ ...f, value: f.value / NANOS_PER_USD })),
  );
  const monthUsedUsd = once(
    () => monthCostNanos().reduce((sum, f) => sum + f.value, 0) / NANOS_PER_USD,
  );
  return { startedMs: performance.now(), readings, monthCost, monthUsedUsd };
}

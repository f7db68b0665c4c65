import { usdToNanos } from '../../src/domain/money.js';
import { type ModelTruth, OLD_RUNS, RUNS } from '../helpers/truth.js';

/** The fixtures' README truth, one row per run and model, with each run's project. */
export interface Truth extends ModelTruth {
  run: string;
  project: string;
  costNanos: number;
  /** The 2.1.330 runs fall between 01:27 and 01:30 UTC, the older ones after 02:00. */
  early: boolean;
}

/** Older runs share the projects of the newer ones (`/home/dev/projects/<name>/work`). */
const PROJECT_OF: Record<string, string> = {
  '1.0.5-json-tools': 'json-tools/work',
  '1.0.70-json-continue': 'json-tools/work',
  '2.0.50-json-agent': 'json-agent/work',
  '2.1.10-json-tools': 'json-tools/work',
};

function truthOf(view: 'transcripts' | 'both'): Truth[] {
  return RUNS.flatMap((r) =>
    r[view].map((m) => ({
      ...m,
      run: r.run,
      project: PROJECT_OF[r.run] ?? `${r.run}/work`,
      costNanos: usdToNanos(m.cost),
      early: !r.dir.startsWith(OLD_RUNS),
    })),
  );
}

/** Transcripts alone (view A). */
export const TRUTH = truthOf('transcripts');
/** Transcripts and telemetry joined (view B). */
export const TRUTH_BOTH = truthOf('both');

export function sumOf(rows: readonly Truth[]) {
  const t = { responses: 0, input: 0, output: 0, cacheCreation: 0, cacheRead: 0, costNanos: 0 };
  for (const r of rows) {
    t.responses += r.responses;
    t.input += r.input;
    t.output += r.output;
    t.cacheCreation += r.cacheCreation;
    t.cacheRead += r.cacheRead;
    t.costNanos += r.costNanos;
  }
  return { ...t, total: t.input + t.output + t.cacheCreation + t.cacheRead };
}

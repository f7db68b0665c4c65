import { fileURLToPath } from 'node:url';

/** The fixtures: real Claude Code output, copied from the shared fixtures unchanged. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const NEW_RUNS = `${FIXTURES}claude-code-2.1.330/`;
export const OLD_RUNS = `${FIXTURES}claude-code-older/`;

export interface ModelTruth {
  model: string;
  responses: number;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  /** USD, as the fixture README gives it. */
  cost: number;
}

export interface RunTruth {
  run: string;
  dir: string;
  /** View A: transcripts alone. */
  transcripts: ModelTruth[];
  /** View B: transcripts and telemetry joined, each response once. */
  both: ModelTruth[];
}

const t = (
  model: string,
  responses: number,
  [input, output, cacheCreation, cacheRead]: [number, number, number, number],
  cost: number,
): ModelTruth => ({ model, responses, input, output, cacheCreation, cacheRead, cost });

const sonnet45 = 'claude-sonnet-4-5-20250929';
const sonnet4 = 'claude-sonnet-4-20250514';
const haiku45 = 'claude-haiku-4-5-20251001';

function same(run: string, dir: string, rows: ModelTruth[]): RunTruth {
  return { run, dir, transcripts: rows, both: rows };
}

/** The README truth tables of both fixture sets. */
export const RUNS: RunTruth[] = [
  same('json-tools', `${NEW_RUNS}json-tools`, [t(sonnet45, 3, [16, 69, 16061, 30468], 0.07045215)]),
  same('pb-tools', `${NEW_RUNS}pb-tools`, [
    t('claude-opus-4-5-20251101', 3, [16, 68, 16061, 30468], 0.11739525),
  ]),
  same('grpc-tools', `${NEW_RUNS}grpc-tools`, [t(haiku45, 3, [933, 69, 0, 0], 0.001278)]),
  same('json-agent', `${NEW_RUNS}json-agent`, [t(sonnet45, 3, [14, 52, 30881, 15234], 0.12119595)]),
  same('json-cumulative-slow', `${NEW_RUNS}json-cumulative-slow`, [
    t(sonnet45, 3, [16, 71, 16061, 30468], 0.07048215),
  ]),
  same('json-noperm', `${NEW_RUNS}json-noperm`, [
    t(sonnet45, 3, [16, 69, 16061, 30468], 0.07045215),
  ]),
  same('tui-json', `${NEW_RUNS}tui-json`, [t(sonnet45, 3, [16, 68, 16061, 30468], 0.07043715)]),
  same('1.0.5-json-tools', `${OLD_RUNS}1.0.5-json-tools`, [
    t(sonnet4, 3, [16, 71, 16061, 30468], 0.07048215),
  ]),
  {
    run: '1.0.70-json-continue',
    dir: `${OLD_RUNS}1.0.70-json-continue`,
    transcripts: [t(sonnet4, 4, [22, 80, 16475, 45702], 0.07675785)],
    both: [
      t(sonnet4, 4, [22, 80, 16475, 45702], 0.07675785),
      t('claude-3-5-haiku-20241022', 1, [310, 12, 0, 0], 0.000296),
    ],
  },
  same('2.0.50-json-agent', `${OLD_RUNS}2.0.50-json-agent`, [
    t(sonnet45, 4, [18, 54, 46115, 15234], 0.17836545),
    t(haiku45, 1, [310, 8, 0, 0], 0.00035),
  ]),
  {
    run: '2.1.10-json-tools',
    dir: `${OLD_RUNS}2.1.10-json-tools`,
    transcripts: [t(sonnet45, 3, [16, 3, 16061, 30468], 0.06946215)],
    both: [
      t(sonnet45, 3, [16, 72, 16061, 30468], 0.07049715),
      t(haiku45, 1, [310, 8, 0, 0], 0.00035),
    ],
  },
];

export function runTruth(name: string): RunTruth {
  const found = RUNS.find((r) => r.run === name);
  if (!found) throw new Error(`no truth for ${name}`);
  return found;
}

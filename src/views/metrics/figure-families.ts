import { NANOS_PER_USD } from '../../domain/money.js';
import { RESPONSE_STATUSES, type ResponseStatus } from '../../domain/usage.js';
import type {
  CountByProject,
  EventTotal,
  SessionTotal,
  UsageTotal,
} from '../../store/metric-queries.js';
import { STATUS_CODE } from '../../store/response-row.js';

/** One sample: its labels, its value and, in a history, its time bucket (0 in a scrape). */
export interface Figure {
  bucket: number;
  labels: Record<string, string>;
  value: number;
}

/** What the families read: the store's sums, for a scrape or by time bucket. */
export interface Readings {
  usage(): UsageTotal[];
  sessions(): SessionTotal[];
  messages(): CountByProject[];
  tools(): CountByProject[];
  events(): EventTotal[];
  /** The `project` label of a project id (0: unknown). */
  project(id: number): string;
}

/**
 * A family of figures that only ever grow, so /metrics exposes their value
 * now and `ccmon backfill` rebuilds their past from timestamps.
 */
export interface CumulativeFamily {
  /** The exposed name, exactly (counters end in `_total`). */
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labelNames: readonly string[];
  /** Figures count 1/divisor of the exposed unit (nano-dollars for USD), so their sums stay exact. */
  divisor?: number;
  figures(r: Readings): Figure[];
}

/**
 * Sums values by bucket and label set. Hot path of every scrape (thousands
 * of rows): keys are the label values joined, in the family's label order.
 */
export function foldFigures<T extends { bucket: number }>(
  rows: readonly T[],
  labelsOf: (row: T) => Record<string, string>,
  amountOf: (row: T) => number,
): Figure[] {
  const sums = new Map<string, Figure>();
  for (const row of rows) {
    const labels = labelsOf(row);
    const key = `${row.bucket}\u0001${Object.values(labels).join('\u0001')}`;
    const figure = sums.get(key);
    if (figure) figure.value += amountOf(row);
    else sums.set(key, { bucket: row.bucket, labels, value: amountOf(row) });
  }
  return [...sums.values()];
}

/** Token kinds as label values: the `type` label of claude_code_tokens_total. */
const TOKEN_TYPES = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache_read'],
  ['cacheCreation', 'cache_creation'],
] as const;

const STATUS_OF_CODE = new Map<number, ResponseStatus>(
  RESPONSE_STATUSES.map((s) => [STATUS_CODE[s], s]),
);

function tokenFigures(r: Readings): Figure[] {
  const usage = r.usage();
  return TOKEN_TYPES.flatMap(([kind, type]) =>
    foldFigures(
      usage,
      (u) => ({ model: u.model, type, project: r.project(u.projectId) }),
      (u) => u[kind],
    ),
  );
}

export const CUMULATIVE_FAMILIES: readonly CumulativeFamily[] = [
  {
    name: 'claude_code_tokens_total',
    help: 'Tokens of Claude Code API responses, by model, kind (input, output, cache_read, cache_creation) and project.',
    type: 'counter',
    labelNames: ['model', 'type', 'project'],
    figures: tokenFigures,
  },
  {
    name: 'claude_code_cost_usd',
    help: 'Cost of Claude Code API responses in USD, all time, by model and project.',
    type: 'gauge',
    labelNames: ['model', 'project'],
    divisor: NANOS_PER_USD,
    figures: (r) =>
      foldFigures(
        r.usage(),
        (u) => ({ model: u.model, project: r.project(u.projectId) }),
        (u) => u.costNanos,
      ),
  },
  {
    name: 'claude_code_sessions_total',
    help: 'Claude Code sessions, by project.',
    type: 'counter',
    labelNames: ['project'],
    figures: (r) =>
      foldFigures(
        r.sessions(),
        (s) => ({ project: r.project(s.projectId) }),
        (s) => s.sessions,
      ),
  },
  {
    name: 'claude_code_messages_total',
    help: 'Messages in Claude Code transcripts, by role (user, assistant) and project.',
    type: 'counter',
    labelNames: ['role', 'project'],
    figures: (r) =>
      foldFigures(
        r.messages(),
        (m) => ({ role: m.key, project: r.project(m.projectId) }),
        (m) => m.count,
      ),
  },
  {
    name: 'claude_code_tools_total',
    help: 'Tool calls in Claude Code transcripts, by tool and project.',
    type: 'counter',
    labelNames: ['tool', 'project'],
    figures: (r) =>
      foldFigures(
        r.tools(),
        (t) => ({ tool: t.key, project: r.project(t.projectId) }),
        (t) => t.count,
      ),
  },
  {
    name: 'claude_code_responses_total',
    help: 'Claude Code API responses, by status (success, truncated, error) and project.',
    type: 'counter',
    labelNames: ['status', 'project'],
    figures: (r) =>
      foldFigures(
        r.usage(),
        (u) => ({
          status: STATUS_OF_CODE.get(u.status) ?? 'unknown',
          project: r.project(u.projectId),
        }),
        (u) => u.responses,
      ),
  },
  {
    name: 'claude_code_api_requests_total',
    help: "Claude Code's API requests from its api_request (outcome success) and api_error (outcome error) events, by model.",
    type: 'counter',
    labelNames: ['model', 'outcome'],
    figures: (r) =>
      foldFigures(
        r.events().filter((e) => e.name === 'api_request' || e.name === 'api_error'),
        (e) => ({ model: e.model, outcome: e.name === 'api_request' ? 'success' : 'error' }),
        (e) => e.count,
      ),
  },
  {
    name: 'claude_code_api_errors_total',
    help: "Claude Code's failed API requests from its api_error events, by HTTP status code.",
    type: 'counter',
    labelNames: ['status_code'],
    figures: (r) =>
      foldFigures(
        r.events().filter((e) => e.name === 'api_error'),
        (e) => ({ status_code: e.a || 'none' }),
        (e) => e.count,
      ),
  },
  {
    name: 'claude_code_tool_results_total',
    help: "Tool runs from Claude Code's tool_result events, by tool and success.",
    type: 'counter',
    labelNames: ['tool', 'success'],
    figures: (r) =>
      foldFigures(
        r.events().filter((e) => e.name === 'tool_result'),
        (e) => ({ tool: e.a, success: e.b }),
        (e) => e.count,
      ),
  },
  {
    name: 'claude_code_tool_decisions_total',
    help: "Permission decisions from Claude Code's tool_decision events, by tool, decision and source.",
    type: 'counter',
    labelNames: ['tool', 'decision', 'source'],
    figures: (r) =>
      foldFigures(
        r.events().filter((e) => e.name === 'tool_decision'),
        (e) => ({ tool: e.a, decision: e.b, source: e.c }),
        (e) => e.count,
      ),
  },
];

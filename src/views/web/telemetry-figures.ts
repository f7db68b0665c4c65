import {
  apiLatency,
  hasTelemetry,
  metricTotals,
  promptCountsByUser,
  userUsageRows,
} from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import type { TelemetryResponse } from './api-types.js';
import type { ResolvedQuery } from './resolved-query.js';
import { tokenTotals } from './usage-figures.js';

/** Claude Code's metric names (OTLP), as stored. */
const METRIC = {
  lines: 'claude_code.lines_of_code.count',
  commits: 'claude_code.commit.count',
  pullRequests: 'claude_code.pull_request.count',
  decisions: 'claude_code.code_edit_tool.decision',
  activeTime: 'claude_code.active_time.total',
} as const;

export const NO_TELEMETRY_NOTE =
  'No OpenTelemetry data yet. Lines of code, commits, pull requests, edit decisions, active time, API latency and per-user figures come from Claude Code\'s telemetry: turn it on with "ccmon setup".';

/**
 * Figures only OpenTelemetry has. Metrics are filtered by range and by the
 * projects of their `session.id`; the model filter applies to API latency only.
 */
export function telemetryFigures(db: Db, rq: ResolvedQuery): TelemetryResponse {
  const available = hasTelemetry(db);
  const figures: TelemetryResponse = {
    ...rq.scope,
    available,
    note: available ? null : NO_TELEMETRY_NOTE,
    linesAdded: 0,
    linesRemoved: 0,
    commits: 0,
    pullRequests: 0,
    editDecisions: { accept: 0, reject: 0 },
    activeTimeSeconds: 0,
    apiLatency: { count: 0, meanMs: null, p50Ms: null, p95Ms: null, maxMs: null },
    users: [],
  };
  if (!available) return figures;
  const linesByUser = new Map<string, { added: number; removed: number }>();
  let points = 0;
  for (const m of metricTotals(db, Object.values(METRIC), rq.activity)) {
    points++;
    if (m.name === METRIC.lines) {
      const lines = linesByUser.get(m.userId) ?? { added: 0, removed: 0 };
      linesByUser.set(m.userId, lines);
      if (m.type === 'added') {
        figures.linesAdded += m.total;
        lines.added += m.total;
      } else if (m.type === 'removed') {
        figures.linesRemoved += m.total;
        lines.removed += m.total;
      }
    } else if (m.name === METRIC.commits) figures.commits += m.total;
    else if (m.name === METRIC.pullRequests) figures.pullRequests += m.total;
    else if (m.name === METRIC.activeTime) figures.activeTimeSeconds += m.total;
    else if (m.name === METRIC.decisions) {
      if (m.decision === 'accept') figures.editDecisions.accept += m.total;
      else if (m.decision === 'reject') figures.editDecisions.reject += m.total;
    }
  }
  figures.apiLatency = apiLatency(db, { ...rq.activity, models: rq.usage.models });
  const prompts = new Map(promptCountsByUser(db, rq.activity).map((e) => [e.userId, e.count]));
  figures.users = userUsageRows(db, rq.usage)
    .filter((u) => u.userId !== '')
    .map((u) => ({
      userId: u.userId,
      responses: u.responses,
      sessions: u.sessions,
      tokens: tokenTotals(u),
      costNanos: u.costNanos,
      prompts: prompts.get(u.userId) ?? 0,
      linesAdded: linesByUser.get(u.userId)?.added ?? 0,
      linesRemoved: linesByUser.get(u.userId)?.removed ?? 0,
    }))
    .sort((a, b) => b.costNanos - a.costNanos);
  if (points === 0 && figures.apiLatency.count === 0) {
    figures.note = 'No OpenTelemetry data in this range (telemetry was received at other times).';
  }
  return figures;
}

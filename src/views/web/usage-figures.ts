import { TOKEN_KINDS } from '../../domain/usage.js';
import {
  allProjects,
  sessionFacts,
  statusCounts,
  userUsageRows,
} from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import { sessionCount, type UsageRow, usageRows } from '../../store/usage-queries.js';
import type {
  BlockFigures,
  ModelsResponse,
  ProjectsResponse,
  Series,
  SessionRow,
  SessionsResponse,
  SummaryResponse,
  TimeseriesResponse,
  TokenTotals,
} from './api-types.js';
import { startOfDay, startOfWeek } from './calendar.js';
import { BASE_BUCKET_MS, LocalBuckets, localSessions, localUsageRows } from './local-buckets.js';
import type { ResolvedQuery } from './resolved-query.js';

const HOUR = 3_600_000;

type TokenSums = Pick<UsageRow, 'input' | 'output' | 'cacheRead' | 'cacheCreation'>;

export function tokenTotals(r: TokenSums | undefined): TokenTotals {
  const t = {
    input: r?.input ?? 0,
    output: r?.output ?? 0,
    cacheRead: r?.cacheRead ?? 0,
    cacheCreation: r?.cacheCreation ?? 0,
  };
  return { ...t, total: t.input + t.output + t.cacheRead + t.cacheCreation };
}

function addTokens(into: TokenTotals, r: TokenSums): void {
  into.input += r.input;
  into.output += r.output;
  into.cacheRead += r.cacheRead;
  into.cacheCreation += r.cacheCreation;
  into.total += r.input + r.output + r.cacheRead + r.cacheCreation;
}

function totalOf(db: Db, rq: ResolvedQuery, fromMs: number, toMs?: number): UsageRow | undefined {
  return usageRows(db, { ...rq.usage, fromMs, toMs }, {})[0];
}

export function summaryFigures(
  db: Db,
  rq: ResolvedQuery,
  block: BlockFigures | null,
): SummaryResponse {
  const total = usageRows(db, rq.usage, {})[0];
  const tokens = tokenTotals(total);
  const sessions = sessionCount(db, rq.usage);
  const byModel = usageRows(db, rq.usage, { model: true });
  const status = statusCounts(db, rq.usage);
  const responses = total?.responses ?? 0;
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheCreation;
  const today = totalOf(db, rq, startOfDay(rq.now, rq.q.timezone));
  const week = totalOf(db, rq, startOfWeek(rq.now, rq.q.timezone));
  const lastHour = totalOf(db, rq, rq.now - HOUR, rq.now);
  const unpricedModels = byModel.filter((r) => r.unpricedResponses > 0).map((r) => r.model);
  const understated = total?.understated ?? 0;
  const notes: string[] = [];
  if (understated > 0) {
    notes.push(
      `${understated.toLocaleString('en-US')} responses come from Claude Code 2.1.10 transcripts, which record only a placeholder output count: their output tokens and cost are understated. With telemetry on, the "both" view has the real counts.`,
    );
  }
  if (unpricedModels.length > 0) {
    notes.push(
      `No price for ${unpricedModels.join(', ')}: ${(total?.unpricedTokens ?? 0).toLocaleString('en-US')} tokens are counted as unpriced, not $0. Add prices with --pricing FILE.`,
    );
  }
  return {
    ...rq.scope,
    tokens,
    costNanos: total?.costNanos ?? 0,
    responses,
    sessions,
    cacheEfficiency: prompt > 0 ? tokens.cacheRead / prompt : null,
    today: { costNanos: today?.costNanos ?? 0, tokens: tokenTotals(today).total },
    week: { costNanos: week?.costNanos ?? 0, tokens: tokenTotals(week).total },
    burnRate: {
      lastHourNanosPerHour: lastHour?.costNanos ?? 0,
      blockNanosPerHour: block?.active ? block.burnRateNanosPerHour : null,
    },
    status: {
      success: status.success,
      truncated: status.truncated,
      errors: status.error,
      successRate: responses > 0 ? status.success / responses : null,
    },
    unpriced: {
      responses: total?.unpricedResponses ?? 0,
      tokens: total?.unpricedTokens ?? 0,
      models: unpricedModels,
    },
    understated: { responses: understated },
    notes,
  };
}

function projectNames(db: Db): Map<number, string> {
  return new Map(allProjects(db).map((p) => [p.id, p.name]));
}

/** Sorts series largest first: by cost, then tokens. */
function bySize(a: Series, b: Series): number {
  const sum = (v: number[] | null) => (v ?? []).reduce((x, y) => x + y, 0);
  return (
    sum(b.costNanos) - sum(a.costNanos) ||
    sum(b.tokens) - sum(a.tokens) ||
    a.label.localeCompare(b.label)
  );
}

export function timeseriesFigures(db: Db, rq: ResolvedQuery): TimeseriesResponse {
  const { q } = rq;
  const buckets = new LocalBuckets(q.fromMs, q.endMs, q.bucket, q.timezone);
  const series = new Map<string, Series>();
  const seriesOf = (key: string, label: string, withCost: boolean): Series => {
    let s = series.get(key);
    if (!s) {
      s = {
        key,
        label,
        tokens: buckets.zeros(),
        costNanos: withCost ? buckets.zeros() : null,
        responses: withCost ? buckets.zeros() : null,
      };
      series.set(key, s);
    }
    return s;
  };
  const add = (s: Series, i: number, tokens: number, costNanos: number, responses: number) => {
    s.tokens[i] = (s.tokens[i] ?? 0) + tokens;
    if (s.costNanos) s.costNanos[i] = (s.costNanos[i] ?? 0) + costNanos;
    if (s.responses) s.responses[i] = (s.responses[i] ?? 0) + responses;
  };
  if (q.groupBy === 'kind') {
    for (const kind of TOKEN_KINDS) seriesOf(kind, kind, false);
    for (const r of localUsageRows(db, rq.usage, {}, buckets)) {
      const i = buckets.indexOf(r.bucket);
      if (i < 0) continue;
      for (const kind of TOKEN_KINDS) add(seriesOf(kind, kind, false), i, r[kind], 0, 0);
    }
  } else if (q.groupBy === 'user') {
    for (const r of userUsageRows(db, rq.usage, BASE_BUCKET_MS)) {
      const i = buckets.indexOf(r.bucket);
      if (i < 0) continue;
      const s = seriesOf(r.userId, r.userId === '' ? '(unknown user)' : r.userId, true);
      add(s, i, r.input + r.output + r.cacheRead + r.cacheCreation, r.costNanos, r.responses);
    }
  } else {
    const names = q.groupBy === 'project' ? projectNames(db) : undefined;
    const rows = localUsageRows(
      db,
      rq.usage,
      { model: q.groupBy === 'model', project: q.groupBy === 'project' },
      buckets,
    );
    for (const r of rows) {
      const i = buckets.indexOf(r.bucket);
      if (i < 0) continue;
      const s = names
        ? seriesOf(String(r.projectId), names.get(r.projectId) ?? '(no project)', true)
        : seriesOf(r.model, r.model, true);
      add(s, i, r.input + r.output + r.cacheRead + r.cacheCreation, r.costNanos, r.responses);
    }
  }
  const list = [...series.values()];
  if (q.groupBy !== 'kind') list.sort(bySize);
  return {
    ...rq.scope,
    bucket: q.bucket,
    groupBy: q.groupBy,
    buckets: buckets.starts,
    series: list,
  };
}

export function modelFigures(db: Db, rq: ResolvedQuery): ModelsResponse {
  const models = usageRows(db, rq.usage, { model: true })
    .map((r) => ({
      model: r.model,
      tokens: tokenTotals(r),
      costNanos: r.costNanos,
      responses: r.responses,
      unpricedResponses: r.unpricedResponses,
      understated: r.understated,
    }))
    .sort((a, b) => b.tokens.total - a.tokens.total || a.model.localeCompare(b.model));
  return { ...rq.scope, models };
}

export function projectFigures(db: Db, rq: ResolvedQuery): ProjectsResponse {
  const known = new Map(allProjects(db).map((p) => [p.id, p]));
  const out = new Map<number, ProjectsResponse['projects'][number]>();
  const { projectRows, sessionsByProject } = rq.projectsAndSessions();
  for (const r of projectRows) {
    let p = out.get(r.projectId);
    if (!p) {
      const info = known.get(r.projectId);
      p = {
        id: r.projectId,
        name: info?.name ?? '(no project)',
        path: info?.path ?? '',
        costNanos: 0,
        tokens: tokenTotals(undefined),
        sessions: sessionsByProject.get(r.projectId) ?? 0,
        responses: 0,
        lastMs: 0,
      };
      out.set(r.projectId, p);
    }
    p.costNanos += r.costNanos;
    addTokens(p.tokens, r);
    p.responses += r.responses;
    p.lastMs = Math.max(p.lastMs, r.lastMs);
  }
  const projects = [...out.values()].sort(
    (a, b) => b.costNanos - a.costNanos || b.tokens.total - a.tokens.total,
  );
  return { ...rq.scope, projects };
}

export function sessionFigures(db: Db, rq: ResolvedQuery): SessionsResponse {
  const { q } = rq;
  // The latest sessions first; figures by model only for those shown.
  const { totalSessions: total, latest } = rq.projectsAndSessions();
  const shownIds = latest.map((s) => s.sessionId);
  const out = new Map<string, SessionRow>(
    shownIds.map((id) => [
      id,
      {
        id,
        project: null,
        version: null,
        firstMs: Number.POSITIVE_INFINITY,
        lastMs: 0,
        responses: 0,
        tokens: tokenTotals(undefined),
        costNanos: 0,
        models: [],
      },
    ]),
  );
  const rows =
    shownIds.length === 0
      ? []
      : usageRows(db, { ...rq.usage, sessionIds: shownIds }, { session: true, model: true });
  for (const r of rows) {
    const s = out.get(r.sessionId);
    if (!s) continue;
    s.firstMs = Math.min(s.firstMs, r.firstMs);
    s.lastMs = Math.max(s.lastMs, r.lastMs);
    s.responses += r.responses;
    addTokens(s.tokens, r);
    s.costNanos += r.costNanos;
    s.models.push(r.model);
  }
  const shown = [...out.values()];
  // Project and version only for the sessions shown: a year has thousands.
  const names = projectNames(db);
  const facts = new Map(
    sessionFacts(
      db,
      shown.map((s) => s.id),
    ).map((f) => [f.id, f]),
  );
  for (const s of shown) {
    const f = facts.get(s.id);
    s.project = f?.projectId != null ? (names.get(f.projectId) ?? null) : null;
    s.version = f?.version ?? null;
  }
  const buckets = new LocalBuckets(q.fromMs, q.endMs, q.bucket, q.timezone);
  const active = buckets.starts.map(() => new Set<string>());
  for (const r of localSessions(db, rq.usage, buckets)) {
    active[buckets.indexOf(r.bucket)]?.add(r.sessionId);
  }
  return {
    ...rq.scope,
    sessions: shown,
    total,
    bucket: q.bucket,
    buckets: buckets.starts,
    activeSessions: active.map((s) => s.size),
  };
}

import { toolCounts } from '../../store/dashboard-queries.js';
import type { Db } from '../../store/open-store.js';
import type { MessagesResponse, ToolsResponse } from './api-types.js';
import { LocalBuckets, localMessageCounts, localUsageRows } from './local-buckets.js';
import type { ResolvedQuery } from './resolved-query.js';

/** Tools come from transcripts, keyed by session: the model filter does not apply to them. */
export function toolFigures(db: Db, rq: ResolvedQuery): ToolsResponse {
  return { ...rq.scope, tools: toolCounts(db, rq.activity) };
}

/**
 * Messages by role: user lines (prompts and tool results) from transcripts;
 * assistant messages are the API responses of the view.
 */
export function messageFigures(db: Db, rq: ResolvedQuery): MessagesResponse {
  const { q } = rq;
  const buckets = new LocalBuckets(q.fromMs, q.endMs, q.bucket, q.timezone);
  const byRole = new Map<string, { count: number; counts: number[] }>();
  const add = (role: string, bucket: number, count: number) => {
    let r = byRole.get(role);
    if (!r) {
      r = { count: 0, counts: buckets.zeros() };
      byRole.set(role, r);
    }
    r.count += count;
    const i = buckets.indexOf(bucket);
    if (i >= 0) r.counts[i] = (r.counts[i] ?? 0) + count;
  };
  for (const r of localMessageCounts(db, rq.activity, buckets)) add(r.role, r.bucket, r.count);
  for (const r of localUsageRows(db, rq.usage, {}, buckets))
    add('assistant', r.bucket, r.responses);
  const roles = [...byRole.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  return {
    ...rq.scope,
    byRole: roles.map(([role, v]) => ({ role, count: v.count })),
    bucket: q.bucket,
    buckets: buckets.starts,
    series: roles.map(([role, v]) => ({ role, counts: v.counts })),
  };
}

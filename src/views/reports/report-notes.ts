import pc from 'picocolors';
import type { View } from '../../domain/usage.js';
import { formatTokens } from './cell-format.js';
import type { ReportScope } from './report-scope.js';
import type { TableStyle } from './text-table.js';
import type { UsageGroup } from './usage-groups.js';

/** A line a report's figures need beside them; `warning`s qualify a figure. */
export interface ReportNote {
  level: 'hint' | 'warning';
  text: string;
}

const VIEW_WORDS: Record<View, string> = {
  transcripts: 'transcripts only',
  telemetry: 'telemetry only (api_request events)',
  both: 'transcripts and telemetry joined, each response once',
};

/** The table footer that says which trail the figures come from. */
export function viewLine(view: View, timezone: string): string {
  return `view: ${view} (${VIEW_WORDS[view]}); times in ${timezone}`;
}

export function understatedNote(responses: number): string {
  return `output tokens of ${formatTokens(responses)} response${responses === 1 ? ' is' : 's are'} understated: Claude Code 2.1.x wrote only the first stream event's count; turn on telemetry (ccmon setup) to get the real ones`;
}

export function unpricedNote(models: readonly (readonly [string, number])[]): string {
  const list = models.map(([m, tokens]) => `${m} (${formatTokens(tokens)} tokens)`).join(', ');
  return `* no price for ${list}: ${models.length === 1 ? 'its' : 'their'} tokens are counted but not in the cost; add prices with --pricing FILE (USD per million tokens)`;
}

export function emptyHint(scope: ReportScope, view: View): string {
  if (scope.knownProjects) {
    const known = scope.knownProjects.length > 0 ? scope.knownProjects.join(', ') : 'none yet';
    return `No usage found${scope.description}: no project has that name or path (projects: ${known}).`;
  }
  if (view === 'telemetry') {
    return `No usage found${scope.description} in the telemetry view; telemetry reaches the store through \`ccmon serve\` (see \`ccmon setup\`), or use --view transcripts.`;
  }
  const where = view === 'transcripts' ? ' in the transcripts view' : '';
  return `No usage found${scope.description}${where}; run \`ccmon scan\` or check --claude-dir.`;
}

/** The notes a report's figures need: why it is empty, placeholders, unpriced models. */
export function notesOf(total: UsageGroup, scope: ReportScope, view: View): ReportNote[] {
  const notes: ReportNote[] = [];
  if (total.totals.responses === 0) notes.push({ level: 'hint', text: emptyHint(scope, view) });
  if (total.totals.understated > 0) {
    notes.push({ level: 'warning', text: understatedNote(total.totals.understated) });
  }
  const unpriced = [...total.models]
    .filter(([, t]) => t.unpricedTokens > 0)
    .map(([m, t]) => [m, t.unpricedTokens] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  if (unpriced.length > 0) notes.push({ level: 'warning', text: unpricedNote(unpriced) });
  return notes;
}

/** The lines under a table: the notes, then which view and zone the figures are in. */
export function tableFooter(
  notes: readonly ReportNote[],
  view: View,
  timezone: string,
  style: TableStyle,
): string {
  const c = pc.createColors(style.color);
  const lines = notes.map((n) => (n.level === 'warning' ? c.yellow(n.text) : n.text));
  lines.push(c.dim(viewLine(view, timezone)));
  return `${lines.join('\n')}\n`;
}

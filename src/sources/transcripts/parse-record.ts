import { usdToNanos } from '../../domain/money.js';
import type { ResponseStatus, TokenCounts } from '../../domain/usage.js';
import { isObject, type JsonObject, num, obj, str } from './json-fields.js';
import type { LineRecords, ResponseCopy, ToolOutcome, ToolResult } from './records.js';

/** Turns one decoded transcript line into what ccmon stores; unknown shapes give nothing. */
export function recordsOfLine(line: JsonObject): LineRecords {
  switch (line.type) {
    case 'assistant':
      return assistantRecords(line);
    case 'user':
      return userRecords(line);
    case 'system':
      return systemRecords(line);
    case 'cost-state':
      return costStateRecords(line);
    default:
      return {};
  }
}

function timeOf(line: JsonObject): number | null {
  const ts = str(line, 'timestamp');
  if (ts === null) return null;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? null : ms;
}

function sessionOf(line: JsonObject, timeMs: number): LineRecords['session'] {
  const sessionId = str(line, 'sessionId');
  const cwd = str(line, 'cwd');
  if (sessionId === null || cwd === null) return undefined;
  return {
    sessionId,
    cwd,
    timeMs,
    version: str(line, 'version'),
    gitBranch: str(line, 'gitBranch'),
    entrypoint: str(line, 'entrypoint'),
  };
}

function tokensOf(usage: JsonObject): TokenCounts {
  const split = obj(usage, 'cache_creation');
  return {
    input: num(usage, 'input_tokens'),
    output: num(usage, 'output_tokens'),
    cacheRead: num(usage, 'cache_read_input_tokens'),
    cacheCreation: num(usage, 'cache_creation_input_tokens'),
    cacheCreation5m: split ? num(split, 'ephemeral_5m_input_tokens') : 0,
    cacheCreation1h: split ? num(split, 'ephemeral_1h_input_tokens') : 0,
  };
}

function assistantRecords(line: JsonObject): LineRecords {
  const timeMs = timeOf(line);
  const message = obj(line, 'message');
  const sessionId = str(line, 'sessionId');
  if (timeMs === null || message === null || sessionId === null) return {};
  const session = sessionOf(line, timeMs);
  const messageId = str(message, 'id');
  const requestId = str(line, 'requestId');
  const usage = obj(message, 'usage');
  const records: LineRecords = { session };
  // Assistant messages are counted from the responses themselves, once per message.id.
  const key = messageId ?? requestId;
  if (usage === null || key === null) return records;

  const stopReason = message.stop_reason;
  const isApiError = line.isApiErrorMessage === true;
  let status: ResponseStatus = 'success';
  if (isApiError) status = 'error';
  else if (stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded')
    status = 'truncated';
  const tokens = tokensOf(usage);
  const costUSD = line.costUSD;

  const toolUses: ResponseCopy['toolUses'] = [];
  const content = message.content;
  if (Array.isArray(content)) {
    for (const block of content) {
      if (!isObject(block) || block.type !== 'tool_use') continue;
      const id = str(block, 'id');
      const name = str(block, 'name');
      if (id !== null && name !== null) toolUses.push({ id, name });
    }
  }

  records.response = {
    messageId,
    requestId,
    timeMs,
    sessionId,
    cwd: str(line, 'cwd') ?? '',
    gitBranch: str(line, 'gitBranch'),
    version: str(line, 'version'),
    entrypoint: str(line, 'entrypoint'),
    model: str(message, 'model') ?? 'unknown',
    tokens,
    status,
    speed: str(usage, 'speed'),
    isSidechain: line.isSidechain === true,
    agentId: str(line, 'agentId'),
    reportedCostNanos:
      typeof costUSD === 'number' && Number.isFinite(costUSD) ? usdToNanos(costUSD) : null,
    // The first stream event's usage, written before the response finished.
    placeholder: !isApiError && stopReason === null && tokens.output <= 1,
    toolUses,
  };
  return records;
}

function userRecords(line: JsonObject): LineRecords {
  const timeMs = timeOf(line);
  const sessionId = str(line, 'sessionId');
  if (timeMs === null || sessionId === null) return {};
  const records: LineRecords = { session: sessionOf(line, timeMs) };
  const uuid = str(line, 'uuid');
  if (uuid !== null) records.message = { key: uuid, role: 'user', sessionId, timeMs };
  const content = obj(line, 'message')?.content;
  if (!Array.isArray(content)) return records;

  const results: ToolResult[] = [];
  for (const block of content) {
    if (!isObject(block) || block.type !== 'tool_result') continue;
    const toolUseId = str(block, 'tool_use_id');
    if (toolUseId === null) continue;
    const outcome = outcomeOf(line, block);
    const lines =
      outcome === 'accepted' ? linesChanged(line.toolUseResult) : { added: 0, removed: 0 };
    results.push({
      toolUseId,
      outcome,
      linesAdded: lines.added,
      linesRemoved: lines.removed,
      sessionId,
      timeMs,
    });
  }
  if (results.length > 0) records.toolResults = results;
  return records;
}

const REJECTION_PREFIXES = ["The user doesn't want to proceed", 'Claude requested permissions'];

function outcomeOf(line: JsonObject, block: JsonObject): ToolOutcome {
  const decision = obj(line, 'permissionDecision');
  if (typeof line.toolDenialKind === 'string' || (decision && decision.decision === 'reject'))
    return 'rejected';
  const text = typeof block.content === 'string' ? block.content : '';
  if (REJECTION_PREFIXES.some((p) => text.startsWith(p))) return 'rejected';
  return block.is_error === true ? 'error' : 'accepted';
}

/** Lines written by a Write (`type: create`) or changed by an Edit (`structuredPatch` hunks). */
function linesChanged(result: unknown): { added: number; removed: number } {
  const changed = { added: 0, removed: 0 };
  if (!isObject(result)) return changed;
  const patch = result.structuredPatch;
  if (Array.isArray(patch) && patch.length > 0) {
    for (const hunk of patch) {
      if (!isObject(hunk) || !Array.isArray(hunk.lines)) continue;
      for (const l of hunk.lines) {
        if (typeof l !== 'string') continue;
        if (l.startsWith('+')) changed.added++;
        else if (l.startsWith('-')) changed.removed++;
      }
    }
    return changed;
  }
  if (result.type === 'create' && typeof result.content === 'string') {
    changed.added = countLines(result.content);
  }
  return changed;
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

function systemRecords(line: JsonObject): LineRecords {
  const timeMs = timeOf(line);
  const sessionId = str(line, 'sessionId');
  const uuid = str(line, 'uuid');
  if (timeMs === null || sessionId === null) return {};
  const records: LineRecords = { session: sessionOf(line, timeMs) };
  if (line.subtype === 'compact_boundary' && uuid !== null) {
    records.compaction = { key: uuid, sessionId, timeMs };
  }
  return records;
}

function costStateRecords(line: JsonObject): LineRecords {
  const sessionId = str(line, 'sessionId');
  const total = line.totalCostUSD;
  if (sessionId === null || typeof total !== 'number' || !Number.isFinite(total)) return {};
  return { costState: { sessionId, costNanos: usdToNanos(total) } };
}

// Line shapes of older Claude Code generations (see /work/shared/fixtures/claude-code-older):
// 1.0.5 writes one line per response with costUSD; 1.0.70 and 2.0.50 one line per content block.

import { costUSD } from './responses.mjs';

function head(s) {
  const h = {
    parentUuid: s.parentUuid,
    isSidechain: s.isSidechain,
    userType: 'external',
    cwd: s.cwd,
    sessionId: s.sessionId,
    version: s.version,
  };
  if (s.version !== '1.0.5') h.gitBranch = '';
  if (s.agentId) h.agentId = s.agentId;
  return h;
}

function finish(s, line) {
  line.uuid = s.random.uuid();
  s.parentUuid = line.uuid;
  line.timestamp = s.tick();
  return line;
}

export function legacyUser(s, content, toolUseResult) {
  const line = { ...head(s), type: 'user', message: { role: 'user', content } };
  finish(s, line);
  if (toolUseResult) line.toolUseResult = toolUseResult;
  return line;
}

export function legacyToolResult(s, toolUse, size) {
  const body = s.text.chunk(size);
  return legacyUser(s, [{ tool_use_id: toolUse.id, type: 'tool_result', content: body }], {
    stdout: body,
    stderr: '',
    interrupted: false,
    isImage: false,
  });
}

export function legacyAssistantLines(s, r) {
  const message = (content) => ({
    id: r.id,
    type: 'message',
    role: 'assistant',
    model: r.model,
    content,
    stop_reason: r.stopReason,
    stop_sequence: null,
    usage: { ...r.usage, service_tier: 'standard' },
  });
  if (s.version === '1.0.5') {
    const line = {
      ...head(s),
      message: message(r.blocks),
      costUSD: costUSD(r.model, r.usage),
      durationMs: s.random.int(800, 30000),
      requestId: r.requestId,
      type: 'assistant',
    };
    return [finish(s, line)];
  }
  return r.blocks.map((block) =>
    finish(s, { ...head(s), message: message([block]), requestId: r.requestId, type: 'assistant' }),
  );
}

export function summaryLine(s) {
  return {
    type: 'summary',
    summary: 'Fix the "parser" bug — café edition',
    leafUuid: s.random.uuid(),
  };
}

// Line shapes written by Claude Code 2.1.330 (see /work/shared/fixtures/claude-code-2.1.330).
// Key order follows the real lines, so byte-level scanners meet what they will meet in the wild.

function tail(s) {
  return {
    userType: 'external',
    entrypoint: s.entrypoint,
    cwd: s.cwd,
    sessionId: s.sessionId,
    version: s.version,
    gitBranch: s.gitBranch,
  };
}

function head(s) {
  const h = { parentUuid: s.parentUuid, isSidechain: s.isSidechain };
  if (s.agentId) h.agentId = s.agentId;
  return h;
}

/** Gives the line a uuid and makes it the parent of the next one. */
function chain(s, line) {
  line.uuid = s.random.uuid();
  s.parentUuid = line.uuid;
  return line;
}

export function userPrompt(s, content) {
  const line = {
    ...head(s),
    promptId: s.promptId,
    type: 'user',
    message: { role: 'user', content },
  };
  chain(s, line);
  return Object.assign(line, { timestamp: s.tick(), permissionMode: 'default', ...tail(s) });
}

export function toolResult(s, toolUse, size) {
  const { random, text } = s;
  const body = text.chunk(size);
  const content = random.chance(0.7) ? body : [{ type: 'text', text: body }];
  let toolUseResult;
  if (toolUse.name === 'Bash') {
    toolUseResult = {
      stdout: body,
      stderr: '',
      interrupted: false,
      isImage: false,
      noOutputExpected: false,
    };
  } else if (toolUse.name === 'Read') {
    toolUseResult = {
      type: 'text',
      file: {
        filePath: toolUse.input.file_path,
        content: body,
        numLines: 200,
        startLine: 1,
        totalLines: 200,
      },
    };
  } else if (toolUse.name === 'Edit') {
    toolUseResult = {
      filePath: toolUse.input.file_path,
      oldString: toolUse.input.old_string,
      newString: toolUse.input.new_string,
      originalFile: body,
      structuredPatch: [
        { oldStart: 1, oldLines: 3, newStart: 1, newLines: 3, lines: [' a', '-b', '+c'] },
      ],
      userModified: false,
      replaceAll: false,
    };
  } else {
    toolUseResult = { type: 'text', content: body.slice(0, 4000) };
  }
  const line = {
    ...head(s),
    promptId: s.promptId,
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: toolUse.id, type: 'tool_result', content }] },
  };
  chain(s, line);
  return Object.assign(line, {
    timestamp: s.tick(),
    toolUseResult,
    sourceToolAssistantUUID: line.parentUuid,
    ...tail(s),
  });
}

export function attachment(s, body, rendered) {
  const line = { ...head(s), attachment: body, type: 'attachment' };
  chain(s, line);
  line.timestamp = s.tick();
  if (rendered) Object.assign(line, { rendered: [{ content: rendered }], renderedRole: 'system' });
  return Object.assign(line, tail(s));
}

export const bulkyAttachments = {
  skillListing: (s, size) =>
    attachment(s, { type: 'skill_listing', content: s.text.chunk(size), skillCount: 42 }),
  promptSnapshot: (s, size) => {
    const parts = [];
    for (let left = size; left > 0; left -= 8000) parts.push(s.text.chunk(Math.min(8000, left)));
    return attachment(s, { type: 'prompt_snapshot', systemPrompt: parts, model: s.model });
  },
  environment: (s) =>
    attachment(
      s,
      {
        type: 'environment',
        snapshot: { workingDirectory: s.cwd, isGitRepo: true, platform: 'linux', shell: 'bash' },
      },
      `<system-reminder>\n# Environment\n${s.text.chunk(900)}</system-reminder>`,
    ),
  deferredTools: (s) =>
    attachment(
      s,
      {
        type: 'deferred_tools_delta',
        addedNames: ['CronCreate', 'WebFetch', 'WebSearch'],
        removedNames: [],
      },
      s.text.chunk(700),
    ),
  agentListing: (s) =>
    attachment(s, { type: 'agent_listing_delta', content: s.text.chunk(3500) }, s.text.chunk(400)),
  date: (s) =>
    attachment(
      s,
      { type: 'date', date: s.isoDate() },
      `<system-reminder>\nToday's date is ${s.isoDate()}.\n</system-reminder>`,
    ),
  tokensReminder: (s) =>
    attachment(
      s,
      { type: 'total_tokens_reminder', remaining: 15000000 - s.context },
      `<total_tokens>${15000000 - s.context} tokens left</total_tokens>`,
    ),
};

export function apiRequestShape(s, size) {
  const tools = [];
  for (let left = size - 12000; left > 0; left -= 3000) {
    tools.push({
      name: `Tool${tools.length}`,
      description: s.text.chunk(2200),
      input_schema: { type: 'object', properties: { q: { type: 'string' } } },
    });
  }
  return {
    type: 'api-request-shape',
    sessionId: s.sessionId,
    shapeHash: s.random.hex(64),
    timestamp: s.tick(),
    version: s.version,
    shape: { system: [{ type: 'text', text: s.text.chunk(12000) }], tools },
  };
}

export function apiRequestBlob(s, size) {
  return {
    type: 'api-request-blob',
    sessionId: s.sessionId,
    hash: s.random.hex(64),
    message: { role: 'user', content: [{ type: 'text', text: s.text.chunk(size) }] },
  };
}

export function apiRequest(s, response) {
  return {
    type: 'api-request',
    sessionId: s.sessionId,
    id: response.requestRef,
    timestamp: s.tick(),
    version: s.version,
    querySource: 'repl_main_thread',
    shapeHash: s.random.hex(64),
    params: {
      model: response.model,
      max_tokens: 32000,
      thinking: { budget_tokens: 31999, type: 'enabled' },
    },
    keep: 1,
    tail: [s.random.hex(64), s.random.hex(64)],
    requestDigest: s.random.hex(64),
  };
}

/** One line per content block, each with the full usage (the 2.1.330 behaviour). */
// The cache_creation breakdown adds up to cache_creation_input_tokens, as the real API's
// does. ccusage 20.0.24 takes cache creation from this breakdown when it is present (so it
// reports 0 for the 2.1.330 fixtures, whose stand-in API wrote a zero breakdown).
export function assistantLines(s, r) {
  const cacheCreation = s.oneHourCache
    ? {
        ephemeral_1h_input_tokens: r.usage.cache_creation_input_tokens,
        ephemeral_5m_input_tokens: 0,
      }
    : {
        ephemeral_1h_input_tokens: 0,
        ephemeral_5m_input_tokens: r.usage.cache_creation_input_tokens,
      };
  return r.blocks.map((block, index) => {
    const line = {
      ...head(s),
      message: {
        id: r.id,
        type: 'message',
        role: 'assistant',
        model: r.model,
        content: [block],
        stop_reason: r.stopReason,
        stop_sequence: null,
        usage: {
          ...r.usage,
          output_tokens_details: { thinking_tokens: 0 },
          server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
          service_tier: 'standard',
          cache_creation: cacheCreation,
          inference_geo: '',
          iterations: [],
          speed: 'standard',
          fallback_credit: null,
        },
        stop_details: null,
      },
      apiBlockIndex: index,
      requestId: r.requestId,
      requestRef: r.requestRef,
      requestedModel: r.model,
      promptCacheRequested: s.oneHourCache ? '1h' : '5m',
    };
    if (s.attributionAgent) line.attributionAgent = s.attributionAgent;
    line.type = 'assistant';
    chain(s, line);
    return Object.assign(line, {
      timestamp: s.tick(),
      perTurnEffort: null,
      madeBy: 'model',
      ...tail(s),
    });
  });
}

export const smallLines = {
  queue: (s, operation) => ({
    type: 'queue-operation',
    operation,
    timestamp: s.tick(),
    sessionId: s.sessionId,
  }),
  lastPrompt: (s) => ({
    type: 'last-prompt',
    lastPrompt: s.lastPrompt,
    leafUuid: s.parentUuid,
    sessionId: s.sessionId,
  }),
  atisLatch: (s) => ({ type: 'atis-latch', atis: true, sessionId: s.sessionId }),
  toolsUsed: (s) => ({ type: 'tools-used', tools: ['Write', 'Bash'], sessionId: s.sessionId }),
  mode: (s) => ({ type: 'mode', mode: 'normal', sessionId: s.sessionId }),
  permissionMode: (s) => ({
    type: 'permission-mode',
    permissionMode: 'default',
    sessionId: s.sessionId,
  }),
  fileHistorySnapshot: (s) => {
    const messageId = s.random.uuid();
    const backups = {};
    for (let i = s.random.int(0, 12); i > 0; i--) {
      backups[`src/file-${i}.ts`] = {
        backupFileName: `${s.random.hex(16)}@v${i}`,
        version: i,
        backupTime: s.isoNow(),
      };
    }
    return {
      type: 'file-history-snapshot',
      messageId,
      snapshot: { messageId, trackedFileBackups: backups, timestamp: s.isoNow() },
      isSnapshotUpdate: false,
    };
  },
  fileHistoryDelta: (s) => ({
    type: 'file-history-delta',
    messageId: s.random.uuid(),
    snapshotMessageId: s.random.uuid(),
    trackingPath: 'src/index.ts',
    backup: { backupFileName: null, version: 1, backupTime: s.isoNow(), realParentDir: s.cwd },
    timestamp: s.tick(),
  }),
  turnDuration: (s) => {
    const line = {
      parentUuid: s.parentUuid,
      isSidechain: s.isSidechain,
      type: 'system',
      subtype: 'turn_duration',
      durationMs: s.random.int(500, 600000),
      messageCount: s.random.int(2, 80),
      timestamp: s.tick(),
    };
    chain(s, line);
    return Object.assign(line, { isMeta: false, ...tail(s) });
  },
  costState: (s) => ({
    type: 'cost-state',
    sessionId: s.sessionId,
    totalCostUSD: Object.values(s.modelUsage).reduce((sum, m) => sum + m.costUSD, 0),
    totalAPIDuration: s.random.int(1000, 10000000),
    totalLinesAdded: s.random.int(0, 5000),
    totalLinesRemoved: s.random.int(0, 2000),
    modelUsage: s.modelUsage,
    hasUnknownModelCost: false,
  }),
};

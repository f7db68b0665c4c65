// Writes one transcript file, prompt by prompt, until it reaches its target size.

import {
  apiRequest,
  apiRequestBlob,
  apiRequestShape,
  assistantLines,
  bulkyAttachments,
  smallLines,
  toolResult,
  userPrompt,
} from './lines-current.mjs';
import {
  legacyAssistantLines,
  legacyToolResult,
  legacyUser,
  summaryLine,
} from './lines-legacy.mjs';
import { costUSD, createResponse, MODELS } from './responses.mjs';

export function createSessionState({
  random,
  text,
  version,
  sessionId,
  cwd,
  model,
  startMs,
  agent,
}) {
  const s = {
    random,
    text,
    version,
    sessionId,
    cwd,
    model,
    clock: startMs,
    entrypoint: random.chance(0.8) ? 'cli' : 'sdk-cli',
    gitBranch: random.pick(['main', 'main', 'HEAD', 'feat/parser', 'fix/ü-encoding']),
    isSidechain: Boolean(agent),
    agentId: agent?.agentId,
    attributionAgent: agent?.attributionAgent,
    oneHourCache: random.chance(0.1),
    parentUuid: null,
    promptId: random.uuid(),
    lastPrompt: '',
    context: 0,
    modelUsage: {},
    tick() {
      s.clock += random.int(20, 4000);
      return new Date(s.clock).toISOString();
    },
    isoNow: () => new Date(s.clock).toISOString(),
    isoDate: () => new Date(s.clock).toISOString().slice(0, 10),
  };
  return s;
}

const isCurrent = (s) => s.version.startsWith('2.1');

/**
 * out: { sink, truth, record?: array }. Lines go through emit() so the truth sees exactly
 * what was written; `record` collects user/assistant lines for a 1.0.x --continue copy.
 */
export function emitter(out, random) {
  return (line) => {
    // Compact JSON, as Claude Code writes it. (ccusage scans for the bytes `"usage":` and
    // silently skips a line written as `"usage": {`.)
    let json = JSON.stringify(line);
    // A few writers escape non-ASCII (\u00e9); Claude Code writes raw UTF-8. Have both.
    if ((line.type === 'assistant' || line.type === 'user') && random.chance(0.03)) {
      json = json.replaceAll('é', '\\u00e9');
    }
    out.sink.write(`${json}\n`);
    if (line.type === 'assistant') out.truth.addAssistant(line);
    if (out.record && (line.type === 'assistant' || line.type === 'user')) out.record.push(line);
  };
}

function tally(s, r) {
  s.modelUsage[r.model] ??= {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
    costUSD: 0,
  };
  const m = s.modelUsage[r.model];
  m.inputTokens += r.usage.input_tokens;
  m.outputTokens += r.usage.output_tokens;
  m.cacheReadInputTokens += r.usage.cache_read_input_tokens;
  m.cacheCreationInputTokens += r.usage.cache_creation_input_tokens;
  m.costUSD += costUSD(r.model, r.usage);
}

/** A broken line that no reader may count: an assistant line cut before its usage. */
function truncatedAssistant(s) {
  const r = createResponse({ ...s, context: 1000 }, s.model, false);
  const json = JSON.stringify(assistantLines({ ...s }, r)[0]);
  return json.slice(0, s.random.int(20, json.indexOf('"usage"') - 1));
}

function writePromptPreamble(s, profile, emit) {
  const { random } = s;
  if (!isCurrent(s)) {
    emit(legacyUser(s, s.lastPrompt));
    return;
  }
  if (random.chance(0.5)) {
    emit(smallLines.queue(s, 'enqueue'));
    emit(smallLines.queue(s, 'dequeue'));
  }
  emit(userPrompt(s, s.lastPrompt));
  if (!profile.bulky) return;
  for (const [name, spec] of Object.entries(profile.attachments)) {
    if (!random.chance(spec.chance)) continue;
    emit(
      spec.size
        ? bulkyAttachments[name](s, random.logNormal(...spec.size))
        : bulkyAttachments[name](s),
    );
  }
  if (random.chance(profile.apiRequestShape.chance))
    emit(apiRequestShape(s, random.logNormal(...profile.apiRequestShape.size)));
  if (random.chance(0.3)) emit(smallLines.fileHistorySnapshot(s));
}

function writeRound(s, profile, emit, wantsTool) {
  const { random } = s;
  const current = isCurrent(s);
  const r = createResponse(s, s.model, wantsTool);
  if (current && profile.bulky) {
    if (random.chance(profile.apiRequestBlob.chance))
      emit(apiRequestBlob(s, random.logNormal(...profile.apiRequestBlob.size)));
    emit(apiRequest(s, r));
    if (random.chance(0.3)) emit(smallLines.atisLatch(s));
    if (random.chance(0.2)) emit(smallLines.toolsUsed(s));
  }
  for (const line of current ? assistantLines(s, r) : legacyAssistantLines(s, r)) emit(line);
  tally(s, r);
  if (r.toolUse) {
    const size = random.logNormal(...profile.toolResult);
    emit(current ? toolResult(s, r.toolUse, size) : legacyToolResult(s, r.toolUse, size));
    if (current && profile.bulky && random.chance(0.2)) emit(bulkyAttachments.tokensReminder(s));
  }
}

/**
 * Writes prompts until the file reaches `target` bytes. Returns the number of malformed
 * lines written (never counted by the truth).
 */
export function writeSession(s, profile, out, target, { malformed = 0, cutLastLine = false } = {}) {
  const { random } = s;
  const emit = emitter(out, random);
  const current = isCurrent(s);
  let broken = 0;
  const breakAt = [];
  for (let i = 0; i < malformed; i++)
    breakAt.push(random.int(0, Math.max(1, Math.floor(target / 2))));
  breakAt.sort((a, b) => b - a);

  if (current && profile.bulky && !s.isSidechain) {
    emit(smallLines.permissionMode(s));
    emit(smallLines.mode(s));
  }
  while (out.sink.bytes < target) {
    s.promptId = random.uuid();
    s.lastPrompt = s.text.sentence(random.logNormal(...profile.prompt));
    if (random.chance(0.04) && !s.isSidechain)
      s.model = random.pick(current ? MODELS : MODELS.slice(2));
    writePromptPreamble(s, profile, emit);
    const rounds = random.logNormal(...profile.roundsPerPrompt);
    for (let round = 0; round < rounds && out.sink.bytes < target; round++) {
      writeRound(s, profile, emit, round < rounds - 1 && random.chance(profile.toolChance));
      while (breakAt.length > 0 && out.sink.bytes >= breakAt[breakAt.length - 1]) {
        breakAt.pop();
        out.sink.write(random.chance(0.3) ? '\n' : `${truncatedAssistant(s)}\n`);
        broken++;
      }
    }
    if (current && profile.bulky) {
      if (random.chance(0.5)) emit(smallLines.turnDuration(s));
      if (random.chance(0.2)) emit(smallLines.fileHistoryDelta(s));
      emit(smallLines.lastPrompt(s));
    }
    s.clock += random.int(10_000, 40 * 60_000);
  }
  if (current && !s.isSidechain) emit(smallLines.costState(s));
  if (cutLastLine) {
    // A crash mid-write: the last line has no newline and is cut before its usage.
    out.sink.write(truncatedAssistant(s));
    broken++;
  }
  return broken;
}

/**
 * A 1.0.x `--continue` session: a new file that copies the earlier conversation, keeping
 * message.id and usage but dropping requestId, with new sessionId, uuid and timestamp.
 */
export function writeContinueCopy(s, profile, out, copied, extraBytes) {
  const emit = emitter(out, s.random);
  emit(summaryLine(s));
  // 1.0.x writes every copied line with the same timestamp (the moment of --continue).
  const timestamp = s.tick();
  for (const line of copied) {
    const copy = { ...line, sessionId: s.sessionId, uuid: s.random.uuid(), timestamp };
    delete copy.requestId;
    emit(copy);
  }
  return writeSession(s, profile, out, out.sink.bytes + extraBytes);
}

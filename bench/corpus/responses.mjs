// One API response: its ids, model, content blocks and usage. Shapes of the lines that
// carry it live in lines-current.mjs and lines-legacy.mjs.

// The last two are the ones 1.0.x sessions switch between.
export const MODELS = [
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-5-20251101',
  'claude-haiku-4-5-20251001',
  'claude-sonnet-4-20250514',
];

// List prices per million tokens: input, output, cache read, cache write (5m).
const PRICES = {
  'claude-sonnet-4-5-20250929': [3, 15, 0.3, 3.75],
  'claude-opus-4-5-20251101': [5, 25, 0.5, 6.25],
  'claude-haiku-4-5-20251001': [1, 5, 0.1, 1.25],
  'claude-sonnet-4-20250514': [3, 15, 0.3, 3.75],
};

export function costUSD(model, u) {
  const [i, o, r, w] = PRICES[model];
  const micro =
    u.input_tokens * i +
    u.output_tokens * o +
    u.cache_read_input_tokens * r +
    u.cache_creation_input_tokens * w;
  return Math.round(micro) / 1e6;
}

const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob', 'TodoWrite', 'WebFetch', 'Task'];

function toolInput(random, text, name, cwd) {
  const file = `${cwd}/src/${random.pick(['index', 'server', 'parse-line', 'café', 'report'])}.ts`;
  switch (name) {
    case 'Bash':
      return {
        command: random.pick(['npm test', 'git status', 'ls -la', 'rg "usage" src']),
        description: 'Run it',
      };
    case 'Read':
      return { file_path: file };
    case 'Edit':
      return {
        file_path: file,
        old_string: text.chunk(80),
        new_string: text.chunk(90),
        replace_all: false,
      };
    case 'Write':
      return { file_path: file, content: text.chunk(random.logNormal(600, 1, 40, 8000)) };
    case 'Task':
      return {
        description: 'Explore the parser',
        prompt: text.chunk(300),
        subagent_type: 'general-purpose',
      };
    default:
      return { pattern: 'usage', path: cwd };
  }
}

/**
 * A response with 1 to 3 content blocks. `state.context` (cached prompt tokens) grows
 * through a session and drops after a compaction, as in real sessions.
 */
export function createResponse(state, model, wantsTool) {
  const { random, text } = state;
  const blocks = [];
  if (random.chance(0.08)) {
    blocks.push({
      type: 'thinking',
      thinking: '',
      signature: random.base62(random.int(200, 1200)),
    });
  }
  if (!wantsTool || random.chance(0.6)) {
    blocks.push({ type: 'text', text: text.sentence(random.logNormal(250, 1.1, 10, 6000)) });
  }
  let toolUse;
  if (wantsTool) {
    const name = random.pick(TOOLS);
    toolUse = {
      type: 'tool_use',
      id: `toolu_01${random.base62(22)}`,
      name,
      input: toolInput(random, text, name, state.cwd),
    };
    blocks.push(toolUse);
  }

  const first = state.context === 0;
  const cacheCreation = first ? random.int(8000, 30000) : random.logNormal(900, 1.2, 0, 60000);
  const cacheRead = first ? 0 : state.context;
  state.context =
    state.context + cacheCreation > 180000
      ? random.int(15000, 40000)
      : state.context + cacheCreation;
  const usage = {
    input_tokens: random.weighted([
      [random.int(1, 12), 70],
      [random.int(12, 600), 25],
      [random.int(600, 25000), 5],
    ]),
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
    output_tokens: random.logNormal(180, 1.3, 1, 32000),
  };
  return {
    id: `msg_01${random.base62(22)}`,
    requestId: `req_011C${random.base62(20)}`,
    requestRef: random.uuid(),
    model,
    blocks,
    toolUse,
    stopReason: toolUse ? 'tool_use' : 'end_turn',
    usage,
  };
}

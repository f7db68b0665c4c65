// The expected totals, tallied while the lines are written. Our rule: one response per
// message.id, its tokens taken from the copy with the largest token total.
//
// ccusage 20.0.24 counts differently (found by experiment on hand-made lines): it keys by
// message.id + requestId, keeping the larger usage; a line WITHOUT requestId is merged
// only with lines of the same message.id and the same timestamp. So a 1.0.x `--continue`
// copy (no requestId, all copied lines stamped with one instant) counts once more, on top
// of the original. Its expected totals are kept beside ours (ccusageRule) so the bench
// can tell a ccusage bug from this known difference.

const KINDS = ['input', 'output', 'cacheRead', 'cacheCreation'];

function emptyTotals() {
  return { responses: 0, input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
}

function tokensOf(usage) {
  return {
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens,
    cacheCreation: usage.cache_creation_input_tokens,
  };
}

const sumOf = (t) => t.input + t.output + t.cacheRead + t.cacheCreation;

function keepLargest(map, key, model, tokens) {
  const seen = map.get(key);
  if (seen === undefined || sumOf(tokens) > sumOf(seen.tokens)) map.set(key, { model, tokens });
}

function totalsOf(map) {
  const total = emptyTotals();
  const byModel = {};
  for (const { model, tokens } of map.values()) {
    byModel[model] ??= emptyTotals();
    for (const t of [total, byModel[model]]) {
      t.responses++;
      for (const k of KINDS) t[k] += tokens[k];
    }
  }
  const sorted = Object.fromEntries(Object.entries(byModel).sort(([a], [b]) => a.localeCompare(b)));
  return { total, byModel: sorted };
}

export function createTruth() {
  const byId = new Map();
  const byIdAndRequest = new Map();
  const counts = { files: 0, lines: 0, bytes: 0, assistantLines: 0, malformedLines: 0 };
  return {
    counts,
    /** Call for every well-formed assistant line written. */
    addAssistant(line) {
      const { id, model, usage } = line.message;
      const tokens = tokensOf(usage);
      keepLargest(byId, id, model, tokens);
      keepLargest(byIdAndRequest, `${id}\u0000${line.requestId ?? ''}`, model, tokens);
      counts.assistantLines++;
    },
    addFile(sink) {
      counts.files++;
      counts.lines += sink.lines;
      counts.bytes += sink.bytes;
    },
    toJSON() {
      return {
        rule: 'one response per message.id; tokens from the copy with the largest token total',
        ...totalsOf(byId),
        ccusageRule: {
          rule: 'one response per message.id + requestId, as ccusage 20.0.24 counts: 1.0.x --continue copies (no requestId) count again',
          ...totalsOf(byIdAndRequest),
        },
        counts,
      };
    },
  };
}

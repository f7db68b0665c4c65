// Reads token totals out of a report's JSON (ccusage's or ccmon's) and compares them with
// truth.json. ccmon's report JSON is not fixed yet, so this accepts both namings:
// ccusage's (inputTokens, cacheReadTokens, ...) and ours (input, cacheRead, ...).

const KINDS = ['input', 'output', 'cacheRead', 'cacheCreation'];
const ALIASES = {
  input: ['input', 'inputTokens'],
  output: ['output', 'outputTokens'],
  cacheRead: ['cacheRead', 'cacheReadTokens', 'cacheReadInputTokens'],
  cacheCreation: ['cacheCreation', 'cacheCreationTokens', 'cacheCreationInputTokens'],
};

function tokensIn(object) {
  if (object === null || typeof object !== 'object') return undefined;
  const tokens = {};
  for (const kind of KINDS) {
    const key = ALIASES[kind].find((k) => typeof object[k] === 'number');
    if (key === undefined) return undefined;
    tokens[kind] = object[key];
  }
  return tokens;
}

/** Sums per model for every "shape path" (e.g. daily[].modelBreakdowns[]) that has model rows. */
function perModelCandidates(node, path, found) {
  if (Array.isArray(node)) {
    for (const item of node) perModelCandidates(item, `${path}[]`, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const model =
    typeof node.modelName === 'string'
      ? node.modelName
      : typeof node.model === 'string'
        ? node.model
        : undefined;
  const tokens = tokensIn(node);
  if (model !== undefined && tokens !== undefined) {
    found[path] ??= {};
    found[path][model] ??= { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
    const sum = found[path][model];
    for (const kind of KINDS) sum[kind] += tokens[kind];
  }
  for (const [key, value] of Object.entries(node))
    perModelCandidates(value, `${path}.${key}`, found);
}

const sumModels = (byModel) => {
  const total = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  for (const t of Object.values(byModel)) for (const kind of KINDS) total[kind] += t[kind];
  return total;
};

/** Returns { total, byModel } (byModel may be null), or throws saying what was missing. */
export function totalsFromReport(json) {
  const candidates = {};
  perModelCandidates(json, '', candidates);
  const total = tokensIn(json?.totals) ?? tokensIn(json?.total);
  const paths = Object.keys(candidates);
  if (total === undefined && paths.length === 0) {
    throw new Error(
      'no totals in the report JSON (looked for totals.{input,output,cacheRead,cacheCreation} or per-model rows)',
    );
  }
  const same = (a, b) => KINDS.every((k) => a[k] === b[k]);
  // Prefer the per-model rows that add up to the totals; several row sets may exist (per day, per model).
  const path =
    paths.find((p) => total !== undefined && same(sumModels(candidates[p]), total)) ?? paths[0];
  const byModel = path === undefined ? null : candidates[path];
  return { total: total ?? sumModels(byModel), byModel };
}

function differences(label, found, expected) {
  const out = [];
  for (const kind of KINDS) {
    const f = found?.[kind] ?? 0;
    const e = expected?.[kind] ?? 0;
    if (f !== e)
      out.push(
        `${label} ${kind}: ${f} (expected ${e}, ${f > e ? '+' : ''}${(((f - e) / (e || 1)) * 100).toFixed(2)}%)`,
      );
  }
  return out;
}

/** Lists every difference between report totals and expected totals ({ total, byModel }). */
export function compareTotals(found, expected) {
  const out = differences('total', found.total, expected.total);
  if (found.byModel) {
    const models = new Set([...Object.keys(found.byModel), ...Object.keys(expected.byModel)]);
    for (const model of [...models].sort())
      out.push(...differences(model, found.byModel[model], expected.byModel[model]));
  }
  return out;
}

/** Token counts of one API response, in the OTLP names used everywhere in ccmon. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  /** All cache writes; `cacheCreation5m + cacheCreation1h` when the split is known. */
  cacheCreation: number;
  cacheCreation5m: number;
  cacheCreation1h: number;
}

export type TokenKind = 'input' | 'output' | 'cacheRead' | 'cacheCreation';
export const TOKEN_KINDS: readonly TokenKind[] = ['input', 'output', 'cacheRead', 'cacheCreation'];

export type ResponseStatus = 'success' | 'truncated' | 'error';
export const RESPONSE_STATUSES: readonly ResponseStatus[] = ['success', 'truncated', 'error'];

/** Which trail a figure comes from. `both` joins transcripts and telemetry, each response once. */
export type View = 'transcripts' | 'telemetry' | 'both';
export const VIEWS: readonly View[] = ['transcripts', 'telemetry', 'both'];

/** How cost is chosen, as ccusage has it. */
export type CostMode = 'auto' | 'calculate' | 'display';
export const COST_MODES: readonly CostMode[] = ['auto', 'calculate', 'display'];

export function emptyTokens(): TokenCounts {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheCreation: 0,
    cacheCreation5m: 0,
    cacheCreation1h: 0,
  };
}

export function totalTokens(t: Pick<TokenCounts, TokenKind>): number {
  return t.input + t.output + t.cacheRead + t.cacheCreation;
}

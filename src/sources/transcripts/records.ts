import type { ResponseStatus, TokenCounts } from '../../domain/usage.js';

/** One assistant line with usage: one copy of one API response. */
export interface ResponseCopy {
  /** `message.id`, unique per API response; null on lines that lack it. */
  messageId: string | null;
  requestId: string | null;
  timeMs: number;
  sessionId: string;
  cwd: string;
  gitBranch: string | null;
  version: string | null;
  entrypoint: string | null;
  model: string;
  tokens: TokenCounts;
  status: ResponseStatus;
  speed: string | null;
  isSidechain: boolean;
  agentId: string | null;
  /** Claude Code's own cost (`costUSD`, 1.0.0 to 1.0.5), in nano-dollars. */
  reportedCostNanos: number | null;
  /** Only the stream's first usage was written (2.1.10: `stop_reason: null`, output 1). */
  placeholder: boolean;
  toolUses: { id: string; name: string }[];
}

export type ToolOutcome = 'accepted' | 'rejected' | 'error';

export interface ToolResult {
  toolUseId: string;
  outcome: ToolOutcome;
  linesAdded: number;
  linesRemoved: number;
  sessionId: string;
  timeMs: number;
}

/** A user line (prompt or tool result); assistant messages are the responses. */
export interface MessageSeen {
  /** The line's `uuid`. */
  key: string;
  role: 'user';
  sessionId: string;
  timeMs: number;
}

export interface SessionSeen {
  sessionId: string;
  cwd: string;
  timeMs: number;
  version: string | null;
  gitBranch: string | null;
  entrypoint: string | null;
}

/** What one transcript line contributes; most lines contribute nothing. */
export interface LineRecords {
  response?: ResponseCopy;
  message?: MessageSeen;
  toolResults?: ToolResult[];
  session?: SessionSeen;
  compaction?: { key: string; sessionId: string; timeMs: number };
  costState?: { sessionId: string; costNanos: number };
}

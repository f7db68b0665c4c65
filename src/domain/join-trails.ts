import type { TokenCounts } from './usage.js';

export interface TrailSide {
  tokens: TokenCounts;
  /** Claude Code's own cost for this response in this trail, if it wrote one. */
  reportedNanos: number | null;
}

export interface TranscriptSide extends TrailSide {
  placeholder: boolean;
}

export interface JoinedFigures {
  tokens: TokenCounts;
  reportedNanos: number | null;
  /** The output count is a placeholder and no event gave the real one. */
  outputUnderstated: boolean;
}

/**
 * One response seen in both trails counts once. Per token kind, the trail that
 * is right for the version wins: the transcript's final counts (1.0.70's event
 * adds one output token), except a placeholder output (2.1.10 writes the
 * stream's first usage), where the event's output is the real one.
 */
export function joinTrails(
  transcript: TranscriptSide | null,
  event: TrailSide | null,
): JoinedFigures {
  if (transcript && event) {
    if (transcript.placeholder) {
      return {
        tokens: { ...transcript.tokens, output: event.tokens.output },
        reportedNanos: event.reportedNanos,
        outputUnderstated: false,
      };
    }
    return {
      tokens: transcript.tokens,
      reportedNanos: transcript.reportedNanos,
      outputUnderstated: false,
    };
  }
  if (transcript) {
    return {
      tokens: transcript.tokens,
      reportedNanos: transcript.reportedNanos,
      outputUnderstated: transcript.placeholder,
    };
  }
  if (event)
    return { tokens: event.tokens, reportedNanos: event.reportedNanos, outputUnderstated: false };
  throw new Error('joinTrails needs at least one trail');
}

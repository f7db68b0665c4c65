/** What ccmon remembers of one metric series between exports. */
export interface SeriesState {
  /** Start time of the current cumulative run (or of the last delta point), ns as a decimal string. */
  startNs: string | null;
  /** Time of the last point taken, ns as a decimal string. */
  lastTimeNs: string | null;
  /** Last cumulative value (cumulative series only). */
  lastValue: number | null;
}

export interface PointIn {
  temporality: 'delta' | 'cumulative' | 'unspecified';
  startNs: bigint;
  timeNs: bigint;
  value: number;
}

/**
 * The increment a sum point adds, and the series' new state. Delta points add
 * their value once (an exact resend, same start and time, adds nothing).
 * Cumulative points add what grew since the last one; a new start time, or a
 * value that went down, is a restart whose whole value is new. So a series
 * never counts negative and never counts the same export twice.
 */
export function incrementOf(
  state: SeriesState,
  point: PointIn,
): { increment: number; next: SeriesState } {
  const start = point.startNs.toString();
  const time = point.timeNs.toString();
  const seenBefore =
    state.lastTimeNs !== null &&
    state.startNs === start &&
    BigInt(state.lastTimeNs) >= point.timeNs;
  if (point.temporality !== 'cumulative') {
    if (seenBefore) return { increment: 0, next: state };
    return { increment: point.value, next: { startNs: start, lastTimeNs: time, lastValue: null } };
  }
  if (seenBefore) return { increment: 0, next: state };
  const sameRun =
    state.startNs === start && state.lastValue !== null && point.value >= state.lastValue;
  const increment = sameRun ? point.value - (state.lastValue ?? 0) : point.value;
  return { increment, next: { startNs: start, lastTimeNs: time, lastValue: point.value } };
}

import { describe, expect, it } from 'vitest';
import { incrementOf, type SeriesState } from '../../src/domain/metric-increment.js';
import { decodeMetrics, type MetricPoint } from '../../src/sources/otlp/index.js';
import { runTruth } from '../helpers/truth.js';
import { fixtureBodies } from '../otlp/fixture-bodies.js';

const at = (time: number, value: number, start = 100) => ({
  startTimeUnixNano: BigInt(start),
  timeUnixNano: BigInt(time),
  value,
});

const EMPTY: SeriesState = { startNs: null, lastTimeNs: null, lastValue: null };

/** One point of a cumulative series, as `incrementOf` takes it. */
function cumulative(point: { startTimeUnixNano: bigint; timeUnixNano: bigint; value: number }) {
  return {
    temporality: 'cumulative' as const,
    startNs: point.startTimeUnixNano,
    timeNs: point.timeUnixNano,
    value: point.value,
  };
}

/** Feeds the points of one series in order and returns the increments. */
function increments(points: ReturnType<typeof at>[]): number[] {
  let state = EMPTY;
  return points.map((point) => {
    const step = incrementOf(state, cumulative(point));
    state = step.next;
    return step.increment;
  });
}

describe('incrementOf a cumulative series', () => {
  it('counts the first point whole, then what each point adds', () => {
    expect(increments([at(1, 4), at(2, 10), at(3, 16)])).toEqual([4, 6, 6]);
  });

  it('adds nothing for an exact repeat or a late point', () => {
    expect(increments([at(1, 4), at(2, 10), at(2, 10), at(3, 10), at(1, 4), at(4, 16)])).toEqual([
      4, 6, 0, 0, 0, 6,
    ]);
  });

  it('takes a new start time as a restart: the new value is the increment', () => {
    expect(increments([at(1, 4), at(2, 10), at(3, 3, 250), at(4, 5, 250)])).toEqual([4, 6, 3, 2]);
  });

  it('takes a value going down as a reset', () => {
    expect(increments([at(1, 4), at(2, 10), at(3, 2)])).toEqual([4, 6, 2]);
  });
});

describe('json-cumulative-slow through incrementOf', () => {
  const points = fixtureBodies('json-cumulative-slow')
    .filter((body) => body.signal === 'metrics')
    .flatMap((body) => decodeMetrics(body.json).points);
  const seriesKey = (p: MetricPoint) => `${p.metric} ${JSON.stringify(p.attributes)}`;

  it('repeats points across exports', () => {
    const usage = points.filter((p) => p.metric === 'claude_code.token.usage');
    expect(new Set(usage.map(seriesKey)).size).toBe(4);
    expect(usage.length).toBeGreaterThan(4);
  });

  it('gives increments that sum to the final cumulative values, the README truth', () => {
    const states = new Map<string, SeriesState>();
    const added = new Map<string, number>();
    for (const point of points) {
      const key = seriesKey(point);
      const { increment, next } = incrementOf(states.get(key) ?? EMPTY, cumulative(point));
      states.set(key, next);
      added.set(key, (added.get(key) ?? 0) + increment);
    }
    for (const [key, state] of states)
      expect(added.get(key), key).toBeCloseTo(state.lastValue ?? NaN, 9);

    const [truth] = runTruth('json-cumulative-slow').transcripts;
    const tokens = (type: string) =>
      [...added].find(
        ([key]) => key.startsWith('claude_code.token.usage ') && key.includes(`"type":"${type}"`),
      )?.[1];
    expect({
      input: tokens('input'),
      output: tokens('output'),
      cacheRead: tokens('cacheRead'),
      cacheCreation: tokens('cacheCreation'),
    }).toEqual({
      input: truth?.input,
      output: truth?.output,
      cacheRead: truth?.cacheRead,
      cacheCreation: truth?.cacheCreation,
    });
    const cost = [...added].find(([key]) => key.startsWith('claude_code.cost.usage '))?.[1];
    expect(cost).toBeCloseTo(truth?.cost ?? 0, 9);
  });
});

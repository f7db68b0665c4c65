import { describe, expect, it } from 'vitest';
import { decodeLogs, decodeMetrics } from '../../src/sources/otlp/index.js';
import { parseExportBody } from '../../src/sources/otlp/parse-export-body.js';
import { OLD_RUNS, runTruth } from '../helpers/truth.js';
import { fixtureBodies, RUNS_2_1_330 } from './fixture-bodies.js';
import { apiRequestSums, tokenUsageSums } from './token-sums.js';

function decodeRun(run: string, runs?: string) {
  const bodies = fixtureBodies(run, runs);
  const metrics = bodies
    .filter((b) => b.signal === 'metrics')
    .map((b) =>
      decodeMetrics(
        parseExportBody('metrics', b.transport === 'http/json' ? 'json' : 'protobuf', b.bytes),
      ),
    );
  const logs = bodies
    .filter((b) => b.signal === 'logs')
    .map((b) =>
      decodeLogs(
        parseExportBody('logs', b.transport === 'http/json' ? 'json' : 'protobuf', b.bytes),
      ),
    );
  return {
    points: metrics.flatMap((m) => m.points),
    records: logs.flatMap((l) => l.records),
    rejected: [...metrics, ...logs].reduce((sum, d) => sum + d.rejected, 0),
  };
}

describe('decoding the fixture bodies Claude Code 2.1.330 sent', () => {
  for (const run of RUNS_2_1_330) {
    it(`${run}: token usage and api_request events give the README truth`, () => {
      const [truth] = runTruth(run).transcripts;
      const want = {
        input: truth?.input,
        output: truth?.output,
        cacheRead: truth?.cacheRead,
        cacheCreation: truth?.cacheCreation,
      };
      const { points, records, rejected } = decodeRun(run);
      expect(rejected).toBe(0);
      expect(apiRequestSums(records)).toEqual(want);
      expect(records.filter((r) => r.eventName === 'api_request')).toHaveLength(
        truth?.responses ?? -1,
      );
      // Delta runs add up; the cumulative run's last export holds the totals.
      const usage = points.filter((p) => p.metric === 'claude_code.token.usage');
      const last = usage.filter((p) => p.timeUnixNano === usage.at(-1)?.timeUnixNano);
      expect(tokenUsageSums(run.includes('cumulative') ? last : points)).toEqual(want);
    });
  }

  it('json-tools: a point carries every field, 64-bit times exact', () => {
    const { points } = decodeRun('json-tools');
    const output = points.find(
      (p) => p.metric === 'claude_code.token.usage' && p.attributes.type === 'output',
    );
    expect(output).toEqual({
      metric: 'claude_code.token.usage',
      unit: 'tokens',
      kind: 'sum',
      temporality: 'delta',
      monotonic: true,
      startTimeUnixNano: 1795483746226000000n,
      timeUnixNano: 1795483746551000000n,
      value: 69,
      attributes: {
        'user.id': 'be25f7cfe4778ebdfd5234277770429315f7617645cd638430ac7fb0c1a1ab30',
        'session.id': '40cc3d35-1f79-4f50-aeaa-aa12c8ad8533',
        'anthropic.provider': 'firstParty',
        'anthropic.custom_base_url': true,
        'terminal.type': 'xterm-256color',
        model: 'claude-sonnet-4-5-20250929',
        query_source: 'main',
        type: 'output',
      },
      resource: {
        'host.arch': 'amd64',
        'os.type': 'linux',
        'os.version': '6.18.44-fc-v769',
        'service.name': 'claude-code',
        'service.version': '2.1.330',
      },
      scope: 'com.anthropic.claude_code',
    });
  });

  it('json-tools: log records carry event names, bodies, times and typed attributes', () => {
    const { records } = decodeRun('json-tools');
    expect(records.map((r) => r.eventName)).toEqual([
      'managed_settings_resolved',
      'plugin_loaded',
      'plugin_loaded',
      'plugin_loaded',
      'user_prompt',
      'api_request',
      'assistant_response',
      'tool_decision',
      'tool_result',
      'tool_decision',
      'api_request',
      'tool_result',
      'api_request',
      'assistant_response',
    ]);
    const first = records[0];
    expect(first?.body).toBe('claude_code.managed_settings_resolved');
    expect(first?.timeUnixNano).toBe(1795483745793000000n);
    expect(first?.scope).toBe('com.anthropic.claude_code.events');
    expect(first?.attributes['event.sequence']).toBe(0);
    expect(first?.attributes['managed_settings.sources']).toEqual([]);
    const toolResult = records.find((r) => r.eventName === 'tool_result');
    // Claude Code sends these numbers as strings; the decoder keeps what was sent.
    expect(toolResult?.attributes.duration_ms).toBe('24');
    expect(toolResult?.attributes.success).toBe('true');
  });

  it('the cumulative run says so on every point', () => {
    const { points } = decodeRun('json-cumulative-slow');
    const sums = points.filter((p) => p.kind === 'sum');
    expect(sums.length).toBeGreaterThan(0);
    expect(sums.every((p) => p.temporality === 'cumulative' && p.monotonic)).toBe(true);
  });

  it('every .pb decodes to what its .pb.json says', () => {
    for (const run of ['pb-tools', 'grpc-tools']) {
      for (const body of fixtureBodies(run)) {
        const decode = body.signal === 'metrics' ? decodeMetrics : decodeLogs;
        expect(decode(parseExportBody(body.signal, 'protobuf', body.bytes)), body.file).toEqual(
          decode(body.json),
        );
      }
    }
  });

  it('older Claude Code versions (every attribute a string) decode without rejections', () => {
    for (const run of [
      '1.0.5-json-tools',
      '1.0.70-json-continue',
      '2.0.50-json-agent',
      '2.1.10-json-tools',
    ]) {
      const { points, rejected } = decodeRun(run, OLD_RUNS);
      expect(rejected, run).toBe(0);
      expect(points.length, run).toBeGreaterThan(0);
    }
    // 2.1.10 sends real output counts only in its events: 72 on Sonnet, plus a Haiku side call.
    const { records } = decodeRun('2.1.10-json-tools', OLD_RUNS);
    const sonnet = records.filter((r) => r.attributes.model === 'claude-sonnet-4-5-20250929');
    expect(apiRequestSums(sonnet).output).toBe(72);
    expect(records.map((r) => r.eventName).sort()).toEqual([
      'api_request',
      'api_request',
      'api_request',
      'api_request',
      'tool_result',
      'tool_result',
      'user_prompt',
    ]);
  });
});

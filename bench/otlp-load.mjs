#!/usr/bin/env node
// OTLP/HTTP load generator, run as its own process so that it does not share an event
// loop (or a core) with the bench harness:
//   node bench/otlp-load.mjs <config.json>
// config: { base, templates (path of otlpTemplates() JSON), connections, seconds,
//           warmupSeconds, metricSessions }
// Keeps `connections` keep-alive connections busy, each sending one request after the
// other, alternating logs and metrics bodies rewritten in place (see otlp-bodies.mjs).
// Prints one JSON line: counts, errors by kind, client-side latency percentiles and
// completed requests per second, over the measured part (after the warm-up).

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { sessionIdOf } from './otlp-bodies.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const templates = JSON.parse(readFileSync(config.templates, 'utf8'));
const base = new URL(config.base);
const agent = new Agent({ keepAlive: true, maxSockets: config.connections });

// Each connection owns a copy of each body: it has one request in flight at a time,
// so rewriting its copy for the next request never touches bytes still being sent.
function bodiesOfConnection() {
  return {
    logs: Buffer.from(templates.logs.body, 'base64'),
    metrics: Buffer.from(templates.metrics.body, 'base64'),
  };
}

let nextLogSession = 1;
let nextMetricWindow = 0;
const startNs = BigInt(Date.now()) * 1_000_000n;

/** Rewrites a body so that it carries data the store has not seen. */
function prepare(signal, body) {
  const t = templates[signal];
  if (signal === 'logs') {
    const id = Buffer.from(sessionIdOf(nextLogSession++), 'latin1');
    for (const at of t.sessionOffsets) id.copy(body, at);
    // The session's last event happens now, the others as long before as recorded.
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    for (const { offsets, beforeLastNs } of t.logTimes) {
      for (const at of offsets) body.writeBigUInt64LE(nowNs - BigInt(beforeLastNs), at);
    }
    return body;
  }
  const n = nextMetricWindow++;
  const id = Buffer.from(sessionIdOf(2 ** 40 + (n % config.metricSessions)), 'latin1');
  for (const at of t.sessionOffsets) id.copy(body, at);
  // A 1 ms window per request: new for its series, later than the series' last one.
  const start = startNs + BigInt(n) * 1_000_000n;
  for (const at of t.startOffsets) body.writeBigUInt64LE(start, at);
  for (const at of t.timeOffsets) body.writeBigUInt64LE(start + 999_999n, at);
  return body;
}

function post(signal, body) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: templates[signal].path,
        agent,
        headers: {
          'content-type': 'application/x-protobuf',
          'content-length': body.length,
          'user-agent': 'OTel-OTLP-Exporter-JavaScript/0.208.0',
        },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `HTTP ${res.statusCode}`));
        res.on('error', (e) => resolve(e.code ?? e.message));
      },
    );
    req.on('error', (e) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

const MAX_SAMPLES = 4_000_000;
const latencies = new Float64Array(MAX_SAMPLES);
let samples = 0;
const outcomes = {};
const perSecond = [];
// Every request the store accepted, warm-up included: what it should hold afterwards.
const accepted = { logs: 0, metrics: 0 };

const warmupEnd = performance.now() + config.warmupSeconds * 1000;
const end = warmupEnd + config.seconds * 1000;

async function connection(k) {
  const bodies = bodiesOfConnection();
  let signal = k % 2 === 0 ? 'logs' : 'metrics';
  while (performance.now() < end) {
    const body = prepare(signal, bodies[signal]);
    const started = performance.now();
    const outcome = await post(signal, body);
    const done = performance.now();
    if (outcome === 'ok') accepted[signal]++;
    if (started >= warmupEnd && done <= end) {
      if (samples < MAX_SAMPLES) latencies[samples++] = done - started;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      const second = Math.floor((done - warmupEnd) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    signal = signal === 'logs' ? 'metrics' : 'logs';
  }
}

await Promise.all(Array.from({ length: config.connections }, (_, k) => connection(k)));
agent.destroy();

const sorted = latencies.subarray(0, samples).sort();
const at = (q) =>
  samples === 0 ? null : sorted[Math.min(samples - 1, Math.ceil(q * samples) - 1)];
const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
process.stdout.write(
  `${JSON.stringify({
    connections: config.connections,
    seconds: config.seconds,
    requests: total,
    ok: outcomes.ok ?? 0,
    outcomes,
    accepted,
    requestsPerSecond: total / config.seconds,
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
    cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage()),
    perSecond: Array.from(perSecond, (n) => n ?? 0),
  })}\n`,
);

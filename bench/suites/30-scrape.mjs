// Suite: the cost of a Prometheus scrape of `ccmon serve`'s /metrics, on stores of two
// sizes with the same 50 projects x 10 models.
// Issue: "a scrape with 50 projects x 10 models x all metrics takes under 50 ms and does
// not grow with the number of stored responses".

import { rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { dirname, join } from 'node:path';
import { cpuMs, startServe } from '../serve-process.mjs';
import {
  ALL_PAIRS_FROM,
  createHeavyStore,
  describeHeavyStore,
  MODELS,
  PROJECTS,
} from '../synthetic-store.mjs';
import { loadNow, loadText, ms, percentile, targetRow } from '../target-rows.mjs';

const TARGET_MS = 50;
/** "Does not grow": the big store's scrape at most this many times the small one's. */
const GROWTH_LIMIT = 1.5;
const SIZES = [50_000, 500_000];
const WARMUP = 5;
const SCRAPES = 30;
/** What Prometheus sends, so ccmon answers OpenMetrics as it does to Prometheus. */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function scrape(url, agent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get(url, { agent, headers: { accept: PROMETHEUS_ACCEPT } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        if (res.statusCode !== 200) reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        else resolve({ ms, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Samples (non-comment lines) in total and of one metric family. */
function countSamples(body, family) {
  const lines = body.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  return {
    all: lines.length,
    family: lines.filter((l) => l.startsWith(`${family}{`) || l.startsWith(`${family} `)).length,
  };
}

async function measureSize(ctx, responses) {
  const db = join(ctx.workDir, `store-${responses}`, 'ccmon.db');
  ctx.log(`[${responses} responses] filling the store`);
  const fillSeconds = await createHeavyStore(ctx.repoRoot, db, { responses, endMs: Date.now() });
  const serve = await startServe(ctx, { db, otlp: false });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${serve.base}/metrics`;
  const load = loadNow();
  try {
    let body = '';
    for (let i = 0; i < WARMUP; i++) body = (await scrape(url, agent)).body;
    ctx.log(`[${responses} responses] ${SCRAPES} scrapes`);
    const times = [];
    const cpuBefore = cpuMs(serve.pid);
    for (let i = 0; i < SCRAPES; i++) times.push((await scrape(url, agent)).ms);
    const cpuPerScrape = (cpuMs(serve.pid) - cpuBefore) / SCRAPES;
    const samples = countSamples(body, 'claude_code_cost_usd');
    return {
      responses,
      fillSeconds,
      times,
      median: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      cpuPerScrape,
      bytes: Buffer.byteLength(body),
      samples,
      load: loadText(load),
    };
  } finally {
    agent.destroy();
    await serve.stop();
    rmSync(dirname(db), { recursive: true, force: true });
  }
}

export default {
  name: 'scrape',
  title: 'Prometheus scrape of /metrics (50 projects x 10 models, growing store)',
  async run(ctx) {
    const sizes = SIZES.map((n) => Math.max(1000, Math.round(n * Math.min(1, ctx.scale))));
    const results = [];
    for (const n of sizes) results.push(await measureSize(ctx, n));
    const problems = [];
    const combos = PROJECTS * MODELS.length;
    for (const r of results) {
      if (r.responses >= ALL_PAIRS_FROM && r.samples.family !== combos)
        problems.push(
          `${r.responses} responses: claude_code_cost_usd has ${r.samples.family} samples, expected ${combos} (every project x model)`,
        );
    }
    const [small, large] = [results[0], results.at(-1)];
    const targets = [
      ...results.map((r) =>
        targetRow({
          what: `scrape, ${r.responses.toLocaleString('en-US')} responses (median of ${SCRAPES}, client side)`,
          value: r.median,
          limit: TARGET_MS,
          show: ms,
          load: r.load,
        }),
      ),
      targetRow({
        what: `does not grow: median scrape, ${large.responses.toLocaleString('en-US')} / ${small.responses.toLocaleString('en-US')} responses`,
        value: large.median / small.median,
        limit: GROWTH_LIMIT,
        show: (v) => `${v.toFixed(2)}x`,
        load: large.load,
      }),
      targetRow({
        what: 'does not grow: ccmon CPU per scrape, same ratio (steadier on a busy machine)',
        value: large.cpuPerScrape / small.cpuPerScrape,
        limit: GROWTH_LIMIT,
        show: (v) => `${v.toFixed(2)}x`,
        load: large.load,
      }),
    ];
    return {
      tables: [
        { title: 'Targets', rows: targets },
        {
          title: 'Scrapes',
          rows: results.map((r) => ({
            Responses: r.responses.toLocaleString('en-US'),
            'Store fill': `${r.fillSeconds.toFixed(1)} s`,
            Median: ms(r.median),
            p95: ms(r.p95),
            'Min–max': `${ms(Math.min(...r.times))} – ${ms(Math.max(...r.times))}`,
            'ccmon CPU / scrape': ms(r.cpuPerScrape),
            Samples: r.samples.all,
            'claude_code_cost_usd samples': r.samples.family,
            Body: `${(r.bytes / 1024).toFixed(0)} KB`,
            'Load avg': r.load,
          })),
        },
      ],
      problems,
      notes: [
        ...results.map((r) => describeHeavyStore(r.responses, r.fillSeconds)),
        `\`ccmon serve --db <store> --no-otlp\`, then ${WARMUP} warm-up scrapes and ${SCRAPES} timed ones, one after the other on a keep-alive connection, with Prometheus' Accept header (OpenMetrics). Time is client side, request to last byte. ccmon CPU / scrape is its user + system time over the timed scrapes (from /proc/<pid>/stat, 10 ms ticks).`,
        `"Does not grow" is met when the larger store's scrape is within ${GROWTH_LIMIT}x the smaller's (the responses grow 10x).`,
      ],
      raw: results,
    };
  },
};

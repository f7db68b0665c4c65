// Suite: the dashboard in Chromium, on a year of a heavy user's data.
// Issue: "with a year of a heavy user's data in the store, the page is complete (all
// panels drawn) within 1 s of navigation on this machine, every API call it makes answers
// in under 100 ms, and the shipped assets are under 250 KB gzipped".

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServe } from '../serve-process.mjs';
import { createHeavyStore, describeHeavyStore } from '../synthetic-store.mjs';
import { loadNow, loadText, ms, percentile, targetRow } from '../target-rows.mjs';

const TARGET_PAGE_MS = 1000;
const TARGET_API_MS = 100;
const TARGET_ASSETS_KB = 250;
const RESPONSES = 500_000;
const DAY_MS = 86_400_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The tables the page shows once its data is in (besides the five charts). */
const TABLES = ['tools-table', 'sessions-table', 'projects-table'];
const CHARTS = 5;

const median = (values) => percentile(values, 0.5);
const dayOf = (msSinceEpoch) => new Date(msSinceEpoch).toISOString().slice(0, 10);

/**
 * In the page, every animation frame: the figures are in ("updated ..." replaced
 * "loading…"), no error is shown, all eight sections, the five uPlot charts have their
 * canvas and the tables exist. Returns performance.now() (ms since navigation start).
 */
function pageComplete({ charts, tables }) {
  const updated = document.querySelector('[data-testid="updated"]')?.textContent ?? '';
  if (!updated.startsWith('updated')) return false;
  if (document.querySelector('[data-testid="error"]')) return -1;
  if (document.querySelectorAll('main h2').length < 8) return false;
  const boxes = document.querySelectorAll('.chart-canvas');
  if (boxes.length < charts) return false;
  for (const box of boxes) if (!box.querySelector('canvas')) return false;
  for (const id of tables) if (!document.querySelector(`[data-testid="${id}"]`)) return false;
  return performance.now();
}

/** ccmon's own time for a request, from its Server-Timing header (`total`), or undefined. */
async function serverTotalMs(request) {
  const headers = await (await request.response())?.allHeaders();
  const total = /(?:^|, )total;dur=([\d.]+)/.exec(headers?.['server-timing'] ?? '');
  return total ? Number(total[1]) : undefined;
}

/** One navigation in a fresh browser context (empty cache): page-complete time and every /api/ call. */
async function navigate(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const calls = [];
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('requestfinished', (request) => {
    const { pathname, search } = new URL(request.url());
    if (!pathname.startsWith('/api/')) return;
    const timing = request.timing();
    calls.push({
      url: pathname + search,
      ms: timing.responseEnd,
      startEpochMs: timing.startTime,
      serverMs: serverTotalMs(request),
    });
  });
  page.on('requestfailed', (request) => {
    if (request.url().includes('/api/') && !request.url().includes('/api/events'))
      errors.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  const done = await page.waitForFunction(
    pageComplete,
    { charts: CHARTS, tables: TABLES },
    { polling: 'raf', timeout: 60_000 },
  );
  const completeMs = await done.jsonValue();
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const wallMs = performance.now() - started;
  if (completeMs === -1) errors.push(await page.locator('[data-testid="error"]').textContent());
  // Let calls that finished in the same frame be reported.
  await page.waitForTimeout(100);
  for (const call of calls) call.serverMs = await call.serverMs;
  await context.close();
  // When the page sent its first API call and got its last answer, in ms since navigation.
  const firstSentMs = Math.min(...calls.map((c) => c.startEpochMs)) - timeOrigin;
  const lastAnswerMs = Math.max(...calls.map((c) => c.startEpochMs + c.ms)) - timeOrigin;
  return { completeMs, wallMs, firstSentMs, lastAnswerMs, calls, errors };
}

/** Each /api/ URL alone, one request at a time from Node: the endpoint's own cost. */
async function isolated(base, urls) {
  const rows = [];
  for (const url of urls) {
    const times = [];
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const res = await fetch(base + url);
      await res.arrayBuffer();
      if (i > 0) times.push(performance.now() - started);
    }
    rows.push({ url, median: median(times) });
  }
  return rows;
}

function assetSizes(repoRoot) {
  const web = join(repoRoot, 'dist', 'web');
  const files = ['index.html', ...readdirSync(join(web, 'assets')).map((f) => join('assets', f))];
  return files.map((file) => {
    const bytes = readFileSync(join(web, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes).length };
  });
}

export default {
  name: 'dashboard',
  title: 'Dashboard in Chromium on a year of history (500,000 responses)',
  async run(ctx) {
    const responses = Math.max(1000, Math.round(RESPONSES * Math.min(1, ctx.scale)));
    const db = join(ctx.workDir, 'store', 'ccmon.db');
    const endMs = Date.now();
    ctx.log(`filling a store with ${responses} responses over a year`);
    const fillSeconds = await createHeavyStore(ctx.repoRoot, db, { responses, endMs });
    const { chromium } = createRequire(join(ctx.repoRoot, 'package.json'))('playwright-core');
    const views = [
      { name: 'default (last 7 days)', query: '' },
      { name: 'last 90 days', query: '?range=90d' },
      {
        name: 'the whole year (custom range)',
        query: `?range=custom&from=${dayOf(endMs - 365 * DAY_MS)}&to=${dayOf(endMs)}`,
      },
    ];

    const serve = await startServe(ctx, { db, otlp: false });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const results = [];
    const problems = [];
    try {
      ctx.log('warm-up navigation');
      await navigate(browser, `${serve.base}/`);
      for (const view of views) {
        ctx.log(`${view.name}: ${ctx.runs} navigations`);
        const load = loadNow();
        const runs = [];
        for (let i = 0; i < ctx.runs; i++)
          runs.push(await navigate(browser, `${serve.base}/${view.query}`));
        for (const r of runs) problems.push(...r.errors.map((e) => `${view.name}: ${e}`));
        const byUrl = new Map();
        for (const call of runs.flatMap((r) => r.calls)) {
          byUrl.set(call.url, [...(byUrl.get(call.url) ?? []), call]);
        }
        const calls = [...byUrl].map(([url, seen]) => {
          const serverTimes = seen.map((c) => c.serverMs).filter((v) => v !== undefined);
          return {
            url,
            median: median(seen.map((c) => c.ms)),
            max: Math.max(...seen.map((c) => c.ms)),
            serverMedian: serverTimes.length > 0 ? median(serverTimes) : undefined,
          };
        });
        calls.sort((a, b) => b.median - a.median);
        const alone = await isolated(
          serve.base,
          calls.map((c) => c.url),
        );
        results.push({
          view,
          runs,
          complete: median(runs.map((r) => r.completeMs)),
          completeMax: Math.max(...runs.map((r) => r.completeMs)),
          wall: median(runs.map((r) => r.wallMs)),
          calls,
          alone: alone.sort((a, b) => b.median - a.median),
          load: loadText(load),
        });
      }
    } finally {
      await browser.close();
      await serve.stop();
      rmSync(dirname(db), { recursive: true, force: true });
    }

    const assets = assetSizes(ctx.repoRoot);
    const gzipTotal = assets.reduce((sum, a) => sum + a.gzip, 0);
    const targets = [
      ...results.flatMap((r) => {
        const slowest = r.calls[0];
        return [
          targetRow({
            what: `${r.view.name}: page complete after navigation (median of ${ctx.runs})`,
            value: r.complete,
            limit: TARGET_PAGE_MS,
            show: ms,
            load: r.load,
            note: `slowest run ${ms(r.completeMax)}`,
          }),
          targetRow({
            what: `${r.view.name}: slowest of the page's ${r.runs[0]?.calls.length} API calls (median over runs, in the browser)`,
            value: slowest?.median,
            limit: TARGET_API_MS,
            show: ms,
            load: r.load,
            note: slowest ? slowest.url : undefined,
          }),
          targetRow({
            what: `${r.view.name}: slowest API endpoint on its own (one request at a time, from Node)`,
            value: r.alone[0]?.median,
            limit: TARGET_API_MS,
            show: ms,
            load: r.load,
            note: r.alone
              .filter((a) => a.median > TARGET_API_MS)
              .map((a) => `${a.url} ${ms(a.median)}`)
              .join('; '),
          }),
        ];
      }),
      targetRow({
        what: 'shipped assets, gzipped (dist/web/index.html + assets/*)',
        value: gzipTotal / 1024,
        limit: TARGET_ASSETS_KB,
        show: (v) => `${v.toFixed(1)} KB`,
      }),
    ];
    const apiRows = results.flatMap((r) =>
      r.calls.map((c) => ({
        View: r.view.name,
        'API call': c.url,
        'In the page (median)': ms(c.median),
        'In the page (max)': ms(c.max),
        "ccmon's own time in the page (Server-Timing, median)":
          c.serverMedian === undefined ? '—' : ms(c.serverMedian),
        'Alone from Node (median of 5)': ms(r.alone.find((a) => a.url === c.url)?.median),
        Met: c.median <= TARGET_API_MS ? 'yes' : 'NO',
      })),
    );
    return {
      tables: [
        { title: 'Targets', rows: targets },
        {
          title: 'Page complete',
          rows: results.map((r) => ({
            View: r.view.name,
            'Complete (median)': ms(r.complete),
            Runs: r.runs.map((x) => ms(x.completeMs)).join(', '),
            'First API call sent': ms(median(r.runs.map((x) => x.firstSentMs))),
            'Last API answer': ms(median(r.runs.map((x) => x.lastAnswerMs))),
            'goto → complete, client side (median)': ms(r.wall),
            'API calls': r.runs[0]?.calls.length,
            'Load avg': r.load,
          })),
        },
        { title: 'API calls', rows: apiRows },
        {
          title: 'Assets',
          rows: [
            ...assets.map((a) => ({
              File: a.file,
              Size: `${(a.bytes / 1024).toFixed(1)} KB`,
              Gzipped: `${(a.gzip / 1024).toFixed(1)} KB`,
            })),
            { File: 'total', Size: '', Gzipped: `${(gzipTotal / 1024).toFixed(1)} KB` },
          ],
        },
      ],
      problems,
      notes: [
        `${describeHeavyStore(responses, fillSeconds)} \`ccmon serve --db <store> --no-otlp\` with an empty --claude-dir.`,
        `Chromium (/usr/bin/chromium, headless) through playwright-core; every navigation in a fresh browser context (empty cache), after one warm-up navigation; ${ctx.runs} navigations per view.`,
        `"Complete": the page has no "all loaded" marker, so the bench waits, checking every animation frame, until the status line says "updated …" (set when every API answer is in), no error is shown, all 8 sections are there, the ${CHARTS} uPlot charts have their canvas, and the ${TABLES.join(', ')} tables exist. The time is performance.now() in the page at that frame: ms since navigation start. "First API call sent" and "Last API answer" split it: before the first, the page and its script load; between them, ccmon answers; after the last, the page draws.`,
        "API times are the browser's (request start to response end, from Playwright's request timing). The page sends its calls at once, as its script loads; ccmon computes /api/dashboard's parts on two reader threads, which share the machine's cores with Chromium loading and drawing the page; \"ccmon's own time in the page\" is what ccmon reports in the answer's Server-Timing header (from the request's arrival to the answer being ready; /api/dashboard only), so the rest of the time in the page is the browser's; \"alone from Node\" is the same URL requested by itself (median of 5 after 1 warm-up), the endpoint's own cost. /api/events (the live-update stream, never finished) is not counted.",
        'Assets: gzip (default level, as ccmon serves them) of dist/web/index.html and dist/web/assets/*.',
      ],
      raw: results.map((r) => ({
        ...r,
        runs: r.runs.map(({ errors, ...run }) => run),
      })),
    };
  },
};

import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PriceList } from '../../src/domain/pricing.js';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { ingestTranscripts } from '../../src/sources/transcripts/ingest.js';
import type { Db } from '../../src/store/open-store.js';
import { notifyDataChanged } from '../../src/views/web/data-changes.js';
import { fixtureStore, RUN_DIRS, type Served, serveDashboard } from './fixture-store.js';
import { sumOf, TRUTH } from './fixture-truth.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
const EVIL = '<img src=x onerror=alert(1)>';
const SONNET_45 = 'claude-sonnet-4-5-20250929';

const usd = (nanos: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(nanos / 1e9);
const int = (n: number) => new Intl.NumberFormat('en-US').format(n);

let work: string;
let assetsDir: string;
let transcript: string;
let db: Db;
let server: Served;
let browser: Browser;
/** Console errors, page errors and dialogs (an alert would mean injected HTML ran). */
let problems: string[] = [];

/** A config dir holding the json-tools run with its working directory renamed to HTML. */
function evilConfigDir(): string {
  const source = RUN_DIRS.find((d) => d.endsWith('/json-tools'));
  if (!source) throw new Error('no json-tools fixture');
  const dir = join(work, 'evil-config');
  cpSync(join(source, 'projects'), join(dir, 'projects'), { recursive: true });
  const folder = join(dir, 'projects', readdirSync(join(dir, 'projects'))[0] ?? '');
  const file = join(folder, readdirSync(folder).find((f) => f.endsWith('.jsonl')) ?? '');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replaceAll(
      '/home/dev/projects/json-tools/work',
      `/home/dev/projects/${EVIL}`,
    ),
  );
  transcript = file;
  return dir;
}

function runs(): string[] {
  return [...RUN_DIRS.filter((d) => !d.endsWith('/json-tools')), evilConfigDir()];
}

async function openPage(
  query = '?range=24h',
  options: { width?: number; dark?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.dark ? 'dark' : 'light',
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${server.url}/${query}`);
  await waitForFigures(page);
  return page;
}

async function waitForFigures(page: Page): Promise<void> {
  await page
    .getByTestId('updated')
    .filter({ hasText: /^updated / })
    .waitFor();
}

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).first().textContent()) ?? '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccmon-dashboard-'));
  assetsDir = join(work, 'assets');
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: assetsDir, emptyOutDir: true },
  });
  db = fixtureStore(runs());
  server = await serveDashboard({ db, assetsDir, budgetUsd: 50 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  db?.close();
  rmSync(work, { recursive: true, force: true });
});

afterEach(() => {
  const seen = problems;
  problems = [];
  expect(seen, 'the console and the page stay free of errors').toEqual([]);
});

describe('the dashboard in Chromium', () => {
  it('renders every section, in order, with the fixtures’ totals', async () => {
    const page = await openPage();
    const titles = await page.locator('main h2').allTextContents();
    expect(titles).toEqual([
      'Overview',
      'Budget & Health',
      'Token & Cost Trends',
      'Daily Cost',
      'Model & Tool Analytics',
      'Sessions & Activity',
      'Projects Breakdown',
      'OpenTelemetry',
    ]);
    const truth = sumOf(TRUTH);
    expect(await text(page, 'total-tokens')).toBe(int(truth.total));
    expect(await text(page, 'total-cost')).toBe(usd(truth.costNanos));
    expect(await page.getByTestId('total-cost').getAttribute('title')).toBe('$0.9171104');
    expect(await text(page, 'sessions')).toBe('12');
    expect(await text(page, 'cost-today')).toBe(usd(truth.costNanos));
    expect(await text(page, 'success-rate')).toBe('100.0%');
    expect(await text(page, 'month-spent')).toBe(usd(truth.costNanos));
    expect(await text(page, 'budget-remaining')).toBe(usd(50e9 - truth.costNanos));
    expect(await text(page, 'notes')).toContain('2.1.10');
    // Charts: five uPlot canvases, each with a text alternative.
    expect(await page.locator('.chart canvas').count()).toBe(5);
    const labels = await page
      .locator('.chart-canvas[role=img]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels.find((l) => l.startsWith('Daily cost by model'))).toContain('sonnet-4-5');
    // Each chart's values in a table, built when its disclosure is opened.
    expect(await page.locator('.chart details.chart-values').count()).toBe(5);
    expect(await page.locator('.chart details table').count()).toBe(0);
    const daily = page.locator('.chart', {
      has: page.locator('[aria-label^="Daily cost by model"]'),
    });
    await daily.locator('summary').click();
    await expect(daily.locator('details table caption').textContent()).resolves.toContain(
      'Daily cost',
    );
    expect(await daily.locator('details tbody tr').count()).toBeGreaterThan(0);
    // The tables carry the same truth.
    const projects = page.getByTestId('projects-table');
    const pb = sumOf(TRUTH.filter((r) => r.project === 'pb-tools/work'));
    await expect(
      projects.locator('tr', { hasText: 'pb-tools/work' }).locator('td').first().textContent(),
    ).resolves.toBe(usd(pb.costNanos));
    await expect(
      page
        .getByTestId('tools-table')
        .locator('tr', { hasText: 'Write' })
        .locator('td')
        .allTextContents(),
    ).resolves.toEqual(['9', '2', '0']);
    await expect(page.getByTestId('telemetry-off').textContent()).resolves.toContain('ccmon setup');
    await page.close();
  });

  it('filters by project, model and time range, all kept in the address', async () => {
    const page = await openPage();
    await page.getByTestId('project').selectOption('json-agent/work');
    await expect
      .poll(() => text(page, 'total-cost'))
      .toBe(usd(sumOf(TRUTH.filter((r) => r.project === 'json-agent/work')).costNanos));
    expect(new URL(page.url()).searchParams.get('project')).toBe('json-agent/work');
    await page.getByTestId('model').selectOption('claude-haiku-4-5-20251001');
    const agentHaiku = sumOf(
      TRUTH.filter(
        (r) => r.project === 'json-agent/work' && r.model === 'claude-haiku-4-5-20251001',
      ),
    );
    await expect.poll(() => text(page, 'total-tokens')).toBe(int(agentHaiku.total));
    expect(await text(page, 'total-cost')).toBe(usd(agentHaiku.costNanos));

    // The address alone restores the view.
    const bookmarked = await browser.newPage();
    await bookmarked.goto(page.url());
    await waitForFigures(bookmarked);
    expect(await text(bookmarked, 'total-tokens')).toBe(int(agentHaiku.total));
    expect(await bookmarked.getByTestId('model').inputValue()).toBe('claude-haiku-4-5-20251001');
    await bookmarked.close();

    await page.getByTestId('project').selectOption('');
    await page.getByTestId('model').selectOption('');
    await expect.poll(() => text(page, 'total-tokens')).toBe(int(sumOf(TRUTH).total));
    // A custom range before the fixture day holds nothing; the fixture day holds everything.
    await page.getByTestId('range').selectOption('custom');
    await page.getByTestId('from').fill('2026-11-20');
    await page.getByTestId('to').fill('2026-11-23');
    await expect.poll(() => text(page, 'total-tokens')).toBe('0');
    expect(await text(page, 'total-cost')).toBe('$0.00');
    expect(new URL(page.url()).search).toBe('?range=custom&from=2026-11-20&to=2026-11-23');
    await page.getByTestId('to').fill('2026-11-24');
    await expect.poll(() => text(page, 'total-tokens')).toBe(int(sumOf(TRUTH).total));
    // Back goes to the previous filters.
    await page.goBack();
    await expect.poll(() => text(page, 'total-tokens')).toBe('0');
    await page.close();
  });

  it('the time zone moves day boundaries', async () => {
    // 01:27-02:13 UTC on the 24th is still the 23rd in Los Angeles.
    const page = await openPage(
      '?range=custom&from=2026-11-24&to=2026-11-24&tz=America/Los_Angeles',
    );
    expect(await text(page, 'total-tokens')).toBe('0');
    await page.getByTestId('tz').selectOption('Asia/Tokyo');
    await expect.poll(() => text(page, 'total-tokens')).toBe(int(sumOf(TRUTH).total));
    expect(new URL(page.url()).searchParams.get('tz')).toBe('Asia/Tokyo');
    await page.close();
  });

  it('clicking a project filters the page, by keyboard too; its HTML name stays text', async () => {
    const page = await openPage();
    // The first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to the figures');
    const evil = page
      .getByTestId('projects-table')
      .getByRole('button', { name: EVIL, exact: true });
    await expect(evil.textContent()).resolves.toBe(EVIL);
    expect(await page.locator('main img').count()).toBe(0);
    await evil.focus();
    await page.keyboard.press('Enter');
    const run = sumOf(TRUTH.filter((r) => r.run === 'json-tools'));
    await expect.poll(() => text(page, 'total-cost')).toBe(usd(run.costNanos));
    expect(new URL(page.url()).searchParams.get('project')).toBe(EVIL);
    expect(await page.getByTestId('project').inputValue()).toBe(EVIL);
    expect(await page.locator('main img, header img').count()).toBe(0);
    // Columns sort from the keyboard.
    await page.getByRole('button', { name: /^Tokens/ }).focus();
    await page.keyboard.press('Enter');
    await expect(
      page.getByTestId('projects-table').locator('th[aria-sort=descending]').textContent(),
    ).resolves.toContain('Tokens');
    await page.close();
  });

  it('asks for its figures once, as the page arrives (a preload its script takes)', async () => {
    const page = await browser.newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/dashboard')) asked.push(new URL(r.url()).search);
    });
    page.on('console', (m) => {
      // An unused preload is a warning.
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(`${server.url}/?range=30d&model=${SONNET_45}`);
    await waitForFigures(page);
    expect(asked).toEqual([`?range=30d&model=${SONNET_45}&bucket=day&limit=50`]);
    const initiators = await page.evaluate(
      "performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/dashboard')).map((e) => e.initiatorType)",
    );
    expect(initiators).toEqual(['link']);
    await page.close();
  });

  it('shows why the figures could not be loaded, with nothing left unhandled', async () => {
    const page = await browser.newPage();
    const seen: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') seen.push(m.text());
    });
    page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
    await page.goto(`${server.url}/?tz=Mars/Olympus_Mons`);
    await expect(page.getByTestId('error').textContent()).resolves.toContain(
      '"tz" = "Mars/Olympus_Mons" is not a time zone',
    );
    // The refused requests are the browser's own report; no script error besides them.
    expect(seen.filter((m) => !m.includes('status of 400'))).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    await page.close();
  });

  it('shows a new transcript line without a reload', async () => {
    const page = await openPage();
    // Page scripts run in the browser; the root tsconfig has no DOM types, hence strings.
    await page.evaluate('window.notReloaded = true');
    const before = sumOf(TRUTH);
    const lines = readFileSync(transcript, 'utf8').trim().split('\n');
    const last = lines.findLast((l) => l.includes('"type":"assistant"'));
    const record = JSON.parse(last ?? '{}');
    record.uuid = 'a0000000-0000-4000-8000-000000000001';
    record.requestId = 'req_live_append';
    record.timestamp = '2026-11-24T01:35:00.000Z';
    record.message.id = 'msg_live_append';
    record.message.model = SONNET_45;
    record.message.usage = {
      input_tokens: 1000,
      output_tokens: 2000,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    };
    appendFileSync(transcript, `${JSON.stringify(record)}\n`);
    ingestTranscripts(db, new PriceList(), projectsDirs([join(work, 'evil-config')]));
    notifyDataChanged();
    // Sonnet 4.5: 1,000 input at $3 and 2,000 output at $15 per million = $0.033.
    await expect
      .poll(() => text(page, 'total-tokens'), { timeout: 10_000 })
      .toBe(int(before.total + 3000));
    expect(await page.getByTestId('total-cost').getAttribute('title')).toBe('$0.9501104');
    expect(await page.evaluate('window.notReloaded === true')).toBe(true);
    expect(await text(page, 'updated')).toMatch(/^updated \d\d:\d\d:\d\d$/);
    await page.close();
  });

  it('takes full-page screenshots: light, dark, and 375 px wide', async () => {
    for (const shot of [
      { name: 'dashboard-light.png', dark: false, width: 1280 },
      { name: 'dashboard-dark.png', dark: true, width: 1280 },
      { name: 'dashboard-375-light.png', dark: false, width: 375 },
      { name: 'dashboard-375-dark.png', dark: true, width: 375 },
      { name: 'dashboard-1920-light.png', dark: false, width: 1920 },
    ]) {
      const page = await openPage('?range=24h', shot);
      // Nothing may stick out sideways at any width.
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, shot.name).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, shot.name), fullPage: true });
      await page.close();
    }
  });
});

describe('the dashboard with telemetry', () => {
  it('shows lines of code, edit decisions, latency and users', async () => {
    const tdb = fixtureStore(
      RUN_DIRS.filter((d) => d.endsWith('/json-tools') || d.endsWith('/json-noperm')),
      { telemetry: true },
    );
    const own = await serveDashboard({ db: tdb, assetsDir });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      await page.goto(`${own.url}/?range=24h`);
      await waitForFigures(page);
      expect(await text(page, 'lines-added')).toBe('5');
      expect(await text(page, 'lines-removed')).toBe('0');
      expect(await text(page, 'edit-decisions')).toBe('1 accepted · 1 rejected');
      expect(await text(page, 'active-time')).toBe('1.2 s');
      // Each run was made by its own user id.
      expect(await page.getByTestId('users-table').locator('tbody tr').count()).toBe(2);
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-telemetry.png'), fullPage: true });
      await page.close();
    } finally {
      await own.close();
      tdb.close();
    }
  });
});

describe('the built assets', () => {
  it('total under 250 KB gzipped', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(assetsDir);
    const gzipped = files.reduce((a, f) => a + gzipSync(readFileSync(f)).length, 0);
    expect(gzipped).toBeLessThan(250 * 1024);
  });

  it('are served with their types, caching and a CSP without inline script or other origins', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    // The page's figures are preloaded with the page's own query.
    const link = (await fetch(`${server.url}/?range=90d&project=a%26b`)).headers.get('link');
    expect(link).toContain('<api/dashboard?range=90d&project=a%26b&bucket=day&limit=50>');
    expect(link).toContain('<api/meta>; rel=preload; as=fetch; crossorigin');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    const js = await fetch(`${server.url}/${script}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    const etag = js.headers.get('etag') ?? '';
    expect(
      (await fetch(`${server.url}/${script}`, { headers: { 'If-None-Match': etag } })).status,
    ).toBe(304);
    expect((await fetch(`${server.url}/assets/../../package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/%2e%2e/package.json`)).status).toBe(404);
  });
});
